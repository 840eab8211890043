import type { RuntimeTensor } from '../../../ports/inference-runtime.js';
import { ServingError } from '../engine/inference-engine.js';
import type { Schedule } from '../runtime/model-pool.js';
import { batchShape, leadingRows } from './batch-shape.js';
import { concatRows, splitRows } from './row-tensors.js';
import { RunStatistics } from './run-statistics.js';

export type Feeds = Readonly<Record<string, RuntimeTensor>>;
export type Outputs = Record<string, RuntimeTensor>;

/** One run of the model (`LoadedModel.run`). */
export type RunModel = (feeds: Feeds, outputNames?: readonly string[]) => Promise<Outputs>;

/** What one run carried, for metrics. */
export interface BatchInfo {
  /** Requests in the run. */
  readonly size: number;
  /** Rows in the run: the sum of the requests' dim 0. */
  readonly rows: number;
  /** For each request, seconds from its submit to the start of the run. */
  readonly queueSeconds: readonly number[];
  readonly computeSeconds: number;
}

export interface InferenceQueueOptions {
  readonly run: RunModel;
  /** Rows one run may carry; 1 turns batching off. A request with more rows runs alone. */
  readonly maxBatchSize: number;
  /** How long the oldest request of a batch may wait for others to join it; 0 dispatches at once. */
  readonly maxQueueDelayMicros: number;
  /** Requests that may wait (not running); one more is refused with a 429. */
  readonly maxQueueSize: number;
  /** Runs in flight on the session at once. */
  readonly maxConcurrentRuns: number;
  /** How long a request may wait before its run starts (504 after that); absent or 0: no limit. */
  readonly timeoutMs?: number;
  /** Monotonic clock in milliseconds. Default `performance.now()`. */
  readonly now?: () => number;
  readonly schedule?: Schedule;
  /** Hears about every run once its requests are answered. An error it throws is ignored. */
  readonly onBatch?: (info: BatchInfo) => void;
}

export interface SubmitOptions {
  /** Overrides the queue's `timeoutMs` for this request. */
  readonly timeoutMs?: number;
}

/** A submitted request that has not started to run. */
interface Waiting {
  /** Submit order: the oldest waiting request decides which batch runs next. */
  readonly seq: number;
  readonly feeds: Feeds;
  readonly outputNames: readonly string[] | undefined;
  readonly key: string;
  readonly rows: number;
  readonly submittedAt: number;
  readonly resolve: (outputs: Outputs) => void;
  readonly reject: (err: unknown) => void;
  started: boolean;
  cancelTimeout: (() => void) | undefined;
}

/** The group of requests that never share a run. Batch keys are JSON arrays, so none is empty. */
const RUNS_ALONE = '';

const defaultSchedule: Schedule = (fn, ms) => {
  const timer = setTimeout(fn, ms);
  return () => clearTimeout(timer);
};

/**
 * The only way requests reach one loaded model version's `run`. It bounds the runs in flight and
 * the requests waiting, and (with `maxBatchSize` above 1) joins compatible requests along
 * dimension 0 into one run and cuts the outputs back per request.
 *
 * Which batch runs next is decided by the oldest waiting request (so no shape starves another): it
 * runs with the compatible requests behind it, in submit order, up to `maxBatchSize` rows, once
 * that batch is full or the oldest has waited `maxQueueDelayMicros`. With batching off, or no delay,
 * a request that finds a free run slot and nobody waiting calls `run` directly: no timer, no copy,
 * and the caller gets `run`'s own promise.
 */
export class InferenceQueue {
  readonly #run: RunModel;
  readonly #maxBatchSize: number;
  readonly #delayMs: number;
  readonly #maxQueueSize: number;
  readonly #maxConcurrentRuns: number;
  readonly #timeoutMs: number | undefined;
  readonly #now: () => number;
  readonly #schedule: Schedule;
  readonly #onBatch: ((info: BatchInfo) => void) | undefined;
  readonly #stats = new RunStatistics();
  /** Waiting requests by batch key, oldest first within a group. */
  readonly #groups = new Map<string, Waiting[]>();
  #depth = 0;
  #inFlight = 0;
  #runs = 0;
  #seq = 0;
  /** Off when configured so, and for good once a model's outputs turned out not to be per row. */
  #batching: boolean;
  #delayTimer: { readonly deadline: number; readonly cancel: () => void } | undefined;
  #drainWaiters: (() => void)[] = [];

