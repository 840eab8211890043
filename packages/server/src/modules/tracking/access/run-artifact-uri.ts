import { tablesOf, type SqlDatabase } from '../../../ports/sql.js';
import type { TrackingTables } from '../tables.js';

/** Where a run's artifacts live, for other modules that resolve `runs:/<run_id>/...` URIs. */
export function runArtifactUriLookup(database: SqlDatabase<unknown>): (runId: string) => Promise<string | undefined> {
  const { db } = tablesOf<TrackingTables>(database);
  return async (runId) => (await db.selectFrom('runs').select('artifact_uri').where('run_uuid', '=', runId).executeTakeFirst())?.artifact_uri;
}
