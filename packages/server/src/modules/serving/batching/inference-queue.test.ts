import { describe, expect, it } from 'vitest';
import type { RuntimeTensor } from '../../../ports/inference-runtime.js';
import { ServingError } from '../engine/inference-engine.js';
import type { Schedule } from '../runtime/model-pool.js';
import type { BatchInfo, Feeds, InferenceQueueOptions, Outputs, RunModel } from './inference-queue.js';
import { InferenceQueue } from './inference-queue.js';

/** Every input `name` comes back as output `name*2`, each element doubled (strings repeated). */
function doubled(feeds: Feeds, outputNames?: readonly string[]): Outputs {
  const out: Outputs = {};
  for (const [name, tensor] of Object.entries(feeds)) {
    const outName = `${name}*2`;
    if (outputNames === undefined || outputNames.includes(outName)) out[outName] = double(tensor);
  }
  return out;
}

function double(t: RuntimeTensor): RuntimeTensor {
  switch (t.type) {
    case 'float32': return { type: 'float32', dims: t.dims, data: t.data.map((v) => v * 2) };
    case 'float64': return { type: 'float64', dims: t.dims, data: t.data.map((v) => v * 2) };
    case 'int64': return { type: 'int64', dims: t.dims, data: t.data.map((v) => v * 2n) };
    case 'string': return { type: 'string', dims: t.dims, data: t.data.map((s) => s + s) };
    default: throw new Error(`the fake model does not double ${t.type}`);
  }
}

interface RunCall {
  readonly feeds: Feeds;
  readonly outputNames: readonly string[] | undefined;
  readonly returned: Promise<Outputs>;
}

/**
 * An in-memory model that records its runs. While `hold` is set, a run waits for `finishNext()`;
 * `failWhen` picks the runs that fail.
 */
class FakeModel {
  readonly calls: RunCall[] = [];
  hold = false;
  failWhen: (feeds: Feeds) => boolean = () => false;
  running = 0;
  maxRunning = 0;
  readonly #held: (() => void)[] = [];

  constructor(readonly compute: (feeds: Feeds, outputNames?: readonly string[]) => Outputs = doubled) {}

  readonly run: RunModel = (feeds, outputNames) => {
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    const finish = (): Outputs => {
      this.running--;
      if (this.failWhen(feeds)) throw new Error('kernel failed');
      return this.compute(feeds, outputNames);
    };
    const returned = this.hold
      ? new Promise<Outputs>((resolve, reject) => this.#held.push(() => {
        try {
          resolve(finish());
        } catch (err) {
          reject(err);
        }
      }))
      : Promise.resolve().then(finish);
    this.calls.push({ feeds, outputNames, returned });
    return returned;
  };

  /** Lets the oldest held run finish, and lets the queue react. */
  async finishNext(): Promise<void> {
    const next = this.#held.shift();
    if (next === undefined) throw new Error('no run is held');
    next();
    await settle();
  }

  /** The dim 0 of input `x` of every run so far. */
  rowsPerRun(): number[] {
    return this.calls.map((call) => call.feeds['x'].dims[0]);
  }
}

