import { invalidParameter } from '../../../core/errors.js';
import type { Logger } from '../../../core/logger.js';
import type { InferenceRecord } from './inference-record.js';
import { LogRateLimit } from './log-rate-limit.js';
import { isSampled } from './sample-request.js';
import type { InferenceLogDropReason, ServingMetrics } from './serving-metrics.js';

/** Where batches of records go (the SQL table; later perhaps a queue or object storage). */
export interface InferenceLogSink {
  write(records: readonly InferenceRecord[]): Promise<void>;
}

/** Runs `fn` every `ms` milliseconds; the returned function stops it. */
export type Every = (fn: () => void, ms: number) => () => void;

export interface InferenceLogWriterOptions {
  readonly sink: InferenceLogSink;
  /** Share of requests logged, 0..1, for every deployment or per deployment (a function's answers are clamped to 0..1). */
  readonly sampleRate: number | ((deployment: string) => number);
  /** Records a deployment may log per second at most (see LogRateLimit); unlimited when absent. */
  readonly maxRecordsPerSecond?: number;
  /** Clock for the rate limit, in milliseconds. */
  readonly now?: () => number;
  /** Records held in memory at most; beyond it new records are dropped and counted. Default 10,000. */
  readonly capacity?: number;
  /** Records per sink write; a full batch is written without waiting for the timer. Default 500. */
  readonly batchSize?: number;
  /** Buffered records are written at least this often. Default 1,000 ms. */
  readonly flushIntervalMs?: number;
  readonly metrics?: Pick<ServingMetrics, 'inferenceLogDropped'>;
  readonly logger?: Pick<Logger, 'warn'>;
  readonly every?: Every;
}

/** What `record` did with a record. */
export type RecordOutcome = 'buffered' | 'sampled_out' | 'dropped';

export interface InferenceLogStats {
  /** Records waiting in memory (not counting a batch the sink is writing). */
  readonly buffered: number;
  readonly written: number;
  readonly sampledOut: number;
  readonly dropped: Readonly<Record<InferenceLogDropReason, number>>;
}

const defaultEvery: Every = (fn, ms) => {
  const timer = setInterval(fn, ms);
  // Logging must never keep a process alive that is otherwise done.
  timer.unref();
  return () => clearInterval(timer);
};

/**
 * Logs sampled predictions without ever holding up the request that made them: `record` only
 * pushes to a bounded buffer and returns; batches go to the sink later, one write at a time, on a
 * timer or when a batch fills. A sink that is slow lets the buffer fill, and a sink that fails
 * loses its batch: both are counted (metric and `stats()`), never thrown at a request.
 */
export class InferenceLogWriter {
  private readonly sink: InferenceLogSink;
  private readonly rateOf: (deployment: string) => number;
  private readonly capacity: number;
  private readonly batchSize: number;
  private readonly metrics: Pick<ServingMetrics, 'inferenceLogDropped'> | undefined;
  private readonly logger: Pick<Logger, 'warn'> | undefined;
  private readonly stopTimer: () => void;
  private readonly rateLimit: LogRateLimit | undefined;

  private buffer: InferenceRecord[] = [];
  /** Records buffered before the last timer tick or `flush()`: written even if no batch fills. */
  private due = 0;
  private draining: Promise<void> | undefined;
  private drainScheduled = false;
  private closed = false;
  private closing: Promise<void> | undefined;
  private written = 0;
  private sampledOut = 0;
  private readonly dropped: Record<InferenceLogDropReason, number> = { buffer_full: 0, sink_error: 0, closed: 0, rate_limited: 0 };

  constructor(options: InferenceLogWriterOptions) {
    const { sampleRate } = options;
    if (typeof sampleRate === 'number') checkRate(sampleRate);
    this.rateOf = typeof sampleRate === 'number' ? () => sampleRate : sampleRate;
    this.sink = options.sink;
    this.capacity = options.capacity ?? 10_000;
    this.batchSize = options.batchSize ?? 500;
    if (!(this.capacity >= 1 && this.batchSize >= 1)) throw invalidParameter('Inference log capacity and batch size must be at least 1');
    this.metrics = options.metrics;
    this.logger = options.logger;
    this.rateLimit = options.maxRecordsPerSecond === undefined ? undefined : new LogRateLimit(options.maxRecordsPerSecond, options.now);
    this.stopTimer = (options.every ?? defaultEvery)(() => this.tick(), options.flushIntervalMs ?? 1000);
  }

