import type { Kysely } from 'kysely';
import type { SchemaMigration } from '../../../../ports/sql.js';

/**
 * Monitors, every run's result, which checks are firing, and alert deliveries. Specs and results
 * are JSON in text columns: read whole, never queried into. A monitor's runs go when it does.
 */
export const monitorsSchema: SchemaMigration = {
  name: '0011-monitors',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('monitors')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('workspace', 'text', (c) => c.notNull())
      .addColumn('deployment', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('spec', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('next_run_at', 'bigint', (c) => c.notNull())
      .addColumn('locked_until', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .execute();
    // The scheduler's question: which enabled monitors are due.
    await db.schema.createIndex('monitors_due').on('monitors').columns(['enabled', 'next_run_at']).execute();

    await db.schema
      .createTable('monitor_runs')
      .addColumn('run_id', 'text', (c) => c.primaryKey())
      .addColumn('monitor', 'text', (c) => c.notNull().references('monitors.name').onDelete('cascade'))
      .addColumn('trigger', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('finished_at', 'bigint', (c) => c.notNull())
      .addColumn('window_from', 'bigint', (c) => c.notNull())
      .addColumn('window_to', 'bigint', (c) => c.notNull())
      .addColumn('reference_rows', 'integer', (c) => c.notNull())
      .addColumn('current_rows', 'integer', (c) => c.notNull())
      .addColumn('checks', 'text', (c) => c.notNull())
      .addColumn('message', 'text')
      .addColumn('results', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('monitor_runs_latest').on('monitor_runs').columns(['monitor', 'started_at', 'run_id']).execute();

    await db.schema
      .createTable('monitor_alert_states')
      .addColumn('monitor', 'text', (c) => c.notNull().references('monitors.name').onDelete('cascade'))
      .addColumn('check_name', 'text', (c) => c.notNull())
      .addColumn('firing', 'integer', (c) => c.notNull())
      .addColumn('since', 'bigint', (c) => c.notNull())
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('monitor_alert_states_pk', ['monitor', 'check_name'])
      .execute();

    await db.schema
      .createTable('monitor_alert_deliveries')
      .addColumn('delivery_id', 'text', (c) => c.primaryKey())
      .addColumn('monitor', 'text', (c) => c.notNull().references('monitors.name').onDelete('cascade'))
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('check_name', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('last_error', 'text')
      .addColumn('next_attempt_at', 'bigint')
      .addColumn('locked_until', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('completed_at', 'bigint')
      .execute();
    await db.schema.createIndex('monitor_alert_deliveries_pending').on('monitor_alert_deliveries').columns(['status', 'created_at']).execute();
    await db.schema.createIndex('monitor_alert_deliveries_monitor').on('monitor_alert_deliveries').columns(['monitor', 'created_at']).execute();
  },
};
