/**
 * The feature store's offline engine on DuckDB (port: ports/offline-store.ts). One in-memory DuckDB
 * instance per store, opened on first use; files under a local or s3:// root.
 */
import { totalmem } from 'node:os';
import { OfflineStoreError, type OfflineStore } from '../../../ports/offline-store.js';
import { openOfflineRoot, type OfflineRootOptions } from './open-offline-root.js';

export interface DuckdbOfflineStoreOptions extends OfflineRootOptions {
  /** DuckDB's memory_limit (e.g. '2GB'); default a quarter of the machine's memory, at most 4 GB. */
  memoryLimit?: string;
  /** DuckDB worker threads; default one per core. */
  threads?: number;
}

/** A quarter of RAM leaves the server and its other caches room; joins beyond it spill to disk. */
function defaultMemoryLimit(): string {
  const mib = Math.floor(totalmem() / 4 / 2 ** 20);
  return `${Math.max(256, Math.min(4096, mib))}MB`;
}

export function createDuckdbOfflineStore(options: DuckdbOfflineStoreOptions): OfflineStore {
  const root = openOfflineRoot(options);
  const engineOptions = { memoryLimit: options.memoryLimit ?? defaultMemoryLimit(), ...(options.threads === undefined ? {} : { threads: options.threads }) };
  let opened: Promise<OfflineStore> | undefined;
  let closed = false;
  const engine = (): Promise<OfflineStore> => {
    if (closed) return Promise.reject(new OfflineStoreError('The offline store is closed.'));
    opened ??= import('./offline-engine.js')
      .then((m) => m.openOfflineEngine(root, engineOptions))
      .catch((error: unknown) => {
        // Let the next call try again (a full temp disk, say) rather than fail forever.
        opened = undefined;
        throw error;
      });
    return opened;
  };
  return {
    historical: async (entities, views) => (await engine()).historical(entities, views),
    historicalRange: async (views, startMs, endMs) => (await engine()).historicalRange(views, startMs, endMs),
    async *latestPerKey(view, startMs, endMs, batchRows) {
      yield* (await engine()).latestPerKey(view, startMs, endMs, batchRows);
    },
    append: async (location, columns, rows) => (await engine()).append(location, columns, rows),
    async close() {
      if (closed) return;
      closed = true;
      try {
        const running = await opened?.catch(() => undefined);
        await running?.close();
      } finally {
        await root.close();
      }
    },
  };
}