  /**
   * Whether to log this request: it is in the deployment's sample and the deployment has budget
   * left this second (which this spends). Build the record only if so, then `record` it.
   */
  sampled(deployment: string, requestId: string): boolean {
    if (!isSampled(requestId, this.rateOf(deployment))) return false;
    if (this.rateLimit === undefined || this.rateLimit.take(deployment)) return true;
    this.drop(deployment, 'rate_limited', 1);
    return false;
  }

  /** Takes a record (of a request `sampled` admitted) for writing later. Synchronous and cheap: the request path calls it. */
  record(record: InferenceRecord): RecordOutcome {
    if (!isSampled(record.requestId, this.rateOf(record.deployment))) {
      this.sampledOut++;
      return 'sampled_out';
    }
    if (this.closed) {
      this.drop(record.deployment, 'closed', 1);
      return 'dropped';
    }
    if (this.buffer.length >= this.capacity) {
      this.drop(record.deployment, 'buffer_full', 1);
      return 'dropped';
    }
    this.buffer.push(record);
    if (this.buffer.length >= this.batchSize) this.scheduleDrain();
    return 'buffered';
  }

  /** Writes everything buffered now; resolves when the sink has taken (or failed) all of it. */
  async flush(): Promise<void> {
    this.due = this.buffer.length;
    while (this.due > 0 || this.draining) {
      this.startDrain();
      await this.draining;
    }
  }

  /**
   * Stops taking records and writes what it can within `deadlineMs`; records still buffered at the
   * deadline are dropped and counted. A batch the sink is writing at that moment is left to finish.
   */
  close(deadlineMs = 5000): Promise<void> {
    this.closing ??= this.closeWithin(deadlineMs);
    return this.closing;
  }

  private async closeWithin(deadlineMs: number): Promise<void> {
    this.closed = true;
    this.stopTimer();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, deadlineMs)));
    try {
      await Promise.race([this.flush(), deadline]);
    } finally {
      clearTimeout(timer);
    }
    const left = this.buffer.splice(0);
    this.due = 0;
    this.dropEach(left, 'closed');
  }

  stats(): InferenceLogStats {
    return { buffered: this.buffer.length, written: this.written, sampledOut: this.sampledOut, dropped: { ...this.dropped } };
  }

  private tick(): void {
    this.due = this.buffer.length;
    if (this.due > 0) this.scheduleDrain();
  }

  /**
   * Starts writing on a later turn of the event loop, never inside `record`: a sink may do
   * synchronous work (encoding JSON) before its first await, and that must not land on a request.
   */
  private scheduleDrain(): void {
    if (this.draining || this.drainScheduled) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      this.startDrain();
    });
  }

  private startDrain(): void {
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
  }

  private async drain(): Promise<void> {
    while (this.buffer.length >= this.batchSize || (this.due > 0 && this.buffer.length > 0)) {
      const batch = this.buffer.splice(0, this.batchSize);
      this.due = Math.max(0, this.due - batch.length);
      try {
        await this.sink.write(batch);
        this.written += batch.length;
      } catch (err) {
        this.logger?.warn({ err, records: batch.length }, 'inference log write failed; the batch was dropped');
        this.dropEach(batch, 'sink_error');
      }
    }
    this.due = 0;
  }

  private dropEach(records: readonly InferenceRecord[], reason: InferenceLogDropReason): void {
    const perDeployment = new Map<string, number>();
    for (const r of records) perDeployment.set(r.deployment, (perDeployment.get(r.deployment) ?? 0) + 1);
    for (const [deployment, count] of perDeployment) this.drop(deployment, reason, count);
  }

  private drop(deployment: string, reason: InferenceLogDropReason, count: number): void {
    this.dropped[reason] += count;
    this.metrics?.inferenceLogDropped(deployment, reason, count);
  }
}

function checkRate(rate: number): void {
  if (!(rate >= 0 && rate <= 1)) throw invalidParameter(`Inference log sample rate must be between 0 and 1, got ${rate}`);
}
