import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { FEATURES_DEFAULTS, loadConfig, type CapstanConfig } from '../../core/config.js';
import { createTestDatabase, type TestDialect } from '../../adapters/sql/test-support/test-databases.js';
import { createApp, type CapstanApp } from '../create-app.js';

export interface TestApp extends CapstanApp {
  artifactsDir: string;
  /** Calls an MLflow route: GET sends `body` as the query string (repeated keys for arrays), others as JSON. */
  mlflow(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: Record<string, unknown>): Promise<LightMyRequestResponse>;
  cleanup(): Promise<void>;
}

/** A whole Capstan app on a fresh database of the given dialect and a temporary artifacts folder. */
export async function createTestApp(dialect: TestDialect, overrides: Partial<CapstanConfig> = {}): Promise<TestApp> {
  const database = await createTestDatabase(dialect);
  // SQLite's :memory: is per connection, so the app opens its own; PostgreSQL gets the fresh database by URI.
  if (dialect === 'postgres') await database.database.close();
  const artifactsDir = await mkdtemp(join(tmpdir(), 'capstan-artifacts-'));
  const config = loadConfig({
    env: {},
    overrides: {
      port: 0,
      logLevel: 'silent',
      backendStoreUri: database.uri,
      artifactsDestination: artifactsDir,
      // Online feature values stay in memory, whatever the metadata database (never in the working folder).
      features: { ...FEATURES_DEFAULTS, onlineStoreUri: 'sqlite://:memory:' },
      ...overrides,
    },
  });
  const capstan = await createApp(config);
  return {
    ...capstan,
    artifactsDir,
    mlflow(method, path, body) {
      const url = `/api/2.0/mlflow${path}`;
      if (method === 'GET') return capstan.app.inject({ method, url, query: toQuery(body ?? {}) });
      return capstan.app.inject({ method, url, ...(body ? { payload: body } : {}) });
    },
    async cleanup() {
      await capstan.close();
      await database.cleanup();
      await rm(artifactsDir, { recursive: true, force: true });
    },
  };
}

function toQuery(body: Record<string, unknown>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(body)) out[k] = Array.isArray(v) ? v.map(String) : String(v);
  return out;
}
