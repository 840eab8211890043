// Tests only: the SDK's integration tests exercise the real server; the SDK itself never imports it.
import { startEphemeralServer, type EphemeralServer } from '@capstan/server';
import { CapstanClient, type CapstanClientOptions } from '../client.js';

export interface TestServer extends EphemeralServer {
  client(options?: CapstanClientOptions): CapstanClient;
}

/** A real Capstan server on a free port, an in-memory SQLite store and a fresh artifacts folder. */
export async function startTestServer(): Promise<TestServer> {
  const server = await startEphemeralServer();
  return {
    ...server,
    client: (options = {}) => new CapstanClient({ url: server.url, env: {}, flushIntervalMs: 0, ...options }),
  };
}
