import { sql, type Kysely } from 'kysely';
import type { SchemaMigration } from '../../../../ports/sql.js';

/**
 * Each run's profile of its current window's inputs (serialised JSON, ~11 KB per numeric column;
 * null for runs without a data_drift check and for runs before this step), so a monitor's windows
 * can be merged across time without their rows. The index serves the merge's question: a monitor's
 * runs by window start.
 */
export const monitorProfilesSchema: SchemaMigration = {
  name: '0012-monitor-profiles',
  async up(db: Kysely<unknown>) {
    await sql`alter table monitor_runs add column profile text`.execute(db);
    await db.schema.createIndex('monitor_runs_window').on('monitor_runs').columns(['monitor', 'window_from', 'run_id']).execute();
  },
};
