import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createPostgresDatabase } from '../../packages/server/src/adapters/sql/test-support/test-databases.js';

export type StoreKind = 'sqlite' | 'postgres';

/** PostgreSQL maintenance database the benchmarks create their databases from (trust auth). */
export const POSTGRES_ADMIN_URL =
  process.env.CAPSTAN_BENCH_POSTGRES_URL ?? process.env.CAPSTAN_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface BenchStore {
  kind: StoreKind;
  /** Backend store URI for `--backend-store-uri`. */
  uri: string;
  /** The SQLite file, for opening it with better-sqlite3. */
  sqlitePath?: string;
  /** Connection string of the fresh PostgreSQL database, for pg. */
  postgresUrl?: string;
  /** Its name, to find the backends serving it. */
  databaseName?: string;
  /** A scratch directory for artifacts and profiles; removed by cleanup. */
  dir: string;
  cleanup(): Promise<void>;
}

/** A fresh, empty database: a temp SQLite file, or a new PostgreSQL database dropped by cleanup. */
export async function createBenchStore(kind: StoreKind): Promise<BenchStore> {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-bench-'));
  if (kind === 'sqlite') {
    const sqlitePath = join(dir, 'capstan.db');
    return {
      kind,
      uri: `sqlite:///${sqlitePath}`,
      sqlitePath,
      dir,
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const created = await createPostgresDatabase('capstan_bench', POSTGRES_ADMIN_URL);
  return {
    kind,
    uri: created.url,
    postgresUrl: created.url,
    databaseName: created.name,
    dir,
    async cleanup() {
      rmSync(dir, { recursive: true, force: true });
      await created.drop();
    },
  };
}

const INT8_OID = 20;

/** A pg pool that parses BIGINT as numbers, as Capstan's own pool does, so baselines compare. */
export function openPgPool(connectionString: string, max: number): pg.Pool {
  return new pg.Pool({
    connectionString,
    max,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
}