  constructor(options: InferenceQueueOptions) {
    requireInteger('maxBatchSize', options.maxBatchSize, 1);
    requireInteger('maxQueueSize', options.maxQueueSize, 0);
    requireInteger('maxConcurrentRuns', options.maxConcurrentRuns, 1);
    if (!(options.maxQueueDelayMicros >= 0)) throw new RangeError(`maxQueueDelayMicros must be 0 or more, got ${options.maxQueueDelayMicros}`);
    this.#run = options.run;
    this.#maxBatchSize = options.maxBatchSize;
    this.#delayMs = options.maxQueueDelayMicros / 1000;
    this.#maxQueueSize = options.maxQueueSize;
    this.#maxConcurrentRuns = options.maxConcurrentRuns;
    this.#timeoutMs = options.timeoutMs;
    this.#now = options.now ?? (() => performance.now());
    this.#schedule = options.schedule ?? defaultSchedule;
    this.#onBatch = options.onBatch;
    this.#batching = options.maxBatchSize > 1;
  }

  /** Requests waiting for a run. */
  get depth(): number {
    return this.#depth;
  }

  /** Requests submitted and not yet answered, waiting or running. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /**
   * Runs the model on `feeds` (alone or in a batch) and resolves with the request's outputs.
   * Rejects with ServingError 429 when the queue is full, 504 when the request waited past its
   * timeout; any other rejection is the model's own failure.
   */
  submit(feeds: Feeds, outputNames?: readonly string[], options?: SubmitOptions): Promise<Outputs> {
    if (this.#depth === 0 && this.#runs < this.#maxConcurrentRuns && (!this.#batching || this.#delayMs === 0)) {
      return this.#runDirectly(feeds, outputNames);
    }
    if (this.#depth >= this.#maxQueueSize) {
      const retryAfter = this.#stats.retryAfterSeconds(this.#depth, this.#maxConcurrentRuns);
      return Promise.reject(new ServingError(429, `the model's queue is full (${this.#depth} requests waiting); retry later`, retryAfter));
    }
    return new Promise<Outputs>((resolve, reject) => this.#enqueue(feeds, outputNames, options?.timeoutMs ?? this.#timeoutMs, resolve, reject));
  }

  /** Resolves once every request submitted so far, and any submitted meanwhile, is answered. */
  drain(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  /** The fast path: `run`'s own promise, watched only to free the slot and record the run. */
  #runDirectly(feeds: Feeds, outputNames: readonly string[] | undefined): Promise<Outputs> {
    this.#runs++;
    this.#inFlight++;
    const startedAt = this.#now();
    let outputs: Promise<Outputs>;
    try {
      outputs = this.#run(feeds, outputNames);
    } catch (err) {
      outputs = Promise.reject(err);
    }
    const finish = (): void => {
      this.#runs--;
      this.#recordDirect(feeds, startedAt);
      this.#settledOne();
      this.#pump();
    };
    outputs.then(finish, finish);
    return outputs;
  }

  #enqueue(
    feeds: Feeds,
    outputNames: readonly string[] | undefined,
    timeoutMs: number | undefined,
    resolve: (outputs: Outputs) => void,
    reject: (err: unknown) => void,
  ): void {
    const shape = this.#batching ? batchShape(feeds, outputNames) : undefined;
    const request: Waiting = {
      seq: this.#seq++,
      feeds,
      outputNames,
      key: shape?.key ?? RUNS_ALONE,
      rows: shape?.rows ?? leadingRows(feeds),
      submittedAt: this.#now(),
      resolve,
      reject,
      started: false,
      cancelTimeout: undefined,
    };
    const group = this.#groups.get(request.key);
    if (group === undefined) this.#groups.set(request.key, [request]);
    else group.push(request);
    this.#depth++;
    this.#inFlight++;
    this.#pump();
    // Only a request still waiting needs a timer; one the pump just started never times out.
    if (!request.started && timeoutMs !== undefined && timeoutMs > 0) {
      request.cancelTimeout = this.#schedule(() => this.#expire(request, timeoutMs), timeoutMs);
    }
  }

