import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteAdapter, SqliteDialect, type DatabaseConnection, type DialectAdapter, type Driver } from 'kysely';
import type { SqlDatabase } from '../../../ports/sql.js';
import { withStatementCache } from './statement-cache.js';

/** How long a writer waits for another process's lock before failing, in milliseconds. */
const BUSY_TIMEOUT_MS = 30_000;

/**
 * Opens a SQLite database for the embedded default.
 *
 * WAL lets readers proceed while one writer commits; the busy timeout makes a second process wait
 * for the lock instead of failing. Transactions start with BEGIN IMMEDIATE: a deferred transaction
 * that later upgrades to a write lock fails with SQLITE_BUSY without consulting the busy timeout,
 * which is how "database is locked" reaches users of other SQLite-backed servers.
 */
export function openSqliteDatabase<DB>(path: string): SqlDatabase<DB> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  const dialect = new (class extends SqliteDialect {
    override createDriver(): Driver {
      return new ImmediateTransactionDriver(super.createDriver());
    }
    override createAdapter(): DialectAdapter {
      return new TransactionalDdlAdapter();
    }
  })({ database: withStatementCache(sqlite) });
  const db = new Kysely<DB>({ dialect });
  return {
    dialect: 'sqlite',
    db,
    description: `sqlite:${path}`,
    diagnose: async () => [],
    close: () => db.destroy(),
  };
}

/**
 * SQLite does run DDL inside transactions; Kysely's adapter says otherwise because it assumes a
 * single process. Saying so makes the migrator apply migrations inside one BEGIN IMMEDIATE
 * transaction, which is what serialises two processes migrating the same file at start-up.
 */
class TransactionalDdlAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** Delegates to Kysely's SQLite driver but begins write-ready transactions. */
class ImmediateTransactionDriver implements Driver {
  constructor(private readonly inner: Driver) {}
  init() {
    return this.inner.init();
  }
  acquireConnection() {
    return this.inner.acquireConnection();
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
  commitTransaction(connection: DatabaseConnection) {
    return this.inner.commitTransaction(connection);
  }
  rollbackTransaction(connection: DatabaseConnection) {
    return this.inner.rollbackTransaction(connection);
  }
  releaseConnection(connection: DatabaseConnection) {
    return this.inner.releaseConnection(connection);
  }
  destroy() {
    return this.inner.destroy();
  }
}
