import type { Kysely } from 'kysely';
import type { FeatureDtype, FeatureValue, HistoricalFeaturesRequest } from '@capstan/contracts';
import { invalidParameter } from '../../../core/errors.js';
import type { OfflineResult, OfflineStore, OfflineViewQuery } from '../../../ports/offline-store.js';
import type { FeatureSelection } from '../definitions/feature-repo.js';
import { offlineQueryOf } from '../offline/offline-query.js';
import type { LoadedProject } from '../registry/registry-cache.js';
import { cellToJson, parseIsoTime } from '../values/cells.js';
import { DEFAULT_TIMESTAMP_COLUMN, entityTableOf } from './entity-table.js';
import { hiddenInput, withOnDemandFeatures } from './on-demand-historical.js';

export interface HistoricalRetrieval {
  result: OfflineResult;
  selections: FeatureSelection[];
  /** Each result column's dtype (features, join keys, the event time; others as the file holds them). */
  dtypes: Map<string, FeatureDtype>;
}

/**
 * Point-in-time retrieval: the entity table (or a time range) joined with every selected view by
 * the offline store, which guarantees each row sees only feature values known at its time.
 * On-demand features are computed on each row's point-in-time inputs, as serving computes them.
 */
export async function retrieveHistorical(loaded: LoadedProject, request: HistoricalFeaturesRequest, offline: OfflineStore, database: Kysely<unknown>): Promise<HistoricalRetrieval> {
  const { repo } = loaded;
  const selections = repo.select({
    ...(request.features !== undefined ? { features: request.features } : {}),
    ...(request.feature_service !== undefined ? { featureService: request.feature_service } : {}),
    fullFeatureNames: request.full_feature_names === true,
  });
  // Each view's wanted columns: its selected features, plus hidden inputs of selected on-demand views.
  const byView = new Map<string, { feature: string; outputName: string }[]>();
  const want = (view: string, feature: string, outputName: string) => {
    const wanted = byView.get(view) ?? [];
    if (!wanted.some((w) => w.outputName === outputName)) wanted.push({ feature, outputName });
    byView.set(view, wanted);
  };
  for (const s of selections) {
    if (s.viewKind === 'feature_view') want(s.view, s.feature, s.outputName);
    else for (const input of repo.onDemandInputs(repo.onDemandViews.get(s.view)!)) if ('view' in input.from) want(input.from.view, input.name, hiddenInput(input.from.view, input.name));
  }
  const queries: OfflineViewQuery[] = [...byView].map(([name, wanted]) => offlineQueryOf(repo, repo.view(name), database, wanted));
  const onDemand = selections.some((s) => s.viewKind === 'on_demand_feature_view');
  const joinKeys = [...new Map([...byView.keys()].flatMap((v) => repo.joinKeysOf(repo.view(v))).map((k) => [k.name, k])).values()];
  const dtypes = new Map<string, FeatureDtype>(joinKeys.map((k) => [k.name, k.dtype]));
  for (const s of selections) dtypes.set(s.outputName, s.dtype);

  const hasEntities = request.entity_rows !== undefined || request.entity_source !== undefined;
  const hasRange = request.start_date !== undefined || request.end_date !== undefined;
  if (hasEntities === hasRange) throw invalidParameter('Give an entity table (entity_rows or entity_source) or a time range (start_date and end_date), not both or neither');
  if (hasRange) {
    const start = time(request.start_date, 'start_date');
    const end = time(request.end_date, 'end_date');
    if (!(start <= end)) throw invalidParameter('start_date must not be after end_date');
    dtypes.set('event_timestamp', 'unix_timestamp');
    const joined = await offline.historicalRange(queries, start, end);
    return { result: onDemand ? await withOnDemandFeatures(loaded, joined, selections, dtypes, 'event_timestamp', offline) : joined, selections, dtypes };
  }
  const entity = entityTableOf(request, joinKeys);
  for (const [name, dtype] of entity.dtypes) if (!dtypes.has(name)) dtypes.set(name, dtype);
  const timestampColumn = request.timestamp_column ?? DEFAULT_TIMESTAMP_COLUMN;
  dtypes.set(timestampColumn, 'unix_timestamp');
  const joined = await offline.historical(entity.table, queries);
  return { result: onDemand ? await withOnDemandFeatures(loaded, joined, selections, dtypes, timestampColumn, offline) : joined, selections, dtypes };
}

function time(value: string | undefined, what: string): number {
  const ms = value === undefined ? undefined : parseIsoTime(value);
  if (ms === undefined) throw invalidParameter(`${what} must be an ISO 8601 time, got ${JSON.stringify(value)}`);
  return ms;
}

/** The result as the wire's column-major JSON. */
export async function resultToJson(retrieval: HistoricalRetrieval): Promise<Record<string, FeatureValue[]>> {
  const columns = await retrieval.result.toColumns();
  const out: Record<string, FeatureValue[]> = {};
  for (const name of retrieval.result.columnNames) {
    const dtype = retrieval.dtypes.get(name);
    out[name] = columns[name]!.map((cell) => (dtype ? cellToJson(cell, dtype) : cell instanceof Uint8Array ? Buffer.from(cell).toString('base64') : (cell as FeatureValue)));
  }
  return out;
}
