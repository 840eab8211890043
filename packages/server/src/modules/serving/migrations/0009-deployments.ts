import type { Kysely } from 'kysely';
import type { SchemaMigration } from '../../../ports/sql.js';

/**
 * Deployments: what was declared (`spec`), the traffic it resolved to (`traffic`: versions and
 * weights, changed by canaries, rollbacks and alias moves), the traffic before the last change
 * (`previous_traffic`, for an instant rollback) and the canary state machine. JSON in text
 * columns: read whole, never queried into. `revision` rises with every write; replicas compare it
 * to reload, and writers check it to never lose a concurrent update.
 */
export const deploymentsSchema: SchemaMigration = {
  name: '0009-deployments',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('deployments')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('workspace', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('spec', 'text', (c) => c.notNull())
      .addColumn('traffic', 'text', (c) => c.notNull())
      .addColumn('previous_traffic', 'text')
      .addColumn('canary', 'text')
      .addColumn('revision', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('updated_by', 'text')
      .execute();
    await db.schema.createIndex('deployments_workspace').on('deployments').column('workspace').execute();
    // Replicas poll max(revision) across deployments; a global sequence keeps that one cheap query.
    await db.schema
      .createTable('deployment_revisions')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('revision', 'bigint', (c) => c.notNull())
      .execute();
    await db.insertInto('deployment_revisions' as never).values({ id: 1, revision: 0 } as never).execute();
  },
};
