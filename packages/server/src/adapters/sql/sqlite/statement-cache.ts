import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Distinct SQL texts kept prepared; the tracking module issues a few dozen shapes. */
const DEFAULT_CAPACITY = 256;

/**
 * Kysely's SQLite driver prepares every query anew, and preparing a 1000-row insert costs about as
 * much as running it. Statements are reusable in better-sqlite3, so keep the most recently used
 * ones by SQL text (least recently used out first). A statement must not be shared by two queries
 * at once; Kysely runs one query at a time on SQLite and Capstan never streams results.
 */
export function withStatementCache(database: SqliteDatabase, capacity = DEFAULT_CAPACITY): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    prepare(sql: string): SqliteStatement {
      const cached = cache.get(sql);
      if (cached) {
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = database.prepare(sql);
      cache.set(sql, statement);
      if (cache.size > capacity) cache.delete(cache.keys().next().value as string);
      return statement;
    },
    close() {
      cache.clear();
      database.close();
    },
  };
}
