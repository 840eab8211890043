import type { Kysely } from 'kysely';
import type { InferenceLogTables } from './tables.js';

/** Where a page of a window ends; the next page starts after it. */
export interface WindowPosition {
  readonly at: number;
  readonly id: number;
}

export interface InferenceWindowQuery {
  readonly deployment: string;
  /** Epoch ms, inclusive. */
  readonly from: number;
  /** Epoch ms, exclusive. */
  readonly to: number;
  readonly limit: number;
  /** Continue after this record (the previous page's `next`). */
  readonly after?: WindowPosition;
}

/** A logged prediction as read back: columns decoded from JSON, with its label when one was posted. */
export interface LabeledInferenceRecord {
  readonly id: number;
  readonly requestId: string;
  readonly deployment: string;
  readonly modelName: string;
  readonly version: string;
  readonly at: number;
  readonly latencyMs: number;
  readonly rows: number;
  readonly inputs: Record<string, unknown[]>;
  readonly outputs: Record<string, unknown[]>;
  /** Absent when no label was posted for the request (`null` is a label someone posted). */
  readonly label?: unknown;
  readonly labeledAt?: number;
}

export interface InferenceWindowPage {
  readonly records: LabeledInferenceRecord[];
  /** Set when more records fall in the window: pass it as `after`. */
  readonly next?: WindowPosition;
}

/**
 * A deployment's logged predictions with `from <= at < to`, oldest first, joined with their labels.
 * Pages by (at, id), so records logged with the same millisecond are neither skipped nor repeated.
 */
export async function readInferenceWindow(db: Kysely<InferenceLogTables>, query: InferenceWindowQuery): Promise<InferenceWindowPage> {
  let select = db
    .selectFrom('inference_log as l')
    .leftJoin('inference_labels as g', (join) => join.onRef('g.deployment', '=', 'l.deployment').onRef('g.request_id', '=', 'l.request_id'))
    .select(['l.id', 'l.request_id', 'l.deployment', 'l.model_name', 'l.version', 'l.at', 'l.latency_ms', 'l.rows', 'l.inputs', 'l.outputs', 'g.label', 'g.at as labeled_at'])
    .where('l.deployment', '=', query.deployment)
    .where('l.at', '>=', query.from)
    .where('l.at', '<', query.to);
  const { after } = query;
  if (after) select = select.where((eb) => eb.or([eb('l.at', '>', after.at), eb.and([eb('l.at', '=', after.at), eb('l.id', '>', after.id)])]));
  // One more than asked tells whether another page follows.
  const rows = await select.orderBy('l.at').orderBy('l.id').limit(query.limit + 1).execute();
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const records = page.map((r) => ({
    id: r.id,
    requestId: r.request_id,
    deployment: r.deployment,
    modelName: r.model_name,
    version: r.version,
    at: r.at,
    latencyMs: r.latency_ms,
    rows: r.rows,
    inputs: JSON.parse(r.inputs) as Record<string, unknown[]>,
    outputs: JSON.parse(r.outputs) as Record<string, unknown[]>,
    ...(r.label !== null && r.labeled_at !== null ? { label: JSON.parse(r.label) as unknown, labeledAt: r.labeled_at } : {}),
  }));
  return rows.length > query.limit && last ? { records, next: { at: last.at, id: last.id } } : { records };
}
