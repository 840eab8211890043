// Tests only: the SDK's integration tests exercise the real server; the SDK itself never imports it.
import { loadConfig, startEphemeralServer, type EphemeralServer } from '@capstan/server';
import { CapstanClient, type CapstanClientOptions } from '../client.js';

export interface TestServer extends EphemeralServer {
  client(options?: CapstanClientOptions): CapstanClient;
}

/** A real Capstan server on a free port, an in-memory SQLite store and a fresh artifacts folder. */
export async function startTestServer(): Promise<TestServer> {
  return withClient(await startEphemeralServer());
}

export const TEST_ADMIN = { username: 'root-admin', password: 'correct horse battery staple' } as const;

/** The same, with authentication on and TEST_ADMIN as its first administrator. */
export async function startAuthTestServer(): Promise<TestServer> {
  // loadConfig fills in the auth defaults that startEphemeralServer's already-parsed overrides need.
  const { auth } = loadConfig({ env: {}, overrides: { auth: { mode: 'on', adminUsername: TEST_ADMIN.username, adminPassword: TEST_ADMIN.password } } });
  return withClient(await startEphemeralServer({ auth }));
}

function withClient(server: EphemeralServer): TestServer {
  return {
    ...server,
    client: (options = {}) => new CapstanClient({ url: server.url, env: {}, flushIntervalMs: 0, ...options }),
  };
}
