/**
 * Everything of the store that needs DuckDB, loaded on first use by duckdb-offline-store.ts (the
 * native library costs ~130 ms and ~35 MB, which a server that never touches features should
 * not pay).
 */
import type { OfflineStore } from '../../../ports/offline-store.js';
import { appendRows } from './append-rows.js';
import { DuckdbEngine, type EngineOptions } from './duckdb-engine.js';
import { historical, historicalRange } from './historical.js';
import { latestPerKey } from './latest-per-key.js';
import type { OfflineContext } from './offline-context.js';
import type { OfflineRoot } from './offline-root.js';

export async function openOfflineEngine(root: OfflineRoot, options: EngineOptions): Promise<OfflineStore> {
  const engine = await DuckdbEngine.open(options);
  const context: OfflineContext = { engine, root, results: new Set() };
  return {
    historical: (entities, views) => historical(context, entities, views),
    historicalRange: (views, startMs, endMs) => historicalRange(context, views, startMs, endMs),
    latestPerKey: (view, startMs, endMs, batchRows) => latestPerKey(context, view, startMs, endMs, batchRows),
    append: (location, columns, rows) => appendRows(context, location, columns, rows),
    async close() {
      await Promise.all([...context.results].map((result) => result.release()));
      await engine.close();
    },
  };
}
