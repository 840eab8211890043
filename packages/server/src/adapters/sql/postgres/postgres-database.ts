import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Logger } from '../../../core/logger.js';
import type { SqlDatabase } from '../../../ports/sql.js';

const INT8_OID = 20;

/** Opens a PostgreSQL connection pool for scale-out deployments. */
export function openPostgresDatabase<DB>(
  connectionString: string,
  options: { poolSize?: number; logger?: Logger } = {},
): SqlDatabase<DB> {
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize ?? 10,
    // Timestamps (ms) and steps are BIGINT; pg returns them as strings unless told otherwise.
    // Every value Capstan stores in BIGINT fits a double exactly (< 2^53).
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection can die (server restart, failover, a killed backend). The pool drops it and
  // opens a new one on demand; without a listener the 'error' event would crash the process.
  pool.on('error', (err) => options.logger?.warn({ err }, 'idle PostgreSQL connection failed; it was dropped'));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    dialect: 'postgres',
    db,
    description: redactPassword(connectionString),
    async diagnose() {
      // Without autovacuum nothing refreshes planner statistics, and searches over freshly
      // logged runs can be ten times slower until someone runs ANALYZE.
      const { rows } = await sql<{ autovacuum: string }>`show autovacuum`.execute(db);
      return rows[0]?.autovacuum === 'off'
        ? ['PostgreSQL runs with autovacuum = off: planner statistics go stale and searches slow down; enable it or run ANALYZE regularly']
        : [];
    },
    close: () => db.destroy(),
  };
}

function redactPassword(uri: string): string {
  try {
    const url = new URL(uri);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'postgresql://(unparseable uri)';
  }
}
