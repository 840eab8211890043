import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, startServer } from '@capstan/server';

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/** A real Capstan server on a free port, an in-memory SQLite store and a fresh artifacts folder. */
export async function startTestServer(): Promise<TestServer> {
  const artifactsDir = await mkdtemp(join(tmpdir(), 'capstan-cli-artifacts-'));
  const server = await startServer(
    loadConfig({
      env: {},
      overrides: { port: 0, backendStoreUri: 'sqlite://:memory:', artifactsDestination: artifactsDir, logLevel: 'silent' },
    }),
  );
  return {
    url: server.url,
    async close() {
      await server.close();
      await rm(artifactsDir, { recursive: true, force: true });
    },
  };
}
