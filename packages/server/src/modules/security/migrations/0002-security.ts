import { sql, type Kysely } from 'kysely';
import type { SchemaMigration, SqlDialect } from '../../../ports/sql.js';

/** Users, groups, workspaces with role bindings, per-object grants, API tokens, instance secrets. */
export const securitySchema: SchemaMigration = {
  name: '0002-security',
  async up(db: Kysely<unknown>, dialect: SqlDialect) {
    const serialId = (table: string, column: string) =>
      db.schema
        .createTable(table)
        .addColumn(column, dialect === 'sqlite' ? 'integer' : 'bigint', (c) =>
          dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity(),
        );

    await serialId('users', 'user_id')
      .addColumn('username', 'text', (c) => c.notNull().unique())
      .addColumn('password_hash', 'text')
      .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await serialId('groups', 'group_id')
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('group_members')
      .addColumn('group_id', 'bigint', (c) => c.notNull().references('groups.group_id').onDelete('cascade'))
      .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.user_id').onDelete('cascade'))
      .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'user_id'])
      .execute();
    await db.schema.createIndex('group_members_user').on('group_members').column('user_id').execute();

    await db.schema
      .createTable('workspaces')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await sql`insert into workspaces (name, description, created_at) values ('default', 'Created at install', ${Date.now()})`.execute(db);

    // Principals are users or groups; deleting one removes its bindings in the store code, since a
    // foreign key cannot point at two tables.
    await db.schema
      .createTable('workspace_members')
      .addColumn('workspace', 'text', (c) => c.notNull().references('workspaces.name').onDelete('cascade'))
      .addColumn('principal_type', 'text', (c) => c.notNull())
      .addColumn('principal_id', 'bigint', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('level', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('workspace_members_pk', ['workspace', 'principal_type', 'principal_id'])
      .execute();
    await db.schema.createIndex('workspace_members_principal').on('workspace_members').columns(['principal_type', 'principal_id']).execute();

    await db.schema
      .createTable('access_grants')
      .addColumn('object_type', 'text', (c) => c.notNull())
      .addColumn('object_id', 'text', (c) => c.notNull())
      .addColumn('principal_type', 'text', (c) => c.notNull())
      .addColumn('principal_id', 'bigint', (c) => c.notNull())
      .addColumn('permission', 'text', (c) => c.notNull())
      .addColumn('level', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('access_grants_pk', ['object_type', 'object_id', 'principal_type', 'principal_id'])
      .execute();
    await db.schema.createIndex('access_grants_principal').on('access_grants').columns(['principal_type', 'principal_id']).execute();

    await db.schema
      .createTable('api_tokens')
      .addColumn('token_id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.user_id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('deployments', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint')
      .addColumn('last_used_at', 'bigint')
      .addColumn('revoked_at', 'bigint')
      .execute();
    await db.schema.createIndex('api_tokens_user').on('api_tokens').column('user_id').execute();

    await db.schema
      .createTable('instance_secrets')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
  },
};
