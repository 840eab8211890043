/** What every operation of the engine works with. */
import type { DuckdbEngine } from './duckdb-engine.js';
import type { OfflineRoot } from './offline-root.js';
import type { DuckdbOfflineResult } from './offline-result.js';

export interface OfflineContext {
  engine: DuckdbEngine;
  root: OfflineRoot;
  /** Results not yet released; closing the store releases them. */
  results: Set<DuckdbOfflineResult>;
}
