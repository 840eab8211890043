import type { DeploymentTraffic, GetOnlineFeaturesRequest, GetOnlineFeaturesResponse, TrafficVersion } from '@capstan/contracts';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { CapstanConfig } from '../../core/config.js';
import type { Logger } from '../../core/logger.js';
import type { InferenceRuntime } from '../../ports/inference-runtime.js';
import { tablesOf, type SqlDatabase } from '../../ports/sql.js';
import type { CapstanModule } from '../module.js';
import type { ServingRegistry } from '../registry/index.js';
import type { AccessControl, AccessRule } from '../security/index.js';
import { DeploymentService } from './control/deployment-service.js';
import type { ServingEngine } from './engine/serving-engine.js';
import { DeploymentStore } from './deployments/deployment-store.js';
import type { ServingTables } from './deployments/tables.js';
import { FeatureEnricher } from './features/feature-enricher.js';
import { deploymentByPathName } from './http/deployment-locator.js';
import { registerDeploymentRoutes } from './http/deployment-routes.js';
import { registerOipRestRoutes } from './http/oip-rest-routes.js';
import { registerScoringRoutes } from './http/scoring-routes.js';
import { deploymentsSchema } from './migrations/0009-deployments.js';
import {
  InferenceLogWriter,
  inferenceLogSchema,
  readInferenceWindow,
  registerLabelRoutes,
  sqlInferenceLogSink,
  type InferenceLogSink,
  type InferenceLogTables,
  type InferenceWindowPage,
  type InferenceWindowQuery,
} from './observability/index.js';
import { createDataPlane } from './data-plane.js';
import type { OipGrpcServer } from './protocol/grpc/oip-grpc-server.js';

export const servingMigrations = [deploymentsSchema, inferenceLogSchema] as const;
export { ServingEngine } from './engine/serving-engine.js';
export type { InferenceEngine } from './engine/inference-engine.js';
export type { InferenceWindowPage, InferenceWindowQuery, LabeledInferenceRecord } from './observability/index.js';

/** The `serving` configuration, plus the host the gRPC listener binds (the HTTP server's). */
export type ServingSettings = CapstanConfig['serving'] & { host: string };

export interface ServingModuleOptions {
  database: SqlDatabase<unknown>;
  logger: Logger;
  access: AccessControl;
  registry: ServingRegistry;
  runtime: InferenceRuntime;
  metricsRegistry: Registry;
  settings: ServingSettings;
  bodyLimitBytes: number;
  serverVersion: string;
  /** Where the inference log goes; the SQL table through this process's connection when absent. */
  inferenceLogSink?: InferenceLogSink;
  /** Checks an API token for a gRPC call (gRPC has no HTTP hooks); throws a 401/403-status error. */
  authorizeGrpc?(authorization: string | undefined, deployment: string | undefined): Promise<void>;
  /**
   * The feature store's online read, for deployments whose spec names `features`; without it such
   * a deployment answers tabular requests with a 500 saying the server has no feature store.
   */
  onlineFeatures?: (project: string, request: GetOnlineFeaturesRequest) => Promise<GetOnlineFeaturesResponse>;
}

export interface ServingModule extends CapstanModule {
  readonly engine: ServingEngine;
  /** The OIP gRPC port once started (when configured). */
  grpcPort(): number | undefined;
  /** Runs one reconcile pass and one control tick now (tests and `capstan deploy --wait`). */
  settle(): Promise<void>;
  /** A page of a deployment's logged predictions with their labels (for monitoring). */
  readInferenceWindow(query: InferenceWindowQuery): Promise<InferenceWindowPage>;
  /** The workspace of a deployment, or undefined when there is no such deployment (for access rules). */
  deploymentWorkspace(name: string): Promise<string | undefined>;
  /** The model version a deployment sends the most traffic to (its stable version during a canary). */
  primaryVersion(name: string): Promise<{ model: string; version: string } | undefined>;
  /** Every deployment with its workspace and primary version (for monitors created automatically). */
  listDeployments(): Promise<{ name: string; workspace: string; primary: { model: string; version: string } | undefined }[]>;
  /** A number that moves whenever any deployment changes (one cheap query). */
  deploymentsRevision(): Promise<number>;
}

/**
 * Model serving: deployments (API, store, alias following, canaries), the data plane (pooled
 * onnxruntime sessions, queues with optional dynamic batching, traffic tables swapped atomically)
 * and the protocols (OIP REST and gRPC, KServe v1, MLflow scoring), with metrics and the
 * inference log.
 */
