import type { Kysely } from 'kysely';
import type { SchemaMigration } from '../../../ports/sql.js';

/** The editable text of model cards, one row per edited model version. */
export const modelCardMigration: SchemaMigration = {
  name: '0007-model-cards',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('model_cards')
      .addColumn('model_id', 'bigint', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('summary', 'text')
      .addColumn('intended_use', 'text')
      .addColumn('out_of_scope_use', 'text')
      .addColumn('limitations', 'text')
      .addColumn('ethical_considerations', 'text')
      .addColumn('owner', 'text')
      .addColumn('edited_by', 'text', (c) => c.notNull())
      .addColumn('edited_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('model_cards_pk', ['model_id', 'version'])
      // Versions are soft-deleted, so a card outlives its version's deletion only until the model goes.
      .addForeignKeyConstraint('model_cards_version_fk', ['model_id', 'version'], 'model_versions', ['model_id', 'version'], (fk) => fk.onDelete('cascade'))
      .execute();
  },
};
