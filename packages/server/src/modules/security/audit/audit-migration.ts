import { sql, type Kysely } from 'kysely';
import type { SchemaMigration, SqlDialect } from '../../../ports/sql.js';
import { GENESIS_HASH } from './audit-chain.js';

/** The append-only audit log and the single-row head of its hash chain. */
export const auditLogSchema: SchemaMigration = {
  name: '0004-audit-log',
  async up(db: Kysely<unknown>, dialect: SqlDialect) {
    // The appender assigns seq itself (dense, under the head lock), so no autoincrement/identity:
    // a database-generated id could skip values after a rollback, which verify would call a gap.
    // On SQLite `integer primary key` makes seq the rowid (no separate index); PostgreSQL needs bigint.
    await db.schema
      .createTable('audit_events')
      .addColumn('seq', dialect === 'sqlite' ? 'integer' : 'bigint', (c) => c.primaryKey())
      .addColumn('time', 'bigint', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('auth_method', 'text', (c) => c.notNull())
      .addColumn('workspace', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('source_ip', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('details', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    // Queries filter on one of these and page by seq, so seq is the second column of each index.
    await db.schema.createIndex('audit_events_time').on('audit_events').columns(['time', 'seq']).execute();
    for (const column of ['actor', 'action', 'target'] as const) {
      await db.schema.createIndex(`audit_events_${column}`).on('audit_events').columns([column, 'seq']).execute();
    }

    await db.schema
      .createTable('audit_chain_head')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await sql`insert into audit_chain_head (id, seq, hash) values (1, 0, ${GENESIS_HASH})`.execute(db);
  },
};
