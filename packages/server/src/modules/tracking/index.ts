import type { Logger } from '../../core/logger.js';
import type { BlobStore } from '../../ports/blob-store.js';
import type { SqlDatabase } from '../../ports/sql.js';
import type { CapstanModule } from '../module.js';
import type { AccessControl } from '../security/index.js';
import { trackingLocators } from './access/tracking-locators.js';
import { artifactRules, trackingRules } from './access/tracking-rules.js';
import { registerArtifactRoutes } from './artifacts/index.js';
import { registerLoggedModelRoutes } from './logged-models/logged-model-routes.js';
import { registerDatasetRoutes } from './datasets/dataset-routes.js';
import { ExperimentStore } from './experiments/experiment-store.js';
import { registerExperimentRoutes } from './experiments/experiment-routes.js';
import { registerMetricRoutes } from './metrics/metric-routes.js';
import { trackingMigrations } from './migrations/index.js';
import { registerRunInputRoutes, registerRunRoutes } from './runs/run-routes.js';
import type { TrackingTables } from './tables.js';
import type { TrackingContext } from './tracking-context.js';

export type { TrackingTables } from './tables.js';
export { trackingMigrations } from './migrations/index.js';
export { runArtifactUriLookup } from './access/run-artifact-uri.js';
export { artifactReader } from './access/artifact-reader.js';
export { runExperiments } from './access/run-experiments.js';
export { runLookup } from './access/run-lookup.js';
export { runDatasetLogger, type DatasetInputRecord } from './access/run-dataset-logger.js';
export { runLookupWithDatasetMetrics } from './access/dataset-metrics.js';
// The MLflow wire toolkit other MLflow-compatible modules (the registry) build on.
export { readInput, registerMlflowRpc, SMALL_RPC_BODY_LIMIT, type MlflowHandler } from './http/mlflow-route.js';
export * as requestFields from './http/request-fields.js';
export * as mlflowSearch from './search/index.js';
export * as artifactLocations from './artifacts/artifact-uri.js';

export interface TrackingModuleOptions {
  database: SqlDatabase<TrackingTables>;
  blobs: BlobStore;
  logger: Logger;
  defaultArtifactRoot: string;
  serveArtifacts: boolean;
  artifactUploadLimitBytes: number;
  jsonBodyLimitBytes: number;
  access: AccessControl;
  now?: () => number;
}

/** MLflow-compatible experiment tracking: experiments, runs, metrics, datasets, artifacts, logged models. */
export function createTrackingModule(options: TrackingModuleOptions): CapstanModule {
  const locate = trackingLocators(options.database.db);
  const ctx: TrackingContext = {
    db: options.database.db,
    dialect: options.database.dialect,
    blobs: options.blobs,
    logger: options.logger,
    defaultArtifactRoot: options.defaultArtifactRoot,
    serveArtifacts: options.serveArtifacts,
    artifactUploadLimitBytes: options.artifactUploadLimitBytes,
    jsonBodyLimitBytes: options.jsonBodyLimitBytes,
    now: options.now ?? Date.now,
    access: options.access,
    rules: trackingRules(options.access, locate),
    artifactRules: artifactRules(locate),
    locate,
  };
  options.access.registerWorkspaceLookup('experiment', locate.workspaceOf);
  return {
    name: 'tracking',
    migrations: trackingMigrations,
    start: () => new ExperimentStore(ctx).initDefaultExperiment(),
    registerRoutes(app) {
      registerExperimentRoutes(app, ctx);
      registerRunRoutes(app, ctx);
      registerRunInputRoutes(app, ctx);
      registerDatasetRoutes(app, ctx);
      registerMetricRoutes(app, ctx);
      registerArtifactRoutes(app, ctx);
      registerLoggedModelRoutes(app, ctx);
    },
  };
}
