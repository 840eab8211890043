import { dirname, join } from 'node:path';
import type { CapstanConfig } from '../core/config.js';
import { sqliteFileOf } from '../adapters/sql/open-database.js';

/**
 * Where online feature values live when the configuration does not say: Redis when the replicas
 * share one, else a SQLite file beside a SQLite metadata database (in memory beside an in-memory
 * one, so tests and `sqlite://:memory:` servers leave nothing behind).
 */
export function onlineStoreUriOf(config: Pick<CapstanConfig, 'features' | 'redisUrl' | 'backendStoreUri'>): string {
  if (config.features.onlineStoreUri) return config.features.onlineStoreUri;
  if (config.redisUrl) return config.redisUrl;
  const metadata = sqliteFileOf(config.backendStoreUri);
  if (metadata !== undefined) return `sqlite:///${join(dirname(metadata), 'online-features.db')}`;
  if (config.backendStoreUri.startsWith('sqlite')) return 'sqlite://:memory:';
  return 'sqlite:///capstan-data/online-features.db';
}
