import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import type { Run } from '@capstan/contracts';
import { MemoryWindowCounterStore } from '../../../../adapters/counter/memory-window-counter.js';
import { LocalBlobStore } from '../../../../adapters/blob/local/local-blob-store.js';
import { migrateToLatest } from '../../../../adapters/sql/migrate.js';
import { createTestDatabase, type TestDialect } from '../../../../adapters/sql/test-support/test-databases.js';
import { installErrorHandling } from '../../../../app/http/error-handler.js';
import { allMigrations } from '../../../../app/migrations.js';
import { createLogger } from '../../../../core/logger.js';
import { tablesOf } from '../../../../ports/sql.js';
import { createSecurityModule, type SecurityModule } from '../../../security/index.js';
import { registerRegistryRoutes } from '../../http/registry-routes.js';
import { registryRules } from '../../http/registry-rules.js';
import { ModelStore } from '../../model-store.js';
import type { RegistryContext } from '../../registry-context.js';
import type { RegistryTables } from '../../tables.js';
import { VersionStore } from '../../version-store.js';
import { createPromotionFeature, type PromotionFeature } from '../index.js';

const ADMIN = 'root-admin';
const ADMIN_PASSWORD = 'correct horse battery staple';
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface PromotionTestApp {
  app: FastifyInstance;
  feature: PromotionFeature;
  security: SecurityModule;
  adminAuth: string;
  /** Runs the gates read, by id; tests put the candidate's and the holder's runs here. */
  runs: Map<string, Run>;
  call(auth: string, method: Method, url: string, body?: Record<string, unknown>): Promise<LightMyRequestResponse>;
  /** Calls as the admin and fails the test on an error status. */
  admin(method: Method, url: string, body?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Creates a user and returns a Bearer header for a read/write token. */
  user(username: string): Promise<string>;
  cleanup(): Promise<void>;
}

/** A run with the given metrics (`[key, value, digest?]`), as tracking's run lookup returns runs. */
export function runWith(runId: string, metrics: [string, number, string?][]): Run {
  return {
    info: { run_id: runId, run_uuid: runId, experiment_id: '0', status: 'FINISHED', start_time: 1, artifact_uri: '', lifecycle_stage: 'active' },
    data: { metrics: metrics.map(([key, value, digest], i) => ({ key, value, timestamp: 1000 + i, step: 0, ...(digest ? { dataset_digest: digest, dataset_name: `eval-${digest}` } : {}) })) },
  };
}

/**
 * The security module (auth on), the MLflow registry routes with the promotion hooks, and the
 * promotion and webhook API, on a fresh database migrated with every module's steps plus 0007.
 */
export async function createPromotionTestApp(dialect: TestDialect, options: { retryDelaysMs?: readonly number[] } = {}): Promise<PromotionTestApp> {
  const testDb = await createTestDatabase(dialect);
  const database = testDb.database;
  const artifacts = await mkdtemp(join(tmpdir(), 'capstan-promotion-'));
  const logger = createLogger('silent');
  const security = createSecurityModule({
    database,
    logger,
    auth: { mode: 'on', allowInsecureRemote: false, adminUsername: ADMIN, adminPassword: ADMIN_PASSWORD, throttle: { maxFailuresPerUser: 50, maxFailuresPerAddress: 500, windowSeconds: 60 } },
    counters: new MemoryWindowCounterStore(),
  });
  await migrateToLatest(database, allMigrations());
  await security.start?.();
  const { db, dialect: sqlDialect } = tablesOf<RegistryTables>(database);
  const ctx: RegistryContext = {
    db,
    dialect: sqlDialect,
    access: security.access,
    runArtifactUri: async () => undefined,
    jsonBodyLimitBytes: 1024 * 1024,
    blobs: new LocalBlobStore(artifacts),
    // Packages are not checked here (serveArtifacts off), so the runtime is never asked.
    serveArtifacts: false,
    modelRuntime: { describe: async () => Promise.reject(new Error('not used in these tests')) },
    now: Date.now,
  };
  const models = new ModelStore(ctx);
  const versions = new VersionStore(ctx, models);
  security.access.registerWorkspaceLookup('registered_model', async (name) => (await models.find(name))?.workspace);
  const runs = new Map<string, Run>();
  const feature = createPromotionFeature({
    database,
    access: security.access,
    models,
    versions,
    runs: async (ids) => ids.flatMap((id) => runs.get(id) ?? []),
    logger,
    ...(options.retryDelaysMs ? { webhookRetryDelaysMs: options.retryDelaysMs } : {}),
  });
  await feature.start();

  const app = Fastify();
  security.installHooks(app);
  installErrorHandling(app);
  security.registerRoutes(app);
  registerRegistryRoutes(app, ctx, registryRules(security.access, models), models, versions, feature);
  feature.registerRoutes(app);
  await app.ready();

  const adminAuth = `Basic ${Buffer.from(`${ADMIN}:${ADMIN_PASSWORD}`).toString('base64')}`;
  const call: PromotionTestApp['call'] = (authorization, method, url, body) =>
    method === 'GET' || method === 'DELETE'
      ? app.inject({ method, url, headers: { authorization }, query: Object.fromEntries(Object.entries(body ?? {}).map(([k, v]) => [k, String(v)])) })
      : app.inject({ method, url, headers: { authorization }, ...(body ? { payload: body } : {}) });
  const admin: PromotionTestApp['admin'] = async (method, url, body) => {
    const response = await call(adminAuth, method, url, body);
    if (response.statusCode >= 400) throw new Error(`${method} ${url} failed: ${response.statusCode} ${response.body}`);
    return response.json();
  };
  return {
    app,
    feature,
    security,
    adminAuth,
    runs,
    call,
    admin,
    async user(username) {
      await admin('POST', '/api/capstan/v1/users', { username });
      const created = await admin('POST', '/api/capstan/v1/tokens', { user: username, name: `${username}-token`, scopes: ['read', 'write'] });
      return `Bearer ${String(created.token)}`;
    },
    async cleanup() {
      await feature.stop();
      await app.close();
      await security.stop?.();
      await testDb.cleanup();
      await rm(artifacts, { recursive: true, force: true });
    },
  };
}
