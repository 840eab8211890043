import type { Kysely } from 'kysely';
import type { SchemaMigration } from '../../../../ports/sql.js';

/**
 * Feature projects (each one definition document with a revision for optimistic concurrency),
 * per-view materialization state, the materialization history and saved training datasets.
 */
export const featureStoreSchema: SchemaMigration = {
  name: '0014-feature-store',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('feature_projects')
      .addColumn('project', 'text', (c) => c.primaryKey())
      .addColumn('workspace', 'text', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_by', 'text')
      .execute();

    await db.schema
      .createTable('feature_view_state')
      .addColumn('project', 'text', (c) => c.notNull().references('feature_projects.project').onDelete('cascade'))
      .addColumn('view', 'text', (c) => c.notNull())
      .addColumn('materialized_until', 'bigint')
      .addColumn('newest_event_time', 'bigint')
      .addColumn('next_run_at', 'bigint')
      .addColumn('locked_until', 'bigint')
      .addPrimaryKeyConstraint('feature_view_state_pk', ['project', 'view'])
      .execute();
    // The scheduler's question: which views are due.
    await db.schema.createIndex('feature_view_state_due').on('feature_view_state').columns(['next_run_at']).execute();

    await db.schema
      .createTable('feature_materializations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project', 'text', (c) => c.notNull().references('feature_projects.project').onDelete('cascade'))
      .addColumn('view', 'text', (c) => c.notNull())
      .addColumn('start_time', 'bigint', (c) => c.notNull())
      .addColumn('end_time', 'bigint', (c) => c.notNull())
      .addColumn('rows', 'bigint', (c) => c.notNull())
      .addColumn('trigger', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('feature_materializations_view').on('feature_materializations').columns(['project', 'view', 'finished_at']).execute();

    await db.schema
      .createTable('feature_datasets')
      .addColumn('project', 'text', (c) => c.notNull().references('feature_projects.project').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('digest', 'text', (c) => c.notNull())
      .addColumn('row_count', 'bigint', (c) => c.notNull())
      .addColumn('uri', 'text', (c) => c.notNull())
      .addColumn('features', 'text', (c) => c.notNull())
      .addColumn('registry_revision', 'integer', (c) => c.notNull())
      .addColumn('run_id', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('feature_datasets_pk', ['project', 'name', 'version'])
      .execute();
  },
};
