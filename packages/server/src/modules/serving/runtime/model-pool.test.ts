import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { onnxruntimeNodeSessions } from '../../../adapters/onnx/onnxruntime-node-sessions.js';
import type {
  InferenceRuntime,
  LoadedModel,
  ModelSource,
  RuntimeTensor,
  SessionOptions,
  TensorInfo,
} from '../../../ports/inference-runtime.js';
import type { Schedule } from './model-pool.js';
import { ModelPool } from './model-pool.js';

const SOURCE: ModelSource = { bytes: new Uint8Array([1, 2, 3]), externalData: [] };
const INPUTS: TensorInfo[] = [{ name: 'input', type: 'float32', shape: ['N', 4] }];

/** Records what the pool asks of the runtime and of each model, in order. */
class FakeRuntime implements InferenceRuntime {
  readonly events: string[] = [];
  readonly options: SessionOptions[] = [];
  readonly warmupFeeds: Record<string, RuntimeTensor>[] = [];
  loads = 0;
  releases = 0;
  failLoad = false;
  failWarmup = false;

  async load(_model: ModelSource, options: SessionOptions): Promise<LoadedModel> {
    this.loads++;
    this.options.push(options);
    this.events.push('load');
    if (this.failLoad) throw new Error('cannot load the model: bad bytes');
    return {
      inputs: INPUTS,
      outputs: [{ name: 'y', type: 'float32', shape: ['N'] }],
      run: async (feeds) => {
        this.events.push('run');
        this.warmupFeeds.push({ ...feeds });
        if (this.failWarmup) throw new Error('kernel failed');
        return {};
      },
      release: async () => {
        this.releases++;
        this.events.push('release');
      },
    };
  }
}

function counted(source: ModelSource = SOURCE): { loader: () => Promise<ModelSource>; calls: () => number } {
  let calls = 0;
  return {
    loader: async () => {
      calls++;
      return source;
    },
    calls: () => calls,
  };
}

