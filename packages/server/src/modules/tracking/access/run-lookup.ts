import type { Run } from '@capstan/contracts';
import { tablesOf, type SqlDatabase } from '../../../ports/sql.js';
import { loadRuns } from '../runs/run-reader.js';
import type { TrackingTables } from '../tables.js';

/** Runs as MLflow returns them (params, metrics, tags, dataset inputs), for modules that trace lineage. */
export function runLookup(database: SqlDatabase<unknown>): (runIds: readonly string[]) => Promise<Run[]> {
  const { db } = tablesOf<TrackingTables>(database);
  return (runIds) => loadRuns(db, runIds);
}
