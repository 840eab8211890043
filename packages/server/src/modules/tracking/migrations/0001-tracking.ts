import { sql, type Kysely } from 'kysely';
import type { SchemaMigration, SqlDialect } from '../../../ports/sql.js';

/** The tracking schema: experiments, runs and what is logged to them, datasets, logged models. */
export const trackingSchema: SchemaMigration = {
  name: '0001-tracking',
  async up(db: Kysely<unknown>, dialect: SqlDialect) {
    // SQLite needs INTEGER PRIMARY KEY AUTOINCREMENT to never reuse a deleted id; PostgreSQL an identity.
    // Both accept an explicit id 0 for the Default experiment.
    await db.schema
      .createTable('experiments')
      .addColumn('experiment_id', dialect === 'sqlite' ? 'integer' : 'bigint', (c) =>
        dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity(),
      )
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('artifact_location', 'text', (c) => c.notNull())
      .addColumn('lifecycle_stage', 'text', (c) => c.notNull())
      .addColumn('creation_time', 'bigint', (c) => c.notNull())
      .addColumn('last_update_time', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('experiment_tags')
      .addColumn('experiment_id', 'bigint', (c) => c.notNull().references('experiments.experiment_id').onDelete('cascade'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('experiment_tags_pk', ['experiment_id', 'key'])
      .execute();

    await db.schema
      .createTable('runs')
      .addColumn('run_uuid', 'text', (c) => c.primaryKey())
      .addColumn('experiment_id', 'bigint', (c) => c.notNull().references('experiments.experiment_id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('start_time', 'bigint', (c) => c.notNull())
      .addColumn('end_time', 'bigint')
      .addColumn('deleted_time', 'bigint')
      .addColumn('lifecycle_stage', 'text', (c) => c.notNull())
      .addColumn('artifact_uri', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('runs_experiment_start').on('runs').columns(['experiment_id', 'start_time']).execute();

    for (const table of ['run_tags', 'run_params'] as const) {
      await db.schema
        .createTable(table)
        .addColumn('run_uuid', 'text', (c) => c.notNull().references('runs.run_uuid').onDelete('cascade'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint(`${table}_pk`, ['run_uuid', 'key'])
        .execute();
      // Filters such as `params.lr = '0.1'` look up by key and value across runs.
      await db.schema.createIndex(`${table}_key_value`).on(table).columns(['key', 'value']).execute();
    }

    await db.schema
      .createTable('metrics')
      .addColumn('run_uuid', 'text', (c) => c.notNull().references('runs.run_uuid').onDelete('cascade'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'double precision', (c) => c.notNull())
      .addColumn('is_nan', 'integer', (c) => c.notNull())
      .addColumn('timestamp', 'bigint', (c) => c.notNull())
      .addColumn('step', 'bigint', (c) => c.notNull())
      .addColumn('model_id', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('dataset_name', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('dataset_digest', 'text', (c) => c.notNull().defaultTo(''))
      // MLflow treats an identical (key, value, timestamp, step) as the same point: logging it twice is a no-op.
      .addPrimaryKeyConstraint('metrics_pk', ['run_uuid', 'key', 'step', 'timestamp', 'value', 'is_nan'])
      .execute();

    await db.schema
      .createTable('latest_metrics')
      .addColumn('run_uuid', 'text', (c) => c.notNull().references('runs.run_uuid').onDelete('cascade'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'double precision', (c) => c.notNull())
      .addColumn('is_nan', 'integer', (c) => c.notNull())
      .addColumn('timestamp', 'bigint', (c) => c.notNull())
      .addColumn('step', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('latest_metrics_pk', ['run_uuid', 'key'])
      .execute();
    // Search filters and orders runs by a metric's latest value.
    await db.schema.createIndex('latest_metrics_key_value').on('latest_metrics').columns(['key', 'value']).execute();

    await db.schema
      .createTable('datasets')
      .addColumn('dataset_uuid', 'text', (c) => c.primaryKey())
      .addColumn('experiment_id', 'bigint', (c) => c.notNull().references('experiments.experiment_id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('digest', 'text', (c) => c.notNull())
      .addColumn('source_type', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('schema', 'text')
      .addColumn('profile', 'text')
      .addUniqueConstraint('datasets_experiment_name_digest', ['experiment_id', 'name', 'digest'])
      .execute();

    await db.schema
      .createTable('inputs')
      .addColumn('input_uuid', 'text', (c) => c.primaryKey())
      .addColumn('source_type', 'text', (c) => c.notNull())
      .addColumn('source_id', 'text', (c) => c.notNull())
      .addColumn('destination_type', 'text', (c) => c.notNull())
      .addColumn('destination_id', 'text', (c) => c.notNull())
      .addColumn('step', 'bigint', (c) => c.notNull().defaultTo(0))
      .addUniqueConstraint('inputs_link', ['source_type', 'source_id', 'destination_type', 'destination_id'])
      .execute();
    await db.schema.createIndex('inputs_destination').on('inputs').columns(['destination_type', 'destination_id']).execute();

    await db.schema
      .createTable('input_tags')
      .addColumn('input_uuid', 'text', (c) => c.notNull().references('inputs.input_uuid').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('input_tags_pk', ['input_uuid', 'name'])
      .execute();

    await db.schema
      .createTable('logged_models')
      .addColumn('model_id', 'text', (c) => c.primaryKey())
      .addColumn('experiment_id', 'bigint', (c) => c.notNull().references('experiments.experiment_id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('artifact_location', 'text', (c) => c.notNull())
      .addColumn('creation_timestamp_ms', 'bigint', (c) => c.notNull())
      .addColumn('last_updated_timestamp_ms', 'bigint', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('status_message', 'text')
      .addColumn('lifecycle_stage', 'text', (c) => c.notNull())
      .addColumn('model_type', 'text')
      .addColumn('source_run_id', 'text')
      .execute();
    await db.schema
      .createIndex('logged_models_experiment')
      .on('logged_models')
      .columns(['experiment_id', 'creation_timestamp_ms'])
      .execute();

    for (const table of ['logged_model_tags', 'logged_model_params'] as const) {
      await db.schema
        .createTable(table)
        .addColumn('model_id', 'text', (c) => c.notNull().references('logged_models.model_id').onDelete('cascade'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint(`${table}_pk`, ['model_id', 'key'])
        .execute();
    }

    await db.schema
      .createTable('logged_model_metrics')
      .addColumn('model_id', 'text', (c) => c.notNull().references('logged_models.model_id').onDelete('cascade'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'double precision', (c) => c.notNull())
      .addColumn('is_nan', 'integer', (c) => c.notNull())
      .addColumn('timestamp', 'bigint', (c) => c.notNull())
      .addColumn('step', 'bigint', (c) => c.notNull())
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('dataset_name', 'text', (c) => c.notNull())
      .addColumn('dataset_digest', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('logged_model_metrics_pk', ['model_id', 'key', 'step', 'timestamp', 'run_id', 'dataset_name', 'dataset_digest'])
      .execute();

    // The Default experiment MLflow clients fall back to.
    const now = Date.now();
    await sql`insert into experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
              values (0, 'Default', '', 'active', ${now}, ${now})`.execute(db);
  },
};