export function createServingModule(options: ServingModuleOptions): ServingModule {
  const { settings, logger } = options;
  const store = new DeploymentStore(tablesOf<ServingTables>(options.database).db, Date.now);
  const logDb = tablesOf<InferenceLogTables>(options.database).db;
  const sampleRates = new Map<string, number>();
  const plane = createDataPlane({
    runtime: options.runtime,
    metricsRegistry: options.metricsRegistry,
    settings,
    logger,
    inferenceLog: (metrics) => new InferenceLogWriter({
        sink: options.inferenceLogSink ?? sqlInferenceLogSink(logDb),
        sampleRate: (d) => sampleRates.get(d) ?? settings.logSampleRate,
        maxRecordsPerSecond: settings.logMaxRecordsPerSecond,
        // Small, frequent batches: on SQLite the insert runs on the event loop, and one write of
        // hundreds of records stalled requests for milliseconds (the p99 at 1,000 requests/s).
        batchSize: 32,
        flushIntervalMs: 200,
        metrics,
        logger,
      }),
  });
  const { engine, pool, metrics, observer, watch } = plane;
  const reconciler = plane.reconciler({ source: store, registry: options.registry });
  // A failed pass is logged by the reconciler and retried at its next tick.
  const service = new DeploymentService({ store, registry: options.registry, watch, logger, changed: () => reconciler.sync().catch(() => undefined) });
  let grpc: OipGrpcServer | undefined;
  let timer: NodeJS.Timeout | undefined;

  const settle = async () => {
    // The reconciler reads deployments only when their revision moved; the tick works on that
    // list, and what the tick wrote is installed before settle resolves.
    await reconciler.sync();
    await service.tick(reconciler.deployments());
    await reconciler.sync();
    for (const d of reconciler.deployments()) sampleRates.set(d.name, d.spec.logging?.sample_rate ?? settings.logSampleRate);
    metrics.loadedModels(pool.stats().length);
  };

  options.access.registerWorkspaceLookup('deployment', (name) => store.workspaceOf(name));
  return {
    name: 'serving',
    migrations: servingMigrations,
    engine,
    grpcPort: () => grpc?.port,
    settle,
    readInferenceWindow: (query) => readInferenceWindow(logDb, query),
    deploymentWorkspace: (name) => store.workspaceOf(name),
    async primaryVersion(name) {
      const deployment = await store.find(name);
      return deployment && primaryOf(deployment.traffic);
    },
    deploymentsRevision: () => store.latestRevision(),
    async listDeployments() {
      return (await store.list()).map((d) => ({ name: d.name, workspace: d.workspace, primary: primaryOf(d.traffic) }));
    },
    async start() {
      await settle();
      timer = setInterval(() => void settle().catch((err: unknown) => logger.error({ err }, 'serving control tick failed')), settings.reconcileIntervalMs);
      timer.unref();
      if (settings.grpcPort !== undefined) {
        grpc = await plane.startGrpc({
          host: settings.host,
          port: settings.grpcPort,
          maxMessageBytes: options.bodyLimitBytes,
          serverVersion: options.serverVersion,
          ...(options.authorizeGrpc ? { authorize: (metadata, model) => options.authorizeGrpc!(metadata.authorization, model) } : {}),
        });
      }
    },
    registerRoutes(app: FastifyInstance) {
      const deploymentOf = deploymentByPathName(store);
      const inference: AccessRule = { kind: 'inference', deployment: (request) => (request.params as { name?: string }).name };
      // The reconciler's copy of each deployment: the spec this process serves, with no query per request.
      const features = new FeatureEnricher({ featuresOf: (name) => reconciler.deployment(name)?.spec.features, onlineFeatures: options.onlineFeatures });
      registerDeploymentRoutes(app, { access: options.access, store, service, reconciler, shadowComparison: (name) => observer.shadowComparison(name) });
      registerLabelRoutes(app, { db: logDb, rules: { write: { kind: 'object', permission: 'EDIT', locate: deploymentOf }, read: { kind: 'object', permission: 'READ', locate: deploymentOf } } });
      registerOipRestRoutes(app, { engine, serverName: 'capstan', serverVersion: options.serverVersion, bodyLimitBytes: options.bodyLimitBytes, modelRule: inference, features });
      registerScoringRoutes(app, { engine, bodyLimitBytes: options.bodyLimitBytes, rule: inference, features });
    },
    async stop() {
      if (timer) clearInterval(timer);
      await grpc?.close();
      await plane.close();
    },
  };
}

/** The version with the highest weight (the stable one during a canary). */
function primaryOf(traffic: DeploymentTraffic): { model: string; version: string } | undefined {
  const primary = traffic.versions.reduce<TrafficVersion | undefined>((best, v) => (best === undefined || v.weight > best.weight ? v : best), undefined);
  return primary && { model: primary.model_name, version: primary.version };
}
