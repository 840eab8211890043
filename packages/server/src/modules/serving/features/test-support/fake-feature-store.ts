import type { FeatureValue, GetOnlineFeaturesRequest, GetOnlineFeaturesResponse, OnlineFeatureStatus } from '@capstan/contracts';
import { invalidParameter } from '../../../../core/errors.js';
import type { OnlineFeaturesFn } from '../enrich-payload.js';

export interface FakeFeatureStore {
  readonly fetch: OnlineFeaturesFn;
  /** Every call, in order. */
  readonly calls: { project: string; request: GetOnlineFeaturesRequest }[];
}

const EPOCH = '1970-01-01T00:00:00Z';
const FRESH = '2025-01-15T10:00:00Z';

/**
 * One feature view keyed by `joinKey`, answering as the features module does: the join key echoed
 * first (int64 text within 2^53 as a number), then each feature; a missing key NOT_FOUND, a key in `expired`
 * OUTSIDE_MAX_AGE, a stored null NULL_VALUE; a request without the key refused as a bad parameter.
 */
export function fakeFeatureStore(joinKey: string, rows: Record<string, Record<string, FeatureValue>>, features: readonly string[], expired: ReadonlySet<string> = new Set()): FakeFeatureStore {
  const calls: FakeFeatureStore['calls'] = [];
  const fetch: OnlineFeaturesFn = async (project, request) => {
    calls.push({ project, request });
    const keys = request.entities[joinKey];
    if (keys === undefined) throw invalidParameter(`entities lack '${joinKey}', the join key of feature view 'card_stats'`);
    const echo = keys.map((k) => (typeof k === 'string' && /^\d+$/.test(k) && Number.isSafeInteger(Number(k)) ? Number(k) : k));
    const names = request.full_feature_names ? features.map((f) => `card_stats__${f}`) : [...features];
    const response: GetOnlineFeaturesResponse = {
      metadata: { feature_names: [joinKey, ...names] },
      results: [{ values: echo, statuses: echo.map(() => 'PRESENT'), event_timestamps: echo.map(() => EPOCH) }],
    };
    for (const feature of features) {
      const values: FeatureValue[] = [];
      const statuses: OnlineFeatureStatus[] = [];
      for (const key of echo) {
        const row = rows[String(key)];
        const status: OnlineFeatureStatus = row === undefined ? 'NOT_FOUND' : expired.has(String(key)) ? 'OUTSIDE_MAX_AGE' : row[feature] === null ? 'NULL_VALUE' : 'PRESENT';
        statuses.push(status);
        values.push(status === 'PRESENT' ? row![feature]! : null);
      }
      response.results.push({ values, statuses, event_timestamps: statuses.map((s) => (s === 'NOT_FOUND' ? EPOCH : FRESH)) });
    }
    return response;
  };
  return { fetch, calls };
}
