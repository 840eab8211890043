import { migrateToLatest } from '../../../../adapters/sql/migrate.js';
import { openPostgresDatabase } from '../../../../adapters/sql/postgres/postgres-database.js';
import { createTestDatabase, type TestDialect } from '../../../../adapters/sql/test-support/test-databases.js';
import type { SqlDatabase } from '../../../../ports/sql.js';
import type { AuditEntryInput } from '../audit-entry.js';
import { auditLogSchema } from '../audit-migration.js';
import type { AuditTables } from '../audit-tables.js';

export interface AuditTestDatabase {
  database: SqlDatabase<AuditTables>;
  cleanup(): Promise<void>;
}

/** A fresh database of the dialect with the audit tables created. */
export async function createAuditTestDatabase(dialect: TestDialect): Promise<AuditTestDatabase> {
  const t = await createTestDatabase<AuditTables>(dialect);
  await migrateToLatest(t.database, [auditLogSchema]);
  return { database: t.database, cleanup: () => t.cleanup() };
}

/**
 * What two server replicas would share. PostgreSQL: two independent pools on one database, so the
 * replicas' transactions really contend for the head's row lock. SQLite: one connection used by
 * both. Two connections in one process cannot stand in for two processes there: better-sqlite3
 * waits for a lock synchronously, blocking the event loop the lock holder needs to commit, until
 * the busy timeout fails it. Separate processes are serialised by BEGIN IMMEDIATE instead.
 */
export async function createReplicaPair(
  dialect: TestDialect,
): Promise<{ first: SqlDatabase<AuditTables>; second: SqlDatabase<AuditTables>; cleanup(): Promise<void> }> {
  const t = await createTestDatabase<AuditTables>(dialect);
  await migrateToLatest(t.database, [auditLogSchema]);
  if (dialect === 'sqlite') return { first: t.database, second: t.database, cleanup: () => t.cleanup() };
  const second = openPostgresDatabase<AuditTables>(t.uri, { poolSize: 4 });
  return {
    first: t.database,
    second,
    async cleanup() {
      await second.close();
      await t.cleanup();
    },
  };
}

/** A plausible entry, numbered so tests can tell entries apart. */
export function sampleEntry(i: number, overrides: Partial<AuditEntryInput> = {}): AuditEntryInput {
  return {
    time: 1_700_000_000_000 + i * 1000,
    actor: i % 3 === 0 ? 'alice' : 'bob',
    authMethod: 'token',
    workspace: 'default',
    action: i % 2 === 0 ? 'mlflow.createExperiment' : 'mlflow.updateRun',
    target: `experiment:${i}`,
    requestId: `req-${i}`,
    sourceIp: '10.0.0.1',
    outcome: 'success',
    status: 200,
    details: { i },
    ...overrides,
  };
}
