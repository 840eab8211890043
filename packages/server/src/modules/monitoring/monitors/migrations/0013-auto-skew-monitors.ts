import type { Kysely } from 'kysely';
import type { SchemaMigration } from '../../../../ports/sql.js';

/**
 * Which (deployment, primary version) pairs were considered for a training/serving skew monitor,
 * so each is looked at once: a monitor someone deleted stays deleted until the version changes.
 */
export const autoSkewMonitorsSchema: SchemaMigration = {
  name: '0013-auto-skew-monitors',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('monitor_auto_skew')
      .addColumn('deployment', 'text', (c) => c.primaryKey())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('monitor', 'text')
      .addColumn('considered_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
