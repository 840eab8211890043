import type { InferenceRuntime, LoadedModel, ModelSource, SessionOptions } from '../../../ports/inference-runtime.js';
import { warmupFeeds } from './warmup-feeds.js';

/** A hold on a loaded model. The model stays loaded while at least one lease is held. */
export interface ModelLease {
  readonly model: LoadedModel;
  /** Gives the hold back. Calling it again does nothing. */
  release(): void;
}

/** Runs `fn` after `ms` milliseconds; the returned function cancels it. */
export type Schedule = (fn: () => void, ms: number) => () => void;

export interface ModelPoolOptions {
  readonly runtime: InferenceRuntime;
  /** How long a model with no lease stays loaded, in case it is asked for again. Default 0. */
  readonly gracePeriodMs?: number;
  readonly schedule?: Schedule;
  /** Clock for `stats()`, in milliseconds. */
  readonly now?: () => number;
  /** A session that fails to release has no caller left to tell; this hears about it. */
  readonly onUnloadError?: (key: string, err: unknown) => void;
}

export interface PooledModelStats {
  readonly key: string;
  readonly leases: number;
  /** When the model became ready (`now()`). */
  readonly loadedAt: number;
  /** Time spent in the loader (fetching the bytes), in creating the session, in the warm-up run. */
  readonly fetchMs: number;
  readonly loadMs: number;
  readonly warmupMs: number;
}

/** Milliseconds spent fetching the bytes, creating the session and running the warm-up. */
export interface LoadTimings {
  readonly fetchMs: number;
  readonly loadMs: number;
  readonly warmupMs: number;
}

interface Ready extends LoadTimings {
  readonly model: LoadedModel;
  readonly loadedAt: number;
}

interface Entry {
  /** Acquires waiting for the load plus leases not yet released. */
  holders: number;
  leases: number;
  readonly ready: Promise<Ready>;
  loaded: Ready | undefined;
  cancelUnload: (() => void) | undefined;
}

const defaultSchedule: Schedule = (fn, ms) => {
  const timer = setTimeout(fn, ms);
  // A model waiting out its grace period must not keep the process alive.
  timer.unref();
  return () => clearTimeout(timer);
};

/**
 * Loaded models shared by key (`registry:<name>/<version>`, a content digest, ...). A key is loaded
 * once however many hold it; concurrent acquires share the load in flight; a failed load is
 * forgotten so the next acquire tries again. A model is warmed up before the first lease is handed
 * out and released when its last lease is (after the grace period). The session options of the
 * acquire that starts a load apply; later acquires of the loaded key share that session.
 */
export class ModelPool {
  readonly #runtime: InferenceRuntime;
  readonly #graceMs: number;
  readonly #schedule: Schedule;
  readonly #now: () => number;
  readonly #onUnloadError: (key: string, err: unknown) => void;
  readonly #entries = new Map<string, Entry>();
  readonly #unloading = new Set<Promise<void>>();
  #closed = false;

  constructor(options: ModelPoolOptions) {
    this.#runtime = options.runtime;
    this.#graceMs = options.gracePeriodMs ?? 0;
    this.#schedule = options.schedule ?? defaultSchedule;
    this.#now = options.now ?? Date.now;
    this.#onUnloadError = options.onUnloadError ?? (() => undefined);
  }

  /**
   * `onLoaded` hears the timings of the load this acquire started (not when it shared a load in
   * flight or an already loaded model), so a load is counted once.
   */
  async acquire(key: string, loader: () => Promise<ModelSource>, options: SessionOptions = {}, onLoaded?: (timings: LoadTimings) => void): Promise<ModelLease> {
    if (this.#closed) throw new Error('the model pool is closed');
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      entry = this.#startLoad(key, loader, options);
      this.#entries.set(key, entry);
      if (onLoaded) entry.ready.then(onLoaded, () => undefined);
    }
    // Counted before waiting, so a lease released meanwhile cannot unload what this caller is about to get.
    entry.holders++;
    entry.cancelUnload?.();
    entry.cancelUnload = undefined;
    let ready: Ready;
    try {
      ready = await entry.ready;
    } catch (err) {
      entry.holders--;
      throw err;
    }
    entry.leases++;
    return this.#lease(key, entry, ready.model);
  }

  /** The loaded models (not the loads in flight), for metrics. */
  stats(): PooledModelStats[] {
    const out: PooledModelStats[] = [];
    for (const [key, entry] of this.#entries) {
      if (entry.loaded === undefined) continue;
      const { loadedAt, fetchMs, loadMs, warmupMs } = entry.loaded;
      out.push({ key, leases: entry.leases, loadedAt, fetchMs, loadMs, warmupMs });
    }
    return out;
  }

  /**
   * Releases every model, leased or not (for shutdown), once loads in flight have settled, and
   * refuses further acquires.
   */
  async close(): Promise<void> {
    this.#closed = true;
    const entries = [...this.#entries];
    this.#entries.clear();
    await Promise.all(
      entries.map(async ([key, entry]) => {
        entry.cancelUnload?.();
        entry.cancelUnload = undefined;
        const ready = await entry.ready.catch(() => undefined);
        if (ready !== undefined) await this.#releaseModel(key, ready.model);
      }),
    );
    await Promise.all([...this.#unloading]);
  }

  #startLoad(key: string, loader: () => Promise<ModelSource>, options: SessionOptions): Entry {
    const ready = this.#load(loader, options);
    const entry: Entry = { holders: 0, leases: 0, ready, loaded: undefined, cancelUnload: undefined };
    ready.then(
      (ready) => {
        entry.loaded = ready;
      },
      () => {
        // Forget the failure, so that the next acquire loads again.
        if (this.#entries.get(key) === entry) this.#entries.delete(key);
      },
    );
    return entry;
  }

  async #load(loader: () => Promise<ModelSource>, options: SessionOptions): Promise<Ready> {
    const t0 = this.#now();
    const source = await loader();
    const t1 = this.#now();
    const model = await this.#runtime.load(source, options);
    const t2 = this.#now();
    try {
      await model.run(warmupFeeds(model.inputs));
    } catch (err) {
      await model.release().catch(() => undefined);
      throw new Error(`the model loaded but its warm-up run failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const t3 = this.#now();
    return { model, loadedAt: t3, fetchMs: t1 - t0, loadMs: t2 - t1, warmupMs: t3 - t2 };
  }

  #lease(key: string, entry: Entry, model: LoadedModel): ModelLease {
    let released = false;
    return {
      model,
      release: () => {
        if (released) return;
        released = true;
        entry.leases--;
        entry.holders--;
        if (entry.holders > 0 || this.#entries.get(key) !== entry) return;
        if (this.#graceMs <= 0) {
          this.#unload(key, entry, model);
          return;
        }
        entry.cancelUnload = this.#schedule(() => {
          entry.cancelUnload = undefined;
          if (entry.holders === 0 && this.#entries.get(key) === entry) this.#unload(key, entry, model);
        }, this.#graceMs);
      },
    };
  }

  #unload(key: string, entry: Entry, model: LoadedModel): void {
    // Removed first, so an acquire from now on starts a fresh load instead of getting a closing session.
    this.#entries.delete(key);
    entry.loaded = undefined;
    const done = this.#releaseModel(key, model);
    this.#unloading.add(done);
    void done.finally(() => this.#unloading.delete(done));
  }

  async #releaseModel(key: string, model: LoadedModel): Promise<void> {
    try {
      await model.release();
    } catch (err) {
      this.#onUnloadError(key, err);
    }
  }
}
