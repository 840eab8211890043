import { migrateToLatest } from '../adapters/sql/migrate.js';
import { openDatabase } from '../adapters/sql/open-database.js';
import { createLogger } from '../core/logger.js';
import { upsertLocalUser } from '../modules/security/index.js';
import { allMigrations } from './migrations.js';

/**
 * `capstan users create NAME --admin --backend-store-uri URI`: writes a user straight into the
 * metadata store (bringing its schema up to date first), for the first administrator when there
 * is nobody yet who could create one over the API. Whoever runs it already holds the database.
 */
export async function createUserInStore(
  backendStoreUri: string,
  input: { username: string; password: string; isAdmin: boolean },
): Promise<'created' | 'updated'> {
  const database = openDatabase<unknown>(backendStoreUri, { logger: createLogger('silent') });
  try {
    await migrateToLatest(database, allMigrations());
    return await upsertLocalUser(database, input);
  } finally {
    await database.close();
  }
}
