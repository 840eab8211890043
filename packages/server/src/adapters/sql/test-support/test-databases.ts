import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { SqlDatabase } from '../../../ports/sql.js';
import { openPostgresDatabase } from '../postgres/postgres-database.js';
import { openSqliteDatabase } from '../sqlite/sqlite-database.js';

/**
 * Databases for tests: every suite that touches SQL runs against both SQLite and a real
 * PostgreSQL server. PostgreSQL is required: CI must never pass with its suites skipped. A
 * developer without a server can opt out explicitly with CAPSTAN_TEST_POSTGRES_URL=off.
 */
export const POSTGRES_ADMIN_URL = process.env.CAPSTAN_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export type TestDialect = 'sqlite' | 'postgres';

export const TEST_DIALECTS: readonly TestDialect[] =
  POSTGRES_ADMIN_URL === 'off' ? (warnPostgresOff(), ['sqlite']) : ['sqlite', 'postgres'];

function warnPostgresOff(): void {
  console.warn('CAPSTAN_TEST_POSTGRES_URL=off: PostgreSQL suites are NOT running. CI never allows this.');
}

export interface TestDatabase<DB> {
  database: SqlDatabase<DB>;
  /** A backend store URI for the same database, to start a whole server on it. */
  uri: string;
  cleanup(): Promise<void>;
}

/** A fresh, empty database of the given dialect; cleanup drops it. */
export async function createTestDatabase<DB>(dialect: TestDialect): Promise<TestDatabase<DB>> {
  if (dialect === 'sqlite') {
    const database = openSqliteDatabase<DB>(':memory:');
    return { database, uri: 'sqlite://:memory:', cleanup: () => database.close() };
  }
  const created = await createPostgresDatabase('capstan_test');
  const database = openPostgresDatabase<DB>(created.url, { poolSize: 4 });
  return {
    database,
    uri: created.url,
    async cleanup() {
      // The caller may have closed it already (e.g. to let a whole app open the same database).
      await database.close().catch(() => undefined);
      await created.drop();
    },
  };
}

export interface ScratchPostgresDatabase {
  name: string;
  /** Connection string of the new database. */
  url: string;
  /** Drops it, disconnecting whoever is still connected. */
  drop(): Promise<void>;
}

/** A new, empty PostgreSQL database with a random name (tests and benchmarks share this). */
export async function createPostgresDatabase(prefix: string, adminUrl = POSTGRES_ADMIN_URL): Promise<ScratchPostgresDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`) };
}

async function adminQuery(adminUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
