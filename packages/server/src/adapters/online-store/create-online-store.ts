import { invalidParameter } from '../../core/errors.js';
import type { OnlineStore } from '../../ports/online-store.js';
import { createRedisOnlineStore } from './redis-online-store.js';
import { createSqliteOnlineStore } from './sqlite-online-store.js';

const SUPPORTED =
  'use sqlite:///relative.db, sqlite:////absolute.db or sqlite://:memory: for one server, or redis://host:port / rediss://host:port to share across replicas';

export interface OnlineStoreLocationOptions {
  /** Key prefix in Redis (default `capstan:fs:`); ignored by SQLite. */
  redisPrefix?: string;
}

/**
 * Opens the online store a URI names, with the forms of the metadata store's URI: `sqlite:///x.db`
 * (relative to the working directory), `sqlite:////abs/x.db`, `sqlite://:memory:`, or a Redis URL.
 */
export function createOnlineStore(uri: string, options: OnlineStoreLocationOptions = {}): OnlineStore {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase();
  if (scheme === 'sqlite') return createSqliteOnlineStore({ file: sqliteFileOf(uri) });
  if (scheme === 'redis' || scheme === 'rediss') {
    // Parse here so a typo fails at startup with our error, not later inside the driver.
    if (!/^rediss?:\/\//i.test(uri) || !URL.canParse(uri)) throw invalidParameter(`The online store Redis URL is not a valid URL: ${SUPPORTED}.`);
    return createRedisOnlineStore({ url: uri, prefix: options.redisPrefix });
  }
  // Echo only the scheme: a URL may carry a password, and error messages end up in logs.
  const what = scheme === undefined ? 'a location without a scheme' : `scheme ${JSON.stringify(scheme)}`;
  throw invalidParameter(`Unsupported online store (${what}): ${SUPPORTED}.`);
}

function sqliteFileOf(uri: string): string {
  const rest = uri.replace(/^sqlite:\/\//i, '');
  if (rest === ':memory:' || rest === '/:memory:') return ':memory:';
  // After `sqlite://` comes `/path`: one slash for a relative path, two for an absolute one.
  if (!uri.toLowerCase().startsWith('sqlite://') || !rest.startsWith('/') || rest.length === 1) {
    throw invalidParameter(`The online store SQLite URI has no file: ${SUPPORTED}.`);
  }
  try {
    return decodeURIComponent(rest.slice(1));
  } catch {
    throw invalidParameter(`The online store SQLite URI has a malformed %-escape: ${SUPPORTED}.`);
  }
}
