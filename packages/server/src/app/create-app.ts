import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { CapstanConfig } from '../core/config.js';
import { createLogger, type Logger } from '../core/logger.js';
import { CAPSTAN_VERSION } from '../core/version.js';
import { createBlobStore } from '../adapters/blob/create-blob-store.js';
import { migrateToLatest } from '../adapters/sql/migrate.js';
import { openDatabase, sqliteFileOf } from '../adapters/sql/open-database.js';
import { createWindowCounterStore } from '../adapters/counter/create-window-counter.js';
import { duckdbTableFiles } from '../adapters/duckdb/duckdb-table-files.js';
import { onnxruntimeNode } from '../adapters/onnx/onnxruntime-node-runtime.js';
import { onnxruntimeNodeSessions } from '../adapters/onnx/onnxruntime-node-sessions.js';
import { tablesOf } from '../ports/sql.js';
import type { CapstanModule } from '../modules/module.js';
import { createSecurityModule, type SecurityModule } from '../modules/security/index.js';
import { createRegistryModule, versionRunLookup } from '../modules/registry/index.js';
import { createMonitoringModule, type MonitoringModule } from '../modules/monitoring/index.js';
import { createServingModule, type ServingModule } from '../modules/serving/index.js';
import { createFeaturesModule, type FeaturesModule } from '../modules/features/index.js';
import { createOnlineStore } from '../adapters/online-store/create-online-store.js';
import { createDuckdbOfflineStore } from '../adapters/duckdb/offline/duckdb-offline-store.js';
import {
  artifactLocations,
  artifactReader,
  createTrackingModule,
  runArtifactUriLookup,
  runDatasetLogger,
  runExperiments,
  runLookup,
  type TrackingTables,
} from '../modules/tracking/index.js';
import { onlineStoreUriOf } from './feature-stores.js';
import { installErrorHandling } from './http/error-handler.js';
import { workerLogSink } from './inference-log/worker-log-sink.js';
import { closeHttpServer, createHttpServer } from './http/http-server.js';
import { registerHealthRoutes, type HealthState } from './http/health-routes.js';
import { createMetricsRegistry, installHttpMetrics } from './http/http-metrics.js';
import { installOpenApi } from './http/openapi.js';

export interface CapstanApp {
  app: FastifyInstance;
  logger: Logger;
  security: SecurityModule;
  serving: ServingModule;
  monitoring: MonitoringModule;
  features: FeaturesModule;
  /** Stops taking requests, lets in-flight ones finish, then releases stores. Idempotent. */
  close(): Promise<void>;
}

/**
 * The one place that turns configuration into adapters and hands them to modules. Everything
 * else depends on ports.
 */
