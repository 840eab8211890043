import type { MetricWithRunId } from '@capstan/contracts';
import { invalidParameter } from '../../../core/errors.js';
import { fromStorage, wireDouble } from '../runs/metric-order.js';
import { toWireMetric } from '../runs/run-reader.js';
import { runNotFound } from '../runs/run-store.js';
import type { TrackingDb } from '../tracking-context.js';

/** Most runs a bulk-interval request may name, and most points per run (MLflow's limits). */
export const BULK_MAX_RUNS = 100;
export const BULK_MAX_RESULTS_PER_RUN = 2500;

/** One stored point of a metric's history; the key is the one asked for. */
export interface HistoryPoint {
  value: number;
  is_nan: number;
  timestamp: number;
  step: number;
}

export interface HistoryPage {
  key: string;
  points: HistoryPoint[];
  nextPageToken?: string;
}

/**
 * Every logged value of one metric of one run, ordered by step then timestamp. Pages use the
 * position in that order, encoded like MLflow's search tokens.
 */
export async function getMetricHistory(
  db: TrackingDb,
  runId: string,
  key: string,
  options: { maxResults?: number; pageToken?: string },
): Promise<HistoryPage> {
  await requireRun(db, runId);
  const offset = options.pageToken ? decodeOffset(options.pageToken) : 0;
  // The key column is left out on purpose: it equals `key`, and a 100,000-point history spends
  // most of its time building row objects.
  let query = db
    .selectFrom('metrics')
    .select(['value', 'is_nan', 'timestamp', 'step'])
    .where('run_uuid', '=', runId)
    .where('key', '=', key)
    .orderBy('step')
    .orderBy('timestamp')
    .orderBy('value');
  if (options.maxResults !== undefined) query = query.limit(options.maxResults + 1).offset(offset);
  else if (offset > 0) throw invalidParameter('page_token requires max_results');
  const rows = await query.execute();
  const hasMore = options.maxResults !== undefined && rows.length > options.maxResults;
  return {
    key,
    points: hasMore ? rows.slice(0, options.maxResults) : rows,
    ...(hasMore ? { nextPageToken: encodeOffset(offset + options.maxResults!) } : {}),
  };
}

export async function requireRun(db: TrackingDb, runId: string): Promise<void> {
  const run = await db.selectFrom('runs').select('run_uuid').where('run_uuid', '=', runId).executeTakeFirst();
  if (!run) throw runNotFound(runId);
}

/**
 * The get-history response as JSON text, written directly: for long histories this is several
 * times faster than building wire objects and handing them to JSON.stringify, and the output is
 * the same (finite doubles print identically; NaN and the infinities as proto-JSON strings).
 */
export function historyPageJson(page: HistoryPage): string {
  const parts: string[] = [];
  if (page.points.length > 0) {
    const key = JSON.stringify(page.key);
    const items = new Array<string>(page.points.length);
    for (let i = 0; i < page.points.length; i++) {
      const p = page.points[i]!;
      const value = wireDouble(fromStorage(p.value, p.is_nan));
      items[i] = `{"key":${key},"value":${typeof value === 'number' ? value : `"${value}"`},"timestamp":${p.timestamp},"step":${p.step}}`;
    }
    parts.push(`"metrics":[${items.join(',')}]`);
  }
  if (page.nextPageToken) parts.push(`"next_page_token":${JSON.stringify(page.nextPageToken)}`);
  return `{${parts.join(',')}}`;
}

/**
 * The UI's chart query: for several runs, the metric at up to `maxResults` steps chosen evenly
 * across the union of logged steps in [startStep, endStep], always keeping the first and last.
 */
export async function getMetricHistoryBulkInterval(
  db: TrackingDb,
  runIds: readonly string[],
  key: string,
  options: { startStep?: number; endStep?: number; maxResults?: number },
): Promise<MetricWithRunId[]> {
  if (runIds.length === 0) throw invalidParameter("Missing value for required parameter 'run_ids'.");
  if (runIds.length > BULK_MAX_RUNS) {
    throw invalidParameter(`GetMetricHistoryBulkInterval request must specify at most ${BULK_MAX_RUNS} run_ids. Received ${runIds.length} run_ids.`);
  }
  const maxResults = options.maxResults ?? BULK_MAX_RESULTS_PER_RUN;
  if (maxResults < 1 || maxResults > BULK_MAX_RESULTS_PER_RUN) {
    throw invalidParameter(`max_results must be between 1 and ${BULK_MAX_RESULTS_PER_RUN}, got ${maxResults}.`);
  }
  const { startStep, endStep } = options;
  if ((startStep === undefined) !== (endStep === undefined)) {
    throw invalidParameter('If either start step or end step are specified, both must be specified.');
  }
  if (startStep !== undefined && endStep !== undefined && startStep > endStep) {
    throw invalidParameter('end_step must be greater than start_step. Found start_step=' + startStep + ' and end_step=' + endStep + '.');
  }
  const ids = [...new Set(runIds)].sort();
  let stepsQuery = db.selectFrom('metrics').select('step').distinct().where('run_uuid', 'in', ids).where('key', '=', key);
  if (startStep !== undefined && endStep !== undefined) {
    stepsQuery = stepsQuery.where('step', '>=', startStep).where('step', '<=', endStep);
  }
  const steps = (await stepsQuery.orderBy('step').execute()).map((r) => r.step);
  const sampled = sampleEvenly(steps, maxResults);
  if (sampled.length === 0) return [];
  const rows = await db
    .selectFrom('metrics')
    .select(['run_uuid', 'key', 'value', 'is_nan', 'timestamp', 'step'])
    .where('run_uuid', 'in', ids)
    .where('key', '=', key)
    .where('step', 'in', sampled)
    .orderBy('run_uuid')
    .orderBy('step')
    .orderBy('timestamp')
    .execute();
  return rows.map((r) => ({ ...toWireMetric(r), run_id: r.run_uuid }) as MetricWithRunId);
}

/** Up to `count` values from a sorted list at even spacing, always including both ends. */
export function sampleEvenly(sorted: readonly number[], count: number): number[] {
  if (sorted.length <= count) return [...sorted];
  if (count === 1) return [sorted[0]!];
  const out = new Set<number>();
  const stride = (sorted.length - 1) / (count - 1);
  for (let i = 0; i < count; i++) out.add(sorted[Math.round(i * stride)]!);
  return [...out];
}

function encodeOffset(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64');
}

function decodeOffset(token: string): number {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    const offset = (parsed as { offset?: unknown }).offset;
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through to the error below
  }
  throw invalidParameter(`Invalid page token, could not base64-decode: ${token}`);
}
