import { Worker } from 'node:worker_threads';
import type { InferenceLogSink } from '../../modules/serving/inference-log.api.js';

export interface WorkerLogSink extends InferenceLogSink {
  /** Lets the writes in flight finish, then stops the thread and its connection. */
  close(): Promise<void>;
}

/**
 * An inference log sink whose inserts run on a worker thread with its own connection to the store
 * (log-writer-worker.ts). Batches are copied to the thread (structured clone keeps typed arrays);
 * `write` resolves when the thread has committed the batch, and rejects with its error, so the log
 * writer's accounting (written, sink_error) stays exact. A thread that dies fails what it held.
 */
export function workerLogSink(uri: string): WorkerLogSink {
  const worker = startWorker({ uri });
  // The thread keeps the process alive only while it holds writes (see hold/release).
  worker.unref();
  const pending = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  let next = 0;
  const release = () => {
    if (pending.size === 0) worker.unref();
  };
  let failure: Error | undefined;
  const failAll = (err: Error) => {
    failure = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    release();
  };
  worker.on('message', (message: { id: number; error?: string }) => {
    const p = pending.get(message.id);
    pending.delete(message.id);
    release();
    if (message.error === undefined) p?.resolve();
    else p?.reject(new Error(message.error));
  });
  worker.on('error', (err) => failAll(err));
  worker.on('exit', (code) => failAll(new Error(`the inference log thread exited (code ${code})`)));

  return {
    write(records) {
      if (failure) return Promise.reject(failure);
      const id = next++;
      return new Promise<void>((resolve, reject) => {
        if (pending.size === 0) worker.ref();
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, records });
      });
    },
    async close() {
      while (pending.size > 0 && !failure) await new Promise((r) => setTimeout(r, 5));
      if (failure) return;
      const exited = new Promise((r) => worker.once('exit', r));
      worker.postMessage({ close: true });
      await exited;
    },
  };
}

/**
 * From the compiled server the worker is JavaScript. From the sources (tests, `tsx`) it is
 * TypeScript, which a worker's entry cannot be loaded as through `--import tsx` on Node 20: a
 * small script registers tsx's loader in the thread first.
 */
function startWorker(workerData: { uri: string }): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./log-writer-worker.js', import.meta.url), { workerData });
  const entry = new URL('./log-writer-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