export async function createApp(config: CapstanConfig, options: { logger?: Logger } = {}): Promise<CapstanApp> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const database = openDatabase<unknown>(config.backendStoreUri, { logger });
  const blobs = createBlobStore(config.artifactsDestination, config.s3);
  const counters = createWindowCounterStore(config.redisUrl);
  const runArtifactUri = runArtifactUriLookup(database);
  const security = createSecurityModule({ database, logger, auth: config.auth, counters });
  const registry = createRegistryModule({
    database,
    logger,
    access: security.access,
    runArtifactUri,
    jsonBodyLimitBytes: config.bodyLimitBytes,
    blobs,
    serveArtifacts: config.serveArtifacts,
    modelRuntime: onnxruntimeNode,
  });
  const metricsRegistry = createMetricsRegistry();
  const onlineStoreUri = onlineStoreUriOf(config);
  if (onlineStoreUri.startsWith('sqlite') && !config.backendStoreUri.startsWith('sqlite')) {
    logger.warn({ onlineStoreUri }, 'online feature values are in a local SQLite file that other replicas do not share: set redisUrl or features.onlineStoreUri');
  }
  const onlineFeatures = createOnlineStore(onlineStoreUri);
  const offlineFeatures = createDuckdbOfflineStore({ root: config.features.offlineStoreUri, s3: config.s3 });
  const features = createFeaturesModule({
    database,
    access: security.access,
    logger,
    metricsRegistry,
    online: onlineFeatures,
    offline: offlineFeatures,
    blobs,
    runArtifactKey: async (runId) => {
      const uri = await runArtifactUri(runId);
      return uri === undefined ? undefined : artifactLocations.blobKeyForArtifactUri(uri);
    },
    logRunDataset: runDatasetLogger(database),
    runExperiments: runExperiments(database),
    settings: config.features,
    bodyLimitBytes: config.bodyLimitBytes,
  });
  // SQLite runs statements on the calling thread: the inference log gets its own thread and connection.
  const logSink = sqliteFileOf(config.backendStoreUri) !== undefined ? workerLogSink(config.backendStoreUri) : undefined;
  const serving = createServingModule({
    database,
    logger,
    access: security.access,
    registry: registry.serving,
    runtime: onnxruntimeNodeSessions,
    metricsRegistry,
    settings: { ...config.serving, host: config.host },
    bodyLimitBytes: config.bodyLimitBytes,
    serverVersion: CAPSTAN_VERSION,
    ...(logSink ? { inferenceLogSink: logSink } : {}),
    authorizeGrpc: (authorization, deployment) => security.authorizeInference(authorization, deployment, 'grpc'),
    onlineFeatures: (project, request) => features.onlineFeatures(project, request),
  });
  const monitoring = createMonitoringModule({
    database,
    access: security.access,
    logger,
    metricsRegistry,
    settings: config.monitoring,
    readWindow: (query) => serving.readInferenceWindow(query),
    deploymentWorkspace: (name) => serving.deploymentWorkspace(name),
    deployments: () => serving.listDeployments(),
    deploymentsRevision: () => serving.deploymentsRevision(),
    runExperiments: runExperiments(database),
    training: {
      servedVersion: (name) => serving.primaryVersion(name),
      versionRun: versionRunLookup(database),
      runs: runLookup(database),
      runArtifactUri,
      readArtifact: artifactReader(blobs, config.bodyLimitBytes),
      tables: duckdbTableFiles,
    },
    bodyLimitBytes: config.bodyLimitBytes,
  });
  const modules: CapstanModule[] = [
    security,
    createTrackingModule({
      database: tablesOf<TrackingTables>(database),
      access: security.access,
      blobs,
      logger,
      defaultArtifactRoot: config.defaultArtifactRoot,
      serveArtifacts: config.serveArtifacts,
      artifactUploadLimitBytes: config.artifactUploadLimitBytes,
      jsonBodyLimitBytes: config.bodyLimitBytes,
    }),
    registry,
    serving,
    monitoring,
    features,
  ];

  try {
    const applied = await migrateToLatest(database, modules.flatMap((m) => m.migrations));
    if (applied.length) logger.info({ applied, store: database.description }, 'schema migrated');
    for (const warning of await database.diagnose()) logger.warn({ store: database.description }, warning);
    for (const m of modules) await m.start?.();
  } catch (err) {
    await Promise.allSettled([database.close(), blobs.close(), counters.close(), logSink?.close(), onlineFeatures.close(), offlineFeatures.close()]);
    throw err;
  }

  const app = createHttpServer(logger, config.bodyLimitBytes);

  const health: HealthState = {
    accepting: true,
    async check() {
      await sql`select 1`.execute(database.db);
      await blobs.list('');
    },
  };
  // First: every route registered after this must declare who may call it.
  security.installHooks(app);
  installErrorHandling(app);
  await installOpenApi(app, CAPSTAN_VERSION);
  installHttpMetrics(app, metricsRegistry);
  registerHealthRoutes(app, health, CAPSTAN_VERSION);
  for (const m of modules) m.registerRoutes(app);
  await app.ready();

  let closing: Promise<void> | undefined;
  return {
    app,
    logger,
    security,
    serving,
    monitoring,
    features,
    close() {
      closing ??= (async () => {
        health.accepting = false;
        await closeHttpServer(app);
        for (const m of [...modules].reverse()) await m.stop?.();
        await Promise.allSettled([database.close(), blobs.close(), counters.close(), logSink?.close(), onlineFeatures.close(), offlineFeatures.close()]);
      })();
      return closing;
    },
  };
}
