import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Tests only: the SDK's integration tests exercise the real server; the SDK itself never imports it.
import { loadConfig, startServer } from '@capstan/server';
import { CapstanClient, type CapstanClientOptions } from '../client.js';

export interface TestServer {
  url: string;
  artifactsDir: string;
  client(options?: CapstanClientOptions): CapstanClient;
  close(): Promise<void>;
}

/** A real Capstan server on a free port, an in-memory SQLite store and a fresh artifacts folder. */
export async function startTestServer(): Promise<TestServer> {
  const artifactsDir = await mkdtemp(join(tmpdir(), 'capstan-sdk-artifacts-'));
  const server = await startServer(
    loadConfig({
      env: {},
      overrides: { port: 0, backendStoreUri: 'sqlite://:memory:', artifactsDestination: artifactsDir, logLevel: 'silent' },
    }),
  );
  return {
    url: server.url,
    artifactsDir,
    client: (options = {}) => new CapstanClient({ url: server.url, env: {}, flushIntervalMs: 0, ...options }),
    async close() {
      await server.close();
      await rm(artifactsDir, { recursive: true, force: true });
    },
  };
}
