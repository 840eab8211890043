import type { CapstanConfig } from '../../core/config.js';
import { invalidParameter } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { UserStore } from './stores/user-store.js';

/**
 * The first administrator of an empty store comes from CAPSTAN_ADMIN_USERNAME and
 * CAPSTAN_ADMIN_PASSWORD. There is never a default password: without them, the server says how to
 * create one and starts with nobody able to sign in.
 */
export async function bootstrapAdmin(users: UserStore, auth: CapstanConfig['auth'], logger: Logger): Promise<void> {
  if (await users.hasAdmin()) return;
  const { adminUsername, adminPassword } = auth;
  if (adminUsername === undefined || adminPassword === undefined) {
    logger.warn(
      'Authentication is on but no administrator exists. Set CAPSTAN_ADMIN_USERNAME and CAPSTAN_ADMIN_PASSWORD and restart, or run `capstan users create NAME --admin --backend-store-uri URI`.',
    );
    return;
  }
  if (await users.find(adminUsername)) {
    throw invalidParameter(`CAPSTAN_ADMIN_USERNAME names ${adminUsername}, who exists but is not an administrator; promote them with the CLI instead`);
  }
  await users.create({ username: adminUsername, password: adminPassword, isAdmin: true });
  logger.info({ username: adminUsername }, 'created the first administrator');
}