/** A schedule the test fires by hand. */
function manualSchedule(): { schedule: Schedule; pending: () => number; fire: () => void } {
  const tasks = new Set<() => void>();
  return {
    schedule: (fn) => {
      tasks.add(fn);
      return () => tasks.delete(fn);
    },
    pending: () => tasks.size,
    fire: () => {
      const due = [...tasks];
      tasks.clear();
      for (const fn of due) fn();
    },
  };
}

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('ModelPool', () => {
  it('loads a key once for two acquires and shares the model', async () => {
    const runtime = new FakeRuntime();
    const pool = new ModelPool({ runtime });
    const { loader, calls } = counted();
    const a = await pool.acquire('registry:iris/1', loader, { intraOpThreads: 2 });
    const b = await pool.acquire('registry:iris/1', loader, { intraOpThreads: 8 });
    expect(calls()).toBe(1);
    expect(runtime.loads).toBe(1);
    expect(b.model).toBe(a.model);
    // The acquire that started the load chose the options.
    expect(runtime.options).toEqual([{ intraOpThreads: 2 }]);
    a.release();
    b.release();
  });

  it('shares the load in flight between concurrent acquires', async () => {
    const runtime = new FakeRuntime();
    const pool = new ModelPool({ runtime });
    const { loader, calls } = counted();
    const leases = await Promise.all([1, 2, 3].map(() => pool.acquire('k', loader)));
    expect(calls()).toBe(1);
    expect(runtime.loads).toBe(1);
    expect(new Set(leases.map((l) => l.model)).size).toBe(1);
    expect(pool.stats()).toMatchObject([{ key: 'k', leases: 3 }]);
  });

  it('keeps different keys apart', async () => {
    const runtime = new FakeRuntime();
    const pool = new ModelPool({ runtime });
    const a = await pool.acquire('a', counted().loader);
    const b = await pool.acquire('b', counted().loader);
    expect(a.model).not.toBe(b.model);
    expect(pool.stats().map((s) => s.key).sort()).toEqual(['a', 'b']);
  });

  it('rejects every waiter of a failed load, and the next acquire tries again', async () => {
    const runtime = new FakeRuntime();
    const pool = new ModelPool({ runtime });
    let calls = 0;
    let fail = true;
    const loader = async (): Promise<ModelSource> => {
      calls++;
      if (fail) throw new Error('blob missing');
      return SOURCE;
    };
    const results = await Promise.allSettled([pool.acquire('k', loader), pool.acquire('k', loader)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    for (const r of results) if (r.status === 'rejected') expect(String(r.reason)).toMatch(/blob missing/);
    expect(calls).toBe(1);
    expect(pool.stats()).toEqual([]);
    fail = false;
    const lease = await pool.acquire('k', loader);
    expect(calls).toBe(2);
    expect(lease.model.inputs).toEqual(INPUTS);
  });

  it('does not cache a load the runtime refuses', async () => {
    const runtime = new FakeRuntime();
    runtime.failLoad = true;
    const pool = new ModelPool({ runtime });
    await expect(pool.acquire('k', counted().loader)).rejects.toThrow(/bad bytes/);
    runtime.failLoad = false;
    await expect(pool.acquire('k', counted().loader)).resolves.toBeDefined();
    expect(runtime.loads).toBe(2);
  });

  it('warms the model up before the first lease is handed out, and only once', async () => {
    const runtime = new FakeRuntime();
    const pool = new ModelPool({ runtime });
    const lease = await pool.acquire('k', counted().loader);
    expect(runtime.events).toEqual(['load', 'run']);
    expect(runtime.warmupFeeds).toEqual([{ input: { type: 'float32', dims: [1, 4], data: new Float32Array(4) } }]);
    await pool.acquire('k', counted().loader);
    expect(runtime.events).toEqual(['load', 'run']);
    lease.release();
  });

  it('fails the acquire and releases the session when the warm-up fails', async () => {
    const runtime = new FakeRuntime();
    runtime.failWarmup = true;
    const pool = new ModelPool({ runtime });
    await expect(pool.acquire('k', counted().loader)).rejects.toThrow(/warm-up run failed: kernel failed/);
    expect(runtime.events).toEqual(['load', 'run', 'release']);
    expect(pool.stats()).toEqual([]);
  });

  it('unloads after the last lease is released, and not before', async () => {
    const runtime = new FakeRuntime();
    const pool = new ModelPool({ runtime });
    const { loader, calls } = counted();
    const a = await pool.acquire('k', loader);
    const b = await pool.acquire('k', loader);
    a.release();
    a.release();
    await settle();
    expect(runtime.releases).toBe(0);
    expect(pool.stats()).toMatchObject([{ key: 'k', leases: 1 }]);
    b.release();
    await settle();
    expect(runtime.releases).toBe(1);
    expect(pool.stats()).toEqual([]);
    // Asked for again, it is loaded again.
    const c = await pool.acquire('k', loader);
    expect(calls()).toBe(2);
    c.release();
  });

  it('does not unload while an acquire waits for the load', async () => {
    const runtime = new FakeRuntime();
    const pool = new ModelPool({ runtime });
    let open: (s: ModelSource) => void = () => undefined;
    const slow = (): Promise<ModelSource> => new Promise((r) => (open = r));
    const first = pool.acquire('k', slow);
    const second = pool.acquire('k', slow);
    open(SOURCE);
    const a = await first;
    a.release();
    const b = await second;
    await settle();
    expect(runtime.releases).toBe(0);
    b.release();
    await settle();
    expect(runtime.releases).toBe(1);
  });

  it('keeps an unleased model for the grace period, and keeps it if asked for again meanwhile', async () => {
    const runtime = new FakeRuntime();
    const timer = manualSchedule();
    const pool = new ModelPool({ runtime, gracePeriodMs: 30_000, schedule: timer.schedule });
    const { loader, calls } = counted();
    (await pool.acquire('k', loader)).release();
    expect(timer.pending()).toBe(1);
    expect(pool.stats()).toMatchObject([{ key: 'k', leases: 0 }]);
    // Acquired within the grace period: the pending unload is cancelled and nothing is reloaded.
    const again = await pool.acquire('k', loader);
    expect(timer.pending()).toBe(0);
    expect(calls()).toBe(1);
    again.release();
    expect(timer.pending()).toBe(1);
    await settle();
    expect(runtime.releases).toBe(0);
    timer.fire();
    await settle();
    expect(runtime.releases).toBe(1);
    expect(pool.stats()).toEqual([]);
  });

  it('reports load times from the injected clock', async () => {
    let clock = 1_000;
    const runtime = new FakeRuntime();
    const pool = new ModelPool({ runtime, now: () => (clock += 5) });
    await pool.acquire('k', counted().loader);
    expect(pool.stats()).toEqual([{ key: 'k', leases: 1, loadedAt: 1_020, fetchMs: 5, loadMs: 5, warmupMs: 5 }]);
  });

  it('tells onUnloadError when a session fails to release', async () => {
    const errors: [string, unknown][] = [];
    const runtime: InferenceRuntime = {
      load: async () => ({
        inputs: [],
        outputs: [],
        run: async () => ({}),
        release: async () => {
          throw new Error('native release failed');
        },
      }),
    };
    const pool = new ModelPool({ runtime, onUnloadError: (key, err) => errors.push([key, err]) });
    (await pool.acquire('k', counted().loader)).release();
    await settle();
    expect(errors).toHaveLength(1);
    expect(errors[0]?.[0]).toBe('k');
  });

  it('close() releases every model, waits for loads in flight and refuses new acquires', async () => {
    const runtime = new FakeRuntime();
    const pool = new ModelPool({ runtime });
    await pool.acquire('a', counted().loader);
    let open: (s: ModelSource) => void = () => undefined;
    const inFlight = pool.acquire('b', () => new Promise((r) => (open = r)));
    const closing = pool.close();
    open(SOURCE);
    await inFlight;
    await closing;
    expect(runtime.releases).toBe(2);
    await expect(pool.acquire('c', counted().loader)).rejects.toThrow(/closed/);
  });
});

describe('ModelPool with onnxruntime-node', () => {
  it('loads, warms up and serves the iris model, then unloads it', async () => {
    const dir = fileURLToPath(new URL('../../../../../../fixtures/models/iris-onnx/', import.meta.url));
    const pool = new ModelPool({ runtime: onnxruntimeNodeSessions });
    const { loader, calls } = counted({ bytes: await readFile(join(dir, 'model.onnx')), externalData: [] });
    const [a, b] = await Promise.all([
      pool.acquire('registry:iris/1', loader, { intraOpThreads: 1 }),
      pool.acquire('registry:iris/1', loader, { intraOpThreads: 1 }),
    ]);
    expect(calls()).toBe(1);
    const out = await a.model.run({ input: { type: 'float32', dims: [2, 4], data: Float32Array.from([5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3]) } });
    expect(out['probabilities']?.dims).toEqual([2, 3]);
    expect(out['label']?.data).toBeInstanceOf(BigInt64Array);
    const [stats] = pool.stats();
    expect(stats).toMatchObject({ key: 'registry:iris/1', leases: 2 });
    expect(stats?.warmupMs).toBeGreaterThanOrEqual(0);
    a.release();
    b.release();
    await settle();
    await expect(a.model.run({ input: { type: 'float32', dims: [1, 4], data: new Float32Array(4) } })).rejects.toThrow(/released/);
    await pool.close();
  });
});
