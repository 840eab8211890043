import { loadConfig, startEphemeralServer, type EphemeralServer } from '@capstan/server';

export const ADMIN = { username: 'root-admin', password: 'correct horse battery staple' } as const;

/**
 * A throwaway Capstan with authentication on. By default its store is in memory and ADMIN is its
 * first administrator; `backendStoreUri` points it at a given store, and `admin: false` leaves the
 * first administrator to be made some other way.
 */
export function startAuthServer(options: { backendStoreUri?: string; admin?: boolean } = {}): Promise<EphemeralServer> {
  const admin = (options.admin ?? true) ? { adminUsername: ADMIN.username, adminPassword: ADMIN.password } : {};
  // loadConfig fills in the auth defaults that startEphemeralServer's already-parsed overrides need.
  const { auth } = loadConfig({ env: {}, overrides: { auth: { mode: 'on', ...admin } } });
  return startEphemeralServer({ auth, ...(options.backendStoreUri ? { backendStoreUri: options.backendStoreUri } : {}) });
}
