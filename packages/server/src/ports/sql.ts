import type { Kysely } from 'kysely';

/**
 * The metadata database. Modules build queries with Kysely (a query builder, not a driver) against
 * their own table types; adapters/sql/{sqlite,postgres} provide the connection. Behaviour must be
 * identical on both: write queries that both dialects accept, and branch on `dialect` only where
 * SQL itself differs (and say why).
 */
export type SqlDialect = 'sqlite' | 'postgres';

export interface SqlDatabase<DB = unknown> {
  readonly dialect: SqlDialect;
  readonly db: Kysely<DB>;
  /** Human-readable location for logs, with any password removed. */
  readonly description: string;
  /** Configuration problems worth a warning at start, e.g. PostgreSQL running without autovacuum. */
  diagnose(): Promise<string[]>;
  close(): Promise<void>;
}

/** One versioned schema step. Names sort in the order they must run (`0001-...`). */
export interface SchemaMigration {
  name: string;
  up(db: Kysely<unknown>, dialect: SqlDialect): Promise<void>;
}

/**
 * A module's typed view of the shared metadata database. Each module declares only its own tables
 * (Kysely's table map is invariant, so the full union could not be handed to each of them).
 */
export function tablesOf<DB>(database: SqlDatabase<unknown>): SqlDatabase<DB> {
  return database as SqlDatabase<DB>;
}