  /** Starts every batch that is due while run slots are free; otherwise waits for the oldest's deadline. */
  #pump(): void {
    while (this.#depth > 0 && this.#runs < this.#maxConcurrentRuns) {
      const group = this.#oldestGroup();
      const head = group[0];
      const { count, full } = this.#nextBatch(group);
      const deadline = head.submittedAt + this.#delayMs;
      if (!full && this.#now() < deadline) {
        this.#armDelay(deadline);
        return;
      }
      const batch = group.splice(0, count);
      if (group.length === 0) this.#groups.delete(head.key);
      this.#start(batch);
    }
    // Nothing waits, or no slot is free (a run that ends pumps again): no deadline to watch.
    this.#disarmDelay();
  }

  #oldestGroup(): Waiting[] {
    let oldest: Waiting[] | undefined;
    for (const group of this.#groups.values()) {
      if (oldest === undefined || group[0].seq < oldest[0].seq) oldest = group;
    }
    if (oldest === undefined) throw new Error('the queue counts waiting requests but holds none');
    return oldest;
  }

  /** How many requests from the front of `group` make the next batch, and whether it can grow no more. */
  #nextBatch(group: readonly Waiting[]): { count: number; full: boolean } {
    if (!this.#batching || group[0].key === RUNS_ALONE) return { count: 1, full: true };
    let rows = group[0].rows;
    let count = 1;
    for (; count < group.length; count++) {
      // Submit order within a shape: a request that does not fit waits for the next batch.
      if (rows + group[count].rows > this.#maxBatchSize) return { count, full: true };
      rows += group[count].rows;
    }
    return { count, full: rows >= this.#maxBatchSize };
  }

  #armDelay(deadline: number): void {
    if (this.#delayTimer?.deadline === deadline) return;
    this.#disarmDelay();
    const cancel = this.#schedule(() => {
      this.#delayTimer = undefined;
      this.#pump();
    }, Math.max(0, deadline - this.#now()));
    this.#delayTimer = { deadline, cancel };
  }

  #disarmDelay(): void {
    this.#delayTimer?.cancel();
    this.#delayTimer = undefined;
  }

  #start(batch: Waiting[]): void {
    this.#depth -= batch.length;
    this.#runs++;
    for (const request of batch) {
      request.started = true;
      request.cancelTimeout?.();
    }
    void this.#execute(batch, this.#now()).finally(() => {
      this.#runs--;
      this.#pump();
    });
  }

  /** Runs a batch and answers each of its requests; never rejects. */
  async #execute(batch: readonly Waiting[], startedAt: number): Promise<void> {
    if (batch.length === 1) return this.#runAlone(batch[0], startedAt);
    let pieces: Outputs[] | undefined;
    try {
      const feeds: Record<string, RuntimeTensor> = {};
      for (const name in batch[0].feeds) feeds[name] = concatRows(batch.map((request) => request.feeds[name]));
      const outputs = await this.#run(feeds, batch[0].outputNames);
      pieces = splitRows(outputs, batch.map((request) => request.rows));
    } catch (err) {
      this.#recordBatch(batch, startedAt);
      for (const request of batch) this.#reject(request, err);
      return;
    }
    if (pieces === undefined) {
      // An output is not one row per input row (it sums over the batch, or has a fixed size), so
      // it cannot be cut per request. Answer each request from a run of its own, and stop batching
      // for this model: correctness must not depend on the next batch happening to look per-row.
      this.#batching = false;
      for (const request of batch) await this.#runAlone(request, this.#now());
      return;
    }
    this.#recordBatch(batch, startedAt);
    batch.forEach((request, i) => this.#resolve(request, pieces[i]));
  }

  async #runAlone(request: Waiting, startedAt: number): Promise<void> {
    let outputs: Outputs;
    try {
      outputs = await this.#run(request.feeds, request.outputNames);
    } catch (err) {
      this.#recordBatch([request], startedAt);
      this.#reject(request, err);
      return;
    }
    this.#recordBatch([request], startedAt);
    this.#resolve(request, outputs);
  }

  #resolve(request: Waiting, outputs: Outputs): void {
    request.resolve(outputs);
    this.#settledOne();
  }

  #reject(request: Waiting, err: unknown): void {
    request.reject(err);
    this.#settledOne();
  }

  #expire(request: Waiting, timeoutMs: number): void {
    const group = this.#groups.get(request.key);
    const index = request.started || group === undefined ? -1 : group.indexOf(request);
    if (group === undefined || index === -1) return;
    group.splice(index, 1);
    if (group.length === 0) this.#groups.delete(request.key);
    this.#depth--;
    this.#reject(request, new ServingError(504, `the request waited ${timeoutMs} ms without its run starting`));
    // The oldest request may have changed, and with it the batch and deadline to wait for.
    this.#pump();
  }

  #settledOne(): void {
    if (--this.#inFlight > 0 || this.#drainWaiters.length === 0) return;
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** A run that went directly: one request that waited 0 s. */
  #recordDirect(feeds: Feeds, startedAt: number): void {
    const computeSeconds = (this.#now() - startedAt) / 1000;
    this.#stats.record(1, computeSeconds);
    if (this.#onBatch !== undefined) this.#report({ size: 1, rows: leadingRows(feeds), queueSeconds: [0], computeSeconds });
  }

  #recordBatch(batch: readonly Waiting[], startedAt: number): void {
    const computeSeconds = (this.#now() - startedAt) / 1000;
    this.#stats.record(batch.length, computeSeconds);
    if (this.#onBatch === undefined) return;
    let rows = 0;
    for (const request of batch) rows += request.rows;
    const queueSeconds = batch.map((request) => (startedAt - request.submittedAt) / 1000);
    this.#report({ size: batch.length, rows, queueSeconds, computeSeconds });
  }

  #report(info: BatchInfo): void {
    try {
      this.#onBatch?.(info);
    } catch {
      // Metrics must not strand the requests of a run or stop the queue.
    }
  }
}

function requireInteger(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be an integer of ${min} or more, got ${value}`);
}
