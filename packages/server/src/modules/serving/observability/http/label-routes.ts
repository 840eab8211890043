import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { CAPSTAN_API_PREFIX } from '@capstan/contracts';
import { invalidParameter } from '../../../../core/errors.js';
import type { AccessRule } from '../../../security/index.js';
import { readInput, requestFields } from '../../../tracking/index.js';
import { readInferenceWindow, type LabeledInferenceRecord } from '../inference-window.js';
import { saveLabels } from '../label-store.js';
import type { InferenceLogTables } from '../tables.js';
import { parseLabelsBody } from './label-body.js';
import { decodeWindowPageToken, encodeWindowPageToken } from './window-page-token.js';

export interface LabelRouteDeps {
  readonly db: Kysely<InferenceLogTables>;
  /** Who may post labels and who may read the log; the serving module decides. */
  readonly rules: { readonly write: AccessRule; readonly read: AccessRule };
  /** Body limit of the label route (10,000 labels need more than a small RPC's megabyte). */
  readonly bodyLimitBytes?: number;
  readonly now?: () => number;
}

export const DEFAULT_WINDOW_LIMIT = 100;
export const MAX_WINDOW_LIMIT = 1000;

const DEPLOYMENT_PATH = `${CAPSTAN_API_PREFIX}/deployments/:name`;

/**
 * `POST deployments/{name}/labels` with `{labels: [{request_id, label}]}` stores ground truth for
 * logged predictions (a later label for a request replaces the earlier); `GET
 * deployments/{name}/inference-log?from=&to=&limit=&page_token=` pages through logged predictions
 * with their labels, oldest first. Times are epoch milliseconds, `from` inclusive, `to` exclusive.
 */
export function registerLabelRoutes(app: FastifyInstance, deps: LabelRouteDeps): void {
  const now = deps.now ?? Date.now;

  app.post(
    `${DEPLOYMENT_PATH}/labels`,
    {
      config: { access: deps.rules.write, action: 'serving.postLabels' },
      schema: { tags: ['serving'] },
      ...(deps.bodyLimitBytes !== undefined ? { bodyLimit: deps.bodyLimitBytes } : {}),
    },
    async (request) => {
      const input = readInput(request);
      const deployment = requestFields.requiredString(input, 'name');
      const stored = await saveLabels(deps.db, deployment, parseLabelsBody(input), now());
      return { stored };
    },
  );

  app.get(
    `${DEPLOYMENT_PATH}/inference-log`,
    { config: { access: deps.rules.read, action: 'serving.readInferenceLog' }, schema: { tags: ['serving'] } },
    async (request) => {
      const input = readInput(request);
      const from = requestFields.optionalInt64(input, 'from') ?? 0;
      const to = requestFields.optionalInt64(input, 'to') ?? Number.MAX_SAFE_INTEGER;
      const limit = requestFields.optionalInt64(input, 'limit') ?? DEFAULT_WINDOW_LIMIT;
      if (limit < 1 || limit > MAX_WINDOW_LIMIT) throw invalidParameter(`limit must be between 1 and ${MAX_WINDOW_LIMIT}, got ${limit}.`);
      if (from > to) throw invalidParameter(`from (${from}) must not be after to (${to}).`);
      const token = requestFields.optionalString(input, 'page_token');
      const page = await readInferenceWindow(deps.db, {
        deployment: requestFields.requiredString(input, 'name'),
        from,
        to,
        limit,
        ...(token ? { after: decodeWindowPageToken(token) } : {}),
      });
      return { records: page.records.map(toWire), ...(page.next ? { next_page_token: encodeWindowPageToken(page.next) } : {}) };
    },
  );
}

/** Snake case on the wire, as the rest of the HTTP API. */
function toWire(r: LabeledInferenceRecord) {
  return {
    request_id: r.requestId,
    model_name: r.modelName,
    version: r.version,
    at: r.at,
    latency_ms: r.latencyMs,
    rows: r.rows,
    inputs: r.inputs,
    outputs: r.outputs,
    ...('label' in r ? { label: r.label, labeled_at: r.labeledAt } : {}),
  };
}
