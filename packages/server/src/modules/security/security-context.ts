import type { Kysely } from 'kysely';
import type { Logger } from '../../core/logger.js';
import type { SqlDialect } from '../../ports/sql.js';
import type { SecurityTables } from './tables.js';

/** What the security stores share: the metadata database and a clock. */
export interface SecurityContext {
  db: Kysely<SecurityTables>;
  dialect: SqlDialect;
  logger: Logger;
  now: () => number;
}

/** Unique-constraint violations on both dialects (SQLite's message, PostgreSQL's SQLSTATE 23505). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
