import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type CapstanConfig } from '../core/config.js';
import { startServer } from './start-server.js';

export interface EphemeralServer {
  url: string;
  artifactsDir: string;
  /** Stops the server and deletes its artifacts folder; the in-memory store goes with the process. */
  close(): Promise<void>;
}

/**
 * A throwaway Capstan on a free loopback port with an in-memory SQLite store and a fresh temporary
 * artifacts folder, ignoring the environment: for integration tests of clients (the SDK, the CLI,
 * a user's own training code).
 */
export async function startEphemeralServer(overrides: Partial<CapstanConfig> = {}): Promise<EphemeralServer> {
  const artifactsDir = await mkdtemp(join(tmpdir(), 'capstan-ephemeral-'));
  try {
    const server = await startServer(
      loadConfig({
        env: {},
        overrides: { port: 0, backendStoreUri: 'sqlite://:memory:', artifactsDestination: artifactsDir, logLevel: 'silent', ...overrides },
      }),
    );
    return {
      url: server.url,
      artifactsDir,
      async close() {
        await server.close();
        await rm(artifactsDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(artifactsDir, { recursive: true, force: true });
    throw err;
  }
}
