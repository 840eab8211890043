import type { Kysely } from 'kysely';
import type { SchemaMigration, SqlDialect } from '../../../ports/sql.js';

/** Registered models, their tags and aliases; model versions and their tags. */
export const registrySchema: SchemaMigration = {
  name: '0005-registry',
  async up(db: Kysely<unknown>, dialect: SqlDialect) {
    await db.schema
      .createTable('registered_models')
      .addColumn('model_id', dialect === 'sqlite' ? 'integer' : 'bigint', (c) =>
        dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity(),
      )
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('workspace', 'text', (c) => c.notNull().defaultTo('default'))
      .addColumn('description', 'text')
      .addColumn('creation_timestamp', 'bigint', (c) => c.notNull())
      .addColumn('last_updated_timestamp', 'bigint', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .execute();
    await db.schema.createIndex('registered_models_updated').on('registered_models').columns(['last_updated_timestamp', 'name']).execute();
    await db.schema.createIndex('registered_models_workspace').on('registered_models').column('workspace').execute();

    await db.schema
      .createTable('registered_model_tags')
      .addColumn('model_id', 'bigint', (c) => c.notNull().references('registered_models.model_id').onDelete('cascade'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('registered_model_tags_pk', ['model_id', 'key'])
      .execute();
    await db.schema.createIndex('registered_model_tags_key').on('registered_model_tags').columns(['key', 'value']).execute();

    await db.schema
      .createTable('model_versions')
      .addColumn('model_id', 'bigint', (c) => c.notNull().references('registered_models.model_id').onDelete('cascade'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('creation_timestamp', 'bigint', (c) => c.notNull())
      .addColumn('last_updated_timestamp', 'bigint', (c) => c.notNull())
      .addColumn('user_id', 'text')
      .addColumn('current_stage', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text')
      .addColumn('run_link', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('status_message', 'text')
      .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('model_versions_pk', ['model_id', 'version'])
      .execute();
    await db.schema.createIndex('model_versions_run').on('model_versions').column('run_id').execute();

    await db.schema
      .createTable('model_version_tags')
      .addColumn('model_id', 'bigint', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('model_version_tags_pk', ['model_id', 'version', 'key'])
      .addForeignKeyConstraint('model_version_tags_version_fk', ['model_id', 'version'], 'model_versions', ['model_id', 'version'], (fk) => fk.onDelete('cascade'))
      .execute();

    await db.schema
      .createTable('registered_model_aliases')
      .addColumn('model_id', 'bigint', (c) => c.notNull())
      .addColumn('alias', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('registered_model_aliases_pk', ['model_id', 'alias'])
      .addForeignKeyConstraint('registered_model_aliases_version_fk', ['model_id', 'version'], 'model_versions', ['model_id', 'version'], (fk) => fk.onDelete('cascade'))
      .execute();
  },
};
