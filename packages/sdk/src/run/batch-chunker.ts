import { LOG_BATCH_LIMITS, type Metric, type Param, type RunTag } from '@capstan/contracts';

/** Metrics, params and tags waiting to be sent in `runs/log-batch` requests. */
export interface BatchItems {
  metrics: Metric[];
  params: Param[];
  tags: RunTag[];
}

export type BatchLimits = typeof LOG_BATCH_LIMITS;

/** Room left for `{"run_id": ..., "metrics": [], ...}` around the items. */
const ENVELOPE_BYTES = 256;

export const emptyBatch = (): BatchItems => ({ metrics: [], params: [], tags: [] });

export const itemBytes = (item: Metric | Param | RunTag): number => Buffer.byteLength(JSON.stringify(item), 'utf8') + 1;

/** Whether `items` already fill at least one request, so sending now loses nothing. */
export function isFull(items: BatchItems, bytes: number, limits: BatchLimits = LOG_BATCH_LIMITS): boolean {
  const total = items.metrics.length + items.params.length + items.tags.length;
  return (
    items.metrics.length >= limits.maxMetrics ||
    items.params.length >= limits.maxParams ||
    items.tags.length >= limits.maxTags ||
    total >= limits.maxTotal ||
    bytes + ENVELOPE_BYTES >= limits.maxRequestBytes
  );
}

/**
 * Splits items into as few requests as MLflow's per-request limits allow (count per kind, total
 * count, serialised size), keeping each kind in its original order: metrics are appended in order,
 * and for tags the last write of a key must win. Params and tags go first because they are few
 * and capped at 100 per request. An item too large for any request travels alone, so the server
 * reports it instead of the SDK dropping it.
 */
export function splitIntoBatches(items: BatchItems, limits: BatchLimits = LOG_BATCH_LIMITS): BatchItems[] {
  const batches: BatchItems[] = [];
  const cursor = { params: 0, tags: 0, metrics: 0 };
  const remaining = () =>
    cursor.params < items.params.length || cursor.tags < items.tags.length || cursor.metrics < items.metrics.length;

  while (remaining()) {
    const batch = emptyBatch();
    let count = 0;
    let bytes = ENVELOPE_BYTES;
    let roomLeft = true;
    const fill = <K extends keyof BatchItems>(kind: K, kindLimit: number) => {
      const source = items[kind] as Array<BatchItems[K][number]>;
      const target = batch[kind] as Array<BatchItems[K][number]>;
      while (roomLeft && cursor[kind] < source.length && target.length < kindLimit && count < limits.maxTotal) {
        const item = source[cursor[kind]];
        const size = itemBytes(item);
        if (count > 0 && bytes + size > limits.maxRequestBytes) {
          roomLeft = false;
          return;
        }
        target.push(item);
        cursor[kind]++;
        count++;
        bytes += size;
      }
    };
    fill('params', limits.maxParams);
    fill('tags', limits.maxTags);
    fill('metrics', limits.maxMetrics);
    batches.push(batch);
  }
  return batches;
}
