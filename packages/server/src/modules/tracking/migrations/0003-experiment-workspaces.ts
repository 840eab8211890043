import { sql, type Kysely } from 'kysely';
import type { SchemaMigration } from '../../../ports/sql.js';

/** Every experiment belongs to a workspace; existing ones join `default`. */
export const experimentWorkspaces: SchemaMigration = {
  name: '0003-experiment-workspaces',
  async up(db: Kysely<unknown>) {
    await sql`alter table experiments add column workspace text not null default 'default'`.execute(db);
    await db.schema.createIndex('experiments_workspace').on('experiments').column('workspace').execute();
  },
};
