import { LOG_BATCH_LIMITS, type Metric, type Param, type RunTag } from '@capstan/contracts';
import { emptyBatch, isFull, itemBytes, splitIntoBatches, type BatchItems, type BatchLimits } from './batch-chunker.js';

export interface LogBufferOptions {
  /** Sends one request's worth of items. */
  send: (batch: BatchItems) => Promise<void>;
  /** How long an item may wait before a background send; 0 sends only on size or `flush()`. */
  flushIntervalMs: number;
  limits?: BatchLimits;
}

/**
 * Collects metrics, params and tags so a training loop never waits on the network, and ships them
 * in `log-batch`-sized requests: at once when a request's worth has piled up, otherwise after
 * `flushIntervalMs`. Requests go out one at a time, so metric order survives. A background send
 * that fails does not throw into the training loop; the first such error is kept and thrown by the
 * next `flush()`, later requests still being attempted so one bad item does not lose the rest.
 */
export class LogBuffer {
  private pending: BatchItems = emptyBatch();
  private pendingBytes = 0;
  private queue: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly limits: BatchLimits;

  constructor(private readonly options: LogBufferOptions) {
    this.limits = options.limits ?? LOG_BATCH_LIMITS;
  }

  addMetric(metric: Metric): void {
    this.add('metrics', metric);
  }

  /**
   * MLflow rejects a batch that repeats a param key, even with the same value, while re-logging an
   * identical param in a later request is allowed; so an exact repeat of a pending param is dropped.
   * A different value for a pending key is kept, and the server reports the conflict.
   */
  addParam(param: Param): void {
    if (this.pending.params.some((p) => p.key === param.key && p.value === param.value)) return;
    this.add('params', param);
  }

  addTag(tag: RunTag): void {
    this.add('tags', tag);
  }

  /** Sends everything buffered, waits for every request, and throws the first failure since the last flush. */
  async flush(): Promise<void> {
    this.drain();
    await this.queue;
    const failure = this.failure;
    this.failure = undefined;
    if (failure) throw failure.error;
  }

  /** Items not yet handed to `send`. */
  get size(): number {
    return this.pending.metrics.length + this.pending.params.length + this.pending.tags.length;
  }

  private add<K extends keyof BatchItems>(kind: K, item: BatchItems[K][number]): void {
    (this.pending[kind] as Array<BatchItems[K][number]>).push(item);
    this.pendingBytes += itemBytes(item);
    if (isFull(this.pending, this.pendingBytes, this.limits)) {
      this.drain();
    } else if (!this.timer && this.options.flushIntervalMs > 0) {
      // Deliberately not unref'd: a script that exits without `end()` still sends its last values,
      // at the cost of living at most one interval longer.
      this.timer = setTimeout(() => this.drain(), this.options.flushIntervalMs);
    }
  }

  private drain(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.size === 0) return;
    const batches = splitIntoBatches(this.pending, this.limits);
    this.pending = emptyBatch();
    this.pendingBytes = 0;
    for (const batch of batches) {
      this.queue = this.queue.then(() =>
        this.options.send(batch).catch((error: unknown) => {
          this.failure ??= { error };
        }),
      );
    }
  }
}
