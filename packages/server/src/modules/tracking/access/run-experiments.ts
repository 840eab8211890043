import type { ObjectRef } from '../../security/index.js';
import { tablesOf, type SqlDatabase } from '../../../ports/sql.js';
import type { TrackingTables } from '../tables.js';
import { experimentsOfRuns } from './tracking-locators.js';

/** The experiments holding some runs, as access rules name them, for modules that read runs' files. */
export function runExperiments(database: SqlDatabase<unknown>): (runIds: readonly string[]) => Promise<ObjectRef[]> {
  return experimentsOfRuns(tablesOf<TrackingTables>(database).db);
}
