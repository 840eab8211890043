import Fastify, { type FastifyInstance } from 'fastify';
import { MemoryWindowCounterStore } from '../../../../adapters/counter/memory-window-counter.js';
import { LocalBlobStore } from '../../../../adapters/blob/local/local-blob-store.js';
import { onnxruntimeNode } from '../../../../adapters/onnx/onnxruntime-node-runtime.js';
import { installErrorHandling } from '../../../../app/http/error-handler.js';
import { createLogger } from '../../../../core/logger.js';
import { createSecurityModule, upsertLocalUser, type SecurityModule } from '../../../security/index.js';
import { registryRules } from '../../http/registry-rules.js';
import { registerLineageRoutes } from '../../lineage/lineage-routes.js';
import type { RegistryWorld } from '../../lineage/test-support/registry-world.js';
import { ModelStore } from '../../model-store.js';
import type { RegistryContext } from '../../registry-context.js';
import { VersionStore } from '../../version-store.js';
import { registerModelCardRoutes } from '../card-routes.js';

export const ADMIN = { username: 'boss', password: 'boss-password-123' };
export const STRANGER = { username: 'stranger', password: 'stranger-password-123' };

export interface CardApp {
  app: FastifyInstance;
  security: SecurityModule;
  close(): Promise<void>;
}

/**
 * The lineage and card routes on their own Fastify app, behind real security hooks with sign-in
 * required, over a RegistryWorld's database: the whole app does not wire them yet.
 */
export async function createCardApp(w: RegistryWorld): Promise<CardApp> {
  const logger = createLogger('silent');
  const security = createSecurityModule({
    database: w.database,
    logger,
    auth: { mode: 'on', allowInsecureRemote: false, adminUsername: ADMIN.username, adminPassword: ADMIN.password, throttle: { maxFailuresPerUser: 50, maxFailuresPerAddress: 500, windowSeconds: 60 } },
    counters: new MemoryWindowCounterStore(),
  });
  await security.start?.();
  await upsertLocalUser(w.database, { ...STRANGER, isAdmin: false });
  const ctx: RegistryContext = {
    db: w.db,
    dialect: w.database.dialect,
    access: security.access,
    runArtifactUri: async () => undefined,
    jsonBodyLimitBytes: 1024 * 1024,
    blobs: new LocalBlobStore(w.t.artifactsDir),
    serveArtifacts: false,
    modelRuntime: onnxruntimeNode,
    now: Date.now,
  };
  const models = new ModelStore(ctx);
  const versions = new VersionStore(ctx, models);
  security.access.registerWorkspaceLookup('registered_model', async (name) => (await models.find(name))?.workspace);
  const app = Fastify();
  security.installHooks(app);
  installErrorHandling(app);
  const rules = registryRules(security.access, models);
  const deps = { ctx, versions, runs: w.runs, cards: w.cards };
  registerLineageRoutes(app, deps, { read: rules.getModelVersion });
  registerModelCardRoutes(app, deps, { read: rules.getModelVersion, edit: rules.updateModelVersion });
  await app.ready();
  return {
    app,
    security,
    async close() {
      await app.close();
      await security.stop?.();
    },
  };
}
