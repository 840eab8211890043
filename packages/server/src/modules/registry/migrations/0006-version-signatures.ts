import { sql, type Kysely } from 'kysely';
import type { SchemaMigration } from '../../../ports/sql.js';

/** What registration learned from a version's package: its main flavor and signature (MLflow's JSON fields). */
export const versionSignatures: SchemaMigration = {
  name: '0006-version-signatures',
  async up(db: Kysely<unknown>) {
    await sql`alter table model_versions add column flavor text`.execute(db);
    await sql`alter table model_versions add column signature text`.execute(db);
  },
};
