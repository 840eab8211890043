import { CapstanError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { SqlDatabase } from '../../ports/sql.js';
import { openPostgresDatabase } from './postgres/postgres-database.js';
import { openSqliteDatabase } from './sqlite/sqlite-database.js';

/**
 * Opens the metadata database named by a backend store URI, as `mlflow server` accepts them:
 * `sqlite:///relative.db`, `sqlite:////absolute.db`, `sqlite://:memory:`, `postgresql://...`
 * (a `+driver` suffix such as `postgresql+psycopg2://` is accepted and ignored).
 */
export function openDatabase<DB>(uri: string, options: { logger?: Logger } = {}): SqlDatabase<DB> {
  const scheme = uri.slice(0, uri.indexOf(':')).split('+')[0];
  if (scheme === 'sqlite') return openSqliteDatabase<DB>(sqlitePath(uri));
  if (scheme === 'postgresql' || scheme === 'postgres') {
    return openPostgresDatabase<DB>(uri.replace(/^postgres(ql)?\+[^:]+:/, 'postgresql:'), options);
  }
  throw new CapstanError(
    'INVALID_PARAMETER_VALUE',
    `Unsupported backend store URI '${uri}': use sqlite:///path.db or postgresql://user@host/db`,
  );
}

/**
 * The file of a SQLite store URI; undefined for an in-memory store or another database (a second
 * connection, e.g. from a worker thread, can only reach a file).
 */
export function sqliteFileOf(uri: string): string | undefined {
  if (uri.slice(0, uri.indexOf(':')).split('+')[0] !== 'sqlite') return undefined;
  const path = sqlitePath(uri);
  return path === ':memory:' ? undefined : path;
}

function sqlitePath(uri: string): string {
  const rest = uri.replace(/^sqlite(\+[^:]+)?:\/\//, '');
  if (rest === ':memory:' || rest === '/:memory:' || rest === '') return ':memory:';
  // After `sqlite://` comes `/path`: one slash for a relative path, two for an absolute one.
  if (!rest.startsWith('/')) {
    throw new CapstanError('INVALID_PARAMETER_VALUE', `Invalid SQLite URI '${uri}': expected sqlite:///path.db`);
  }
  return decodeURIComponent(rest.slice(1));
}
