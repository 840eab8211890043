import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { SqlDatabase } from '../../../ports/sql.js';

const INT8_OID = 20;

/** Opens a PostgreSQL connection pool for scale-out deployments. */
export function openPostgresDatabase<DB>(connectionString: string, options: { poolSize?: number } = {}): SqlDatabase<DB> {
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
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    dialect: 'postgres',
    db,
    description: redactPassword(connectionString),
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
