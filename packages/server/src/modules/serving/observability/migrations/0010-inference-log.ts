import type { Kysely } from 'kysely';
import type { SchemaMigration, SqlDialect } from '../../../../ports/sql.js';

/**
 * The inference log (sampled predictions) and the labels posted for them later. No foreign key
 * between them: a label may arrive before its prediction is flushed, or for a request that was not
 * sampled, and either table is pruned on its own schedule.
 */
export const inferenceLogSchema: SchemaMigration = {
  name: '0010-inference-log',
  async up(db: Kysely<unknown>, dialect: SqlDialect) {
    await db.schema
      .createTable('inference_log')
      .addColumn('id', dialect === 'sqlite' ? 'integer' : 'bigint', (c) =>
        dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity(),
      )
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('deployment', 'text', (c) => c.notNull())
      .addColumn('model_name', 'text', (c) => c.notNull())
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('latency_ms', 'double precision', (c) => c.notNull())
      .addColumn('rows', 'integer', (c) => c.notNull())
      .addColumn('inputs', 'text', (c) => c.notNull())
      .addColumn('outputs', 'text', (c) => c.notNull())
      .execute();
    // A deployment's window in time order, paged by (at, id).
    await db.schema.createIndex('inference_log_window').on('inference_log').columns(['deployment', 'at', 'id']).execute();
    // From a label to its prediction.
    await db.schema.createIndex('inference_log_request').on('inference_log').columns(['deployment', 'request_id']).execute();

    await db.schema
      .createTable('inference_labels')
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('deployment', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      // Also the index a window read joins through.
      .addPrimaryKeyConstraint('inference_labels_pk', ['deployment', 'request_id'])
      .execute();
  },
};
