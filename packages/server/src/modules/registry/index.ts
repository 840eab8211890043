import type { Logger } from '../../core/logger.js';
import type { BlobStore } from '../../ports/blob-store.js';
import type { OnnxModelRuntime } from '../../ports/model-runtime.js';
import { tablesOf, type SqlDatabase } from '../../ports/sql.js';
import type { CapstanModule } from '../module.js';
import type { AccessControl } from '../security/index.js';
import { runLookup, runLookupWithDatasetMetrics } from '../tracking/index.js';
import { registerPackageRoutes } from './http/package-routes.js';
import { registerRegistryRoutes } from './http/registry-routes.js';
import { registryRules } from './http/registry-rules.js';
import { registrySchema } from './migrations/0005-registry.js';
import { versionSignatures } from './migrations/0006-version-signatures.js';
import { modelCardMigration } from './migrations/0007-model-cards.js';
import { promotionSchema } from './migrations/0008-promotion.js';
import { createPromotionFeature } from './promotion/index.js';
import { registerModelCardRoutes, type RegistryExtrasDeps } from './cards/card-routes.js';
import { ModelCardStore } from './cards/card-store.js';
import type { ModelCardTables } from './cards/card-tables.js';
import { registerLineageRoutes } from './lineage/lineage-routes.js';
import { ModelStore } from './model-store.js';
import type { RegistryContext } from './registry-context.js';
import type { RegistryTables } from './tables.js';
import { VersionStore } from './version-store.js';
import { createServingRegistry, type ServingRegistry } from './serving/servable-versions.js';

export type { RegistryTables } from './tables.js';
export type { ServableVersion, ServingRegistry } from './serving/servable-versions.js';
export { aliasKey } from './serving/alias-key.js';
export { formatModelUri, parseModelUri, type ModelUri } from './serving/model-uri.js';
export { folderServable, readFolderModel } from './serving/folder-servable.js';
export { versionRunLookup } from './lineage/version-run.js';
export type { ModelSignature } from './package/signature.js';
export const registryMigrations = [registrySchema, versionSignatures, modelCardMigration, promotionSchema] as const;

export interface RegistryModuleOptions {
  database: SqlDatabase<unknown>;
  logger: Logger;
  access: AccessControl;
  runArtifactUri(runId: string): Promise<string | undefined>;
  jsonBodyLimitBytes: number;
  blobs: BlobStore;
  serveArtifacts: boolean;
  modelRuntime: OnnxModelRuntime;
  now?: () => number;
}

/** The MLflow-compatible model registry: registered models, versions, stages, aliases, tags. */
export interface RegistryModule extends CapstanModule {
  /** What model serving reads from the registry. */
  serving: ServingRegistry;
}

export function createRegistryModule(options: RegistryModuleOptions): RegistryModule {
  const { db, dialect } = tablesOf<RegistryTables>(options.database);
  const ctx: RegistryContext = {
    db,
    dialect,
    access: options.access,
    runArtifactUri: options.runArtifactUri,
    jsonBodyLimitBytes: options.jsonBodyLimitBytes,
    blobs: options.blobs,
    serveArtifacts: options.serveArtifacts,
    modelRuntime: options.modelRuntime,
    now: options.now ?? Date.now,
  };
  const models = new ModelStore(ctx);
  const versions = new VersionStore(ctx, models);
  const runs = runLookup(options.database);
  const extras: RegistryExtrasDeps = { ctx, versions, runs, cards: new ModelCardStore(tablesOf<ModelCardTables>(options.database).db) };
  const promotion = createPromotionFeature({ database: options.database, access: options.access, models, versions, runs: runLookupWithDatasetMetrics(options.database), logger: options.logger, now: ctx.now });
  options.access.registerWorkspaceLookup('registered_model', async (name) => (await models.find(name))?.workspace);
  return {
    name: 'registry',
    serving: createServingRegistry(ctx, models, versions, promotion),
    migrations: registryMigrations,
    // Resumes webhook deliveries a previous process left pending; stop() lets none run half-sent.
    start: () => promotion.start(),
    stop: () => promotion.stop(),
    registerRoutes(app) {
      const rules = registryRules(options.access, models);
      registerRegistryRoutes(app, ctx, rules, models, versions, promotion);
      promotion.registerRoutes(app);
      registerPackageRoutes(app, ctx, versions, rules.getModelVersion);
      registerLineageRoutes(app, extras, { read: rules.getModelVersion });
      registerModelCardRoutes(app, extras, { read: rules.getModelVersion, edit: rules.updateModelVersion });
    },
  };
}