/** A clock and timers the test moves by hand. */
function manualTime(): { now: () => number; schedule: Schedule; pending: () => number; advance: (ms: number) => void } {
  let now = 0;
  let tasks: { at: number; fn: () => void }[] = [];
  return {
    now: () => now,
    schedule: (fn, ms) => {
      const task = { at: now + ms, fn };
      tasks.push(task);
      return () => {
        tasks = tasks.filter((t) => t !== task);
      };
    },
    pending: () => tasks.length,
    advance: (ms) => {
      const until = now + ms;
      // A bounded loop: a timer that keeps re-arming itself for the same instant fails the test instead of hanging it.
      for (let fired = 0; ; fired++) {
        const due = tasks.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
        if (due === undefined) break;
        if (fired === 1000) throw new Error(`timers keep firing at ${due.at} ms`);
        tasks = tasks.filter((t) => t !== due);
        now = due.at;
        due.fn();
      }
      now = until;
    },
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A request of `rows` rows: `x` float32 [rows, 2], `ids` int64 [rows], `s` string [rows]. */
function request(rows: number, first: number): Feeds {
  const values = Array.from({ length: rows * 2 }, (_, i) => first + i);
  return {
    x: { type: 'float32', dims: [rows, 2], data: Float32Array.from(values) },
    ids: { type: 'int64', dims: [rows], data: BigInt64Array.from(values.slice(0, rows).map(BigInt)) },
    s: { type: 'string', dims: [rows], data: values.slice(0, rows).map((v) => `r${v}`) },
  };
}

const x = (type: 'float32' | 'float64', dims: number[]): Feeds => ({
  x: type === 'float32'
    ? { type, dims, data: new Float32Array(dims[0] * dims[1]).fill(1) }
    : { type, dims, data: new Float64Array(dims[0] * dims[1]).fill(1) },
});

/** Follows a promise without awaiting it, so a test can check it is still pending. */
function track<T>(promise: Promise<T>): { state: 'pending' | 'resolved' | 'rejected'; value?: T; error?: unknown } {
  const tracked: { state: 'pending' | 'resolved' | 'rejected'; value?: T; error?: unknown } = { state: 'pending' };
  promise.then(
    (value) => Object.assign(tracked, { state: 'resolved', value }),
    (error: unknown) => Object.assign(tracked, { state: 'rejected', error }),
  );
  return tracked;
}

function queueOf(model: FakeModel, options: Partial<InferenceQueueOptions> = {}): { queue: InferenceQueue; time: ReturnType<typeof manualTime>; batches: BatchInfo[] } {
  const time = manualTime();
  const batches: BatchInfo[] = [];
  const queue = new InferenceQueue({
    run: model.run,
    maxBatchSize: 1,
    maxQueueDelayMicros: 0,
    maxQueueSize: 100,
    maxConcurrentRuns: 1,
    now: time.now,
    schedule: time.schedule,
    onBatch: (info) => batches.push(info),
    ...options,
  });
  return { queue, time, batches };
}

describe('InferenceQueue without batching', () => {
  it('hands a request with a free slot straight to run: same feeds, run\'s own promise, no timer', async () => {
    const model = new FakeModel();
    const { queue, time, batches } = queueOf(model, { maxQueueDelayMicros: 5000, timeoutMs: 1000 });
    const feeds = request(2, 1);
    const answer = queue.submit(feeds, ['x*2']);
    expect(model.calls).toHaveLength(1);
    expect(model.calls[0].feeds).toBe(feeds);
    expect(model.calls[0].outputNames).toEqual(['x*2']);
    expect(answer).toBe(model.calls[0].returned);
    expect(time.pending()).toBe(0);
    expect(queue.inFlight).toBe(1);
    expect(queue.depth).toBe(0);
    expect(await answer).toEqual({ 'x*2': { type: 'float32', dims: [2, 2], data: Float32Array.from([2, 4, 6, 8]) } });
    expect(queue.inFlight).toBe(0);
    expect(batches).toEqual([{ size: 1, rows: 2, queueSeconds: [0], computeSeconds: 0 }]);
  });

  it('takes the direct path with batching on but no delay, when nobody waits', () => {
    const model = new FakeModel();
    const { queue, time } = queueOf(model, { maxBatchSize: 8, maxQueueDelayMicros: 0 });
    const feeds = request(1, 1);
    expect(queue.submit(feeds)).toBe(model.calls[0].returned);
    expect(model.calls[0].feeds).toBe(feeds);
    expect(time.pending()).toBe(0);
  });

  it('passes a failure of run to the caller as it is', async () => {
    const model = new FakeModel();
    model.failWhen = () => true;
    const { queue } = queueOf(model);
    await expect(queue.submit(request(1, 1))).rejects.toThrow('kernel failed');
    expect(queue.inFlight).toBe(0);
  });

  it('keeps at most maxConcurrentRuns runs in flight and starts waiting requests in order', async () => {
    const model = new FakeModel();
    model.hold = true;
    const { queue } = queueOf(model, { maxConcurrentRuns: 2 });
    const feeds = [1, 2, 3, 4, 5].map((i) => request(1, i * 10));
    const answers = feeds.map((f) => queue.submit(f));
    expect(model.calls).toHaveLength(2);
    expect(queue.depth).toBe(3);
    expect(queue.inFlight).toBe(5);
    await model.finishNext();
    expect(model.calls).toHaveLength(3);
    expect(model.calls[2].feeds).toBe(feeds[2]);
    while (model.calls.length < 5 || model.running > 0) await model.finishNext();
    expect(await Promise.all(answers)).toEqual(feeds.map((f) => doubled(f)));
    expect(model.maxRunning).toBe(2);
    expect(model.calls.map((c) => c.feeds)).toEqual(feeds);
  });
});

describe('InferenceQueue with batching', () => {
  it('joins waiting requests into one run and gives each its own rows of every output', async () => {
    const model = new FakeModel();
    model.hold = true;
    const { queue, batches } = queueOf(model, { maxBatchSize: 8 });
    const first = queue.submit(request(1, 100));
    const feeds = [request(1, 0), request(2, 10), request(3, 20)];
    const answers = feeds.map((f) => queue.submit(f));
    expect(queue.depth).toBe(3);
    await model.finishNext();
    expect(model.calls).toHaveLength(2);
    const batch = model.calls[1].feeds;
    expect(batch['x']).toEqual({ type: 'float32', dims: [6, 2], data: Float32Array.from([0, 1, 10, 11, 12, 13, 20, 21, 22, 23, 24, 25]) });
    expect(batch['ids']).toEqual({ type: 'int64', dims: [6], data: BigInt64Array.from([0n, 10n, 11n, 20n, 21n, 22n]) });
    expect(batch['s']).toEqual({ type: 'string', dims: [6], data: ['r0', 'r10', 'r11', 'r20', 'r21', 'r22'] });
    await model.finishNext();
    const [, second] = await Promise.all(answers);
    expect(second).toEqual({
      'x*2': { type: 'float32', dims: [2, 2], data: Float32Array.from([20, 22, 24, 26]) },
      'ids*2': { type: 'int64', dims: [2], data: BigInt64Array.from([20n, 22n]) },
      's*2': { type: 'string', dims: [2], data: ['r10r10', 'r11r11'] },
    });
    expect(await Promise.all(answers)).toEqual(feeds.map((f) => doubled(f)));
    await first;
    expect(batches.map(({ size, rows }) => ({ size, rows }))).toEqual([{ size: 1, rows: 1 }, { size: 3, rows: 6 }]);
    expect(queue.inFlight).toBe(0);
  });

  it('passes the requested outputs of the batch to run', async () => {
    const model = new FakeModel();
    const { queue, time } = queueOf(model, { maxBatchSize: 8, maxQueueDelayMicros: 1000 });
    const answers = [queue.submit(request(1, 1), ['s*2', 'x*2']), queue.submit(request(1, 2), ['x*2', 's*2'])];
    time.advance(1);
    expect(model.calls).toHaveLength(1);
    expect(model.calls[0].outputNames).toEqual(['s*2', 'x*2']);
    expect((await Promise.all(answers)).map((a) => Object.keys(a).sort())).toEqual([['s*2', 'x*2'], ['s*2', 'x*2']]);
  });

  it('never puts more than maxBatchSize rows in a run, and runs a larger request alone', async () => {
    const model = new FakeModel();
    const { queue } = queueOf(model, { maxBatchSize: 4, maxQueueDelayMicros: 10_000 });
    const feeds = [1, 2, 2, 1, 3, 5].map((rows, i) => request(rows, i * 100));
    const answers = await Promise.all(feeds.map((f) => queue.submit(f)));
    // In submit order: 1+2 (the next 2 does not fit), 2+1, 3 (5 does not fit), 5 alone.
    expect(model.rowsPerRun()).toEqual([3, 3, 3, 5]);
    expect(answers).toEqual(feeds.map((f) => doubled(f)));
  });

  it('never mixes incompatible requests, and serves shapes in the order of their oldest request', async () => {
    const model = new FakeModel();
    model.hold = true;
    const { queue } = queueOf(model, { maxBatchSize: 8 });
    void queue.submit(x('float32', [1, 2]));
    const a = queue.submit(x('float32', [1, 2]));
    const b = queue.submit(x('float32', [1, 3]));
    const c = queue.submit(x('float32', [1, 2]));
    const d = queue.submit(x('float64', [1, 2]));
    const e = queue.submit(x('float32', [1, 2]), ['x*2']);
    const f = queue.submit(x('float32', [2, 2]));
    await model.finishNext();
    // a's shape goes first, taking c and f along; a request of that shape arriving now queues behind b, d and e.
    const g = queue.submit(x('float32', [1, 2]));
    while (model.calls.length < 6 || model.running > 0) await model.finishNext();
    const runs = model.calls.slice(1).map((call) => ({ type: call.feeds['x'].type, dims: call.feeds['x'].dims, outputs: call.outputNames }));
    expect(runs).toEqual([
      { type: 'float32', dims: [4, 2], outputs: undefined },
      { type: 'float32', dims: [1, 3], outputs: undefined },
      { type: 'float64', dims: [1, 2], outputs: undefined },
      { type: 'float32', dims: [1, 2], outputs: ['x*2'] },
      { type: 'float32', dims: [1, 2], outputs: undefined },
    ]);
    expect((await f)['x*2'].dims).toEqual([2, 2]);
    expect((await d)['x*2'].data).toEqual(Float64Array.from([2, 2]));
    for (const answer of [a, b, c, e, g]) expect((await answer)['x*2'].dims[0]).toBe(1);
  });

  it('lets the oldest waiting request pick the next batch even when its shape came second', async () => {
    const model = new FakeModel();
    model.hold = true;
    const { queue } = queueOf(model, { maxBatchSize: 2 });
    void queue.submit(x('float32', [1, 2]));
    const answers = [
      queue.submit(x('float32', [1, 2])),
      queue.submit(x('float32', [1, 3])),
      queue.submit(x('float32', [1, 2])),
      queue.submit(x('float32', [1, 2])),
    ];
    while (model.calls.length < 4 || model.running > 0) await model.finishNext();
    // The first shape's leftover request is younger than the second shape's request.
    expect(model.calls.slice(1).map((call) => call.feeds['x'].dims)).toEqual([[2, 2], [1, 3], [1, 2]]);
    await Promise.all(answers);
  });

  it('dispatches a partial batch once its oldest request has waited maxQueueDelayMicros', async () => {
    const model = new FakeModel();
    const { queue, time, batches } = queueOf(model, { maxBatchSize: 8, maxQueueDelayMicros: 4000, maxConcurrentRuns: 2 });
    const a = queue.submit(request(1, 1));
    time.advance(1);
    const b = queue.submit(request(2, 10));
    time.advance(2);
    expect(model.calls).toHaveLength(0);
    expect(queue.depth).toBe(2);
    time.advance(1);
    expect(model.rowsPerRun()).toEqual([3]);
    expect(time.pending()).toBe(0);
    expect(await a).toEqual(doubled(request(1, 1)));
    expect(await b).toEqual(doubled(request(2, 10)));
    expect(batches).toHaveLength(1);
    expect(batches[0].queueSeconds[0]).toBeCloseTo(0.004, 9);
    expect(batches[0].queueSeconds[1]).toBeCloseTo(0.003, 9);
  });

  it('dispatches a full batch without waiting for the delay', async () => {
    const model = new FakeModel();
    const { queue, time } = queueOf(model, { maxBatchSize: 4, maxQueueDelayMicros: 1_000_000 });
    const answers = [queue.submit(request(1, 1)), queue.submit(request(3, 10))];
    expect(model.rowsPerRun()).toEqual([4]);
    expect(time.pending()).toBe(0);
    expect(await Promise.all(answers)).toEqual([doubled(request(1, 1)), doubled(request(3, 10))]);
  });

  it('runs a request that cannot be batched alone and without waiting for company', async () => {
    const model = new FakeModel();
    const { queue, time } = queueOf(model, { maxBatchSize: 8, maxQueueDelayMicros: 50_000 });
    const scalar: Feeds = { x: { type: 'float32', dims: [], data: Float32Array.from([4]) } };
    const answer = queue.submit(scalar);
    expect(model.calls).toHaveLength(1);
    expect(model.calls[0].feeds).toBe(scalar);
    expect(time.pending()).toBe(0);
    expect(await answer).toEqual({ 'x*2': { type: 'float32', dims: [], data: Float32Array.from([8]) } });
  });

  it('rejects every request of a failed batch with the run\'s error, and other batches go on', async () => {
    const model = new FakeModel();
    model.hold = true;
    model.failWhen = (feeds) => feeds['x'].dims[0] === 2;
    const { queue } = queueOf(model, { maxBatchSize: 8 });
    const first = queue.submit(x('float32', [1, 3]));
    const a = track(queue.submit(x('float32', [1, 2])));
    const b = track(queue.submit(x('float32', [1, 2])));
    const c = queue.submit(x('float32', [1, 3]));
    await model.finishNext();
    await model.finishNext();
    expect(a.state).toBe('rejected');
    expect(a.error).toBeInstanceOf(Error);
    expect(a.error).not.toBeInstanceOf(ServingError);
    expect(a.error).toBe(b.error);
    await model.finishNext();
    expect((await c)['x*2'].dims).toEqual([1, 3]);
    await first;
    expect(queue.inFlight).toBe(0);
  });

  it('answers each request alone, and stops batching, when an output is not per row', async () => {
    // `x*2` is per row; `total` sums the whole input, so a batch's total is no request's answer.
    const model = new FakeModel((feeds) => {
      const input = feeds['x'];
      const sum = input.type === 'float32' ? input.data.reduce((s, v) => s + v, 0) : NaN;
      return { ...doubled(feeds), total: { type: 'float32', dims: [1], data: Float32Array.from([sum]) } };
    });
    const { queue, time } = queueOf(model, { maxBatchSize: 8, maxQueueDelayMicros: 1000 });
    const feeds = [request(1, 1), request(2, 10), request(1, 100)];
    const answers = feeds.map((f) => queue.submit(f));
    time.advance(1);
    const results = await Promise.all(answers);
    expect(model.rowsPerRun()).toEqual([4, 1, 2, 1]);
    expect(results.map((r) => [...r['total'].data])).toEqual([[3], [10 + 11 + 12 + 13], [201]]);
    expect(results.map((r) => r['x*2'])).toEqual(feeds.map((f) => doubled(f)['x*2']));
    // From now on every request runs alone, and without waiting for company.
    const later = await Promise.all([queue.submit(request(1, 5)), queue.submit(request(1, 6))]);
    expect(model.rowsPerRun()).toEqual([4, 1, 2, 1, 1, 1]);
    expect(later.map((r) => [...r['total'].data])).toEqual([[11], [13]]);
    expect(time.pending()).toBe(0);
  });

  it('keeps at most maxConcurrentRuns batches in flight', async () => {
    const model = new FakeModel();
    model.hold = true;
    const { queue } = queueOf(model, { maxBatchSize: 2, maxConcurrentRuns: 2 });
    const answers = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => queue.submit(request(1, i)));
    expect(model.calls).toHaveLength(2);
    expect(queue.depth).toBe(6);
    while (model.calls.length < 5 || model.running > 0) await model.finishNext();
    expect(model.maxRunning).toBe(2);
    expect(model.rowsPerRun()).toEqual([1, 1, 2, 2, 2]);
    expect(await Promise.all(answers)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((i) => doubled(request(1, i))));
  });
});

describe('InferenceQueue limits', () => {
  it('refuses a request with a 429 and a Retry-After from recent run times when the queue is full', async () => {
    const model = new FakeModel();
    model.hold = true;
    const { queue, time } = queueOf(model, { maxQueueSize: 2 });
    const first = queue.submit(request(1, 1));
    time.advance(3000);
    await model.finishNext();
    await first;
    const held = [queue.submit(request(1, 2)), queue.submit(request(1, 3)), queue.submit(request(1, 4))];
    expect(queue.depth).toBe(2);
    const refused = await queue.submit(request(1, 5)).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ServingError);
    // Runs take 3 s and go one at a time: the 2 waiting plus the 1 running need 9 s.
    expect(refused).toMatchObject({ status: 429, retryAfterSeconds: 9 });
    expect(queue.depth).toBe(2);
    expect(queue.inFlight).toBe(3);
    while (model.calls.length < 4 || model.running > 0) await model.finishNext();
    await Promise.all(held);
  });

  it('refuses with a Retry-After of at least 1 s before any run has finished', async () => {
    const model = new FakeModel();
    model.hold = true;
    const { queue } = queueOf(model, { maxQueueSize: 0 });
    void queue.submit(request(1, 1));
    await expect(queue.submit(request(1, 2))).rejects.toMatchObject({ status: 429, retryAfterSeconds: 1 });
  });

  it('rejects a request that waited past its timeout with a 504 and never runs it', async () => {
    const model = new FakeModel();
    model.hold = true;
    const { queue, time } = queueOf(model, { timeoutMs: 100 });
    const first = queue.submit(request(1, 1));
    const late = track(queue.submit(request(1, 2)));
    const patient = track(queue.submit(request(1, 3), undefined, { timeoutMs: 500 }));
    time.advance(99);
    await settle();
    expect(late.state).toBe('pending');
    time.advance(1);
    await settle();
    expect(late.state).toBe('rejected');
    expect(late.error).toBeInstanceOf(ServingError);
    expect(late.error).toMatchObject({ status: 504 });
    expect(queue.depth).toBe(1);
    expect(queue.inFlight).toBe(2);
    await model.finishNext();
    await first;
    // Running now: its timeout no longer applies, and its timer (which holds the request) is gone.
    expect(model.calls[1].feeds['x'].data).toEqual(Float32Array.from([3, 4]));
    expect(time.pending()).toBe(0);
    time.advance(1000);
    await model.finishNext();
    expect(patient.state).toBe('resolved');
    expect(model.calls).toHaveLength(2);
  });

  it('moves on to the next batch when the oldest request times out', async () => {
    const model = new FakeModel();
    const { queue, time } = queueOf(model, { maxBatchSize: 8, maxQueueDelayMicros: 50_000 });
    const early = track(queue.submit(x('float32', [1, 2]), undefined, { timeoutMs: 10 }));
    time.advance(5);
    const other = queue.submit(x('float32', [1, 3]));
    time.advance(5);
    await settle();
    expect(early.state).toBe('rejected');
    // The other shape's own delay counts from its submit, at 5 ms.
    time.advance(44);
    expect(model.calls).toHaveLength(0);
    time.advance(1);
    expect((await other)['x*2'].dims).toEqual([1, 3]);
  });

  it('leaves no timer behind when the last waiting request times out', async () => {
    const model = new FakeModel();
    const { queue, time } = queueOf(model, { maxBatchSize: 8, maxQueueDelayMicros: 50_000, timeoutMs: 10 });
    const early = track(queue.submit(request(1, 1)));
    expect(time.pending()).toBe(2);
    time.advance(10);
    await settle();
    expect(early.state).toBe('rejected');
    expect(time.pending()).toBe(0);
    expect(queue.inFlight).toBe(0);
  });

  it('resolves drain once every request submitted has settled, failures included', async () => {
    const model = new FakeModel();
    model.hold = true;
    const { queue, time } = queueOf(model);
    await queue.drain();
    void queue.submit(request(1, 1));
    void queue.submit(request(1, 2), undefined, { timeoutMs: 10 }).catch(() => undefined);
    void queue.submit(request(1, 3));
    const drained = track(queue.drain());
    time.advance(10);
    await settle();
    expect(drained.state).toBe('pending');
    await model.finishNext();
    expect(drained.state).toBe('pending');
    expect(queue.inFlight).toBe(1);
    await model.finishNext();
    expect(drained.state).toBe('resolved');
    expect(queue.inFlight).toBe(0);
  });

  it('answers requests even when the metrics callback throws', async () => {
    const model = new FakeModel();
    const { queue, time } = queueOf(model, {
      maxBatchSize: 4,
      maxQueueDelayMicros: 1000,
      onBatch: () => {
        throw new Error('metrics broke');
      },
    });
    const answers = [queue.submit(request(1, 1)), queue.submit(request(1, 2))];
    time.advance(1);
    expect(await Promise.all(answers)).toEqual([doubled(request(1, 1)), doubled(request(1, 2))]);
    const third = queue.submit(request(1, 3));
    time.advance(1);
    expect(await third).toEqual(doubled(request(1, 3)));
    expect(queue.inFlight).toBe(0);
  });

  it('rejects options that cannot work', () => {
    const run: RunModel = async () => ({});
    const base = { run, maxBatchSize: 1, maxQueueDelayMicros: 0, maxQueueSize: 1, maxConcurrentRuns: 1 };
    expect(() => new InferenceQueue({ ...base, maxBatchSize: 0 })).toThrow(RangeError);
    expect(() => new InferenceQueue({ ...base, maxConcurrentRuns: 1.5 })).toThrow(RangeError);
    expect(() => new InferenceQueue({ ...base, maxQueueSize: -1 })).toThrow(RangeError);
    expect(() => new InferenceQueue({ ...base, maxQueueDelayMicros: Number.NaN })).toThrow(RangeError);
  });
});
