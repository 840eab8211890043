import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { GetOnlineFeaturesRequest, GetOnlineFeaturesResponse } from '@capstan/contracts';
import { CapstanError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { BlobStore } from '../../ports/blob-store.js';
import type { OfflineStore } from '../../ports/offline-store.js';
import type { OnlineStore } from '../../ports/online-store.js';
import { tablesOf, type SqlDatabase } from '../../ports/sql.js';
import type { CapstanModule } from '../module.js';
import type { AccessControl, ObjectRef } from '../security/index.js';
import type { RunDatasetInput } from './historical/training-datasets.js';
import { registerFeatureServerRoutes } from './http/feature-server-routes.js';
import { registerRegistryRoutes } from './http/registry-routes.js';
import { MaterializationScheduler } from './materialize/materialization-scheduler.js';
import { Materializer } from './materialize/materializer.js';
import { ViewStateStore } from './materialize/view-state-store.js';
import { registerFreshnessMetrics } from './metrics/freshness-metrics.js';
import { getOnlineFeatures } from './online/online-features.js';
import { featureStoreSchema } from './registry/migrations/0014-feature-store.js';
import { RegistryCache } from './registry/registry-cache.js';
import { RegistryStore } from './registry/registry-store.js';
import type { FeatureTables } from './registry/tables.js';

export const featureMigrations = [featureStoreSchema] as const;
export type { RunDatasetInput } from './historical/training-datasets.js';

export interface FeaturesSettings {
  /** The project Feast's routes at the server root serve. */
  defaultProject: string;
  /** How often each replica checks for registry changes made elsewhere. */
  registryRefreshMs: number;
  /** Whether this process materializes views on their schedule. */
  schedulerEnabled: boolean;
  schedulerTickMs: number;
  materializationLeaseMs: number;
}

export interface FeaturesModuleOptions {
  database: SqlDatabase<unknown>;
  access: AccessControl;
  logger: Logger;
  metricsRegistry: Registry;
  online: OnlineStore;
  offline: OfflineStore;
  /** The artifact store: saved training datasets go there. */
  blobs: BlobStore;
  /** The blob key of a run's artifact root when its artifacts are proxied here (the tracking module's). */
  runArtifactKey(runId: string): Promise<string | undefined>;
  logRunDataset(runId: string, input: RunDatasetInput): Promise<void>;
  /** The experiments holding runs (the tracking module's): saving a dataset to a run needs EDIT on it. */
  runExperiments(runIds: readonly string[]): Promise<ObjectRef[]>;
  settings: FeaturesSettings;
  bodyLimitBytes: number;
  now?: () => number;
}

export interface FeaturesModule extends CapstanModule {
  /** Online features for serving: the deployment's feature service, looked up for its request's keys. */
  onlineFeatures(project: string, request: GetOnlineFeaturesRequest): Promise<GetOnlineFeaturesResponse>;
  /** Runs scheduled materialization now (tests; the scheduler does it on its own). */
  tick(): Promise<void>;
}

/**
 * The feature store: definitions applied as code with plan/apply (registry/), point-in-time
 * training data (historical/) from the offline store, materialization (materialize/) into the
 * online store, and Feast-compatible online serving and push (online/, http/).
 */
export function createFeaturesModule(options: FeaturesModuleOptions): FeaturesModule {
  const now = options.now ?? Date.now;
  const db = tablesOf<FeatureTables>(options.database).db;
  const registry = new RegistryStore(db, now);
  const cache = new RegistryCache(registry, options.logger, options.settings.registryRefreshMs);
  const states = new ViewStateStore(db, now);
  const materializer = new Materializer({ offline: options.offline, online: options.online, states, database: options.database.db, logger: options.logger });
  const scheduler = new MaterializationScheduler({
    projects: async () => [...(await registry.revisions()).keys()],
    load: (project) => cache.get(project),
    materializer,
    states,
    logger: options.logger,
    now,
    tickMs: options.settings.schedulerTickMs,
    leaseMs: options.settings.materializationLeaseMs,
  });
  options.access.registerWorkspaceLookup('feature_project', async (project) => (await registry.find(project))?.workspace);
  registerFreshnessMetrics(options.metricsRegistry, {
    now,
    views: async () => {
      const out = [];
      const stateOf = new Map((await states.all()).map((s) => [`${s.project}\u0000${s.view}`, s]));
      for (const project of await registry.list()) {
        for (const view of project.definition.feature_views) {
          if (!view.online) continue;
          const state = stateOf.get(`${project.project}\u0000${view.name}`);
          out.push({ project: project.project, view: view.name, newestEventTime: state?.newestEventTime ?? null, slaSeconds: view.freshness_sla_seconds });
        }
      }
      return out;
    },
  });

  return {
    name: 'features',
    migrations: featureMigrations,
    async start() {
      cache.start();
      if (options.settings.schedulerEnabled) scheduler.start();
    },
    async stop() {
      cache.stop();
      await scheduler.stop();
    },
    registerRoutes(app: FastifyInstance) {
      const deps = {
        access: options.access,
        registry,
        cache,
        states,
        online: options.online,
        offline: options.offline,
        materializer,
        datasets: { db, blobs: options.blobs, runArtifactKey: options.runArtifactKey, logRunDataset: options.logRunDataset, now },
        database: options.database.db,
        defaultProject: options.settings.defaultProject,
        bodyLimitBytes: options.bodyLimitBytes,
        now,
        actor: (request: Parameters<typeof options.access.requestedWorkspace>[0]) => (request.principal.userId === null && options.access.mode === 'none' ? null : request.principal.username),
        requireRunEdit: async (request: Parameters<typeof options.access.requestedWorkspace>[0], runId: string) => {
          const [experiment] = await options.runExperiments([runId]);
          if (!experiment) throw new CapstanError('RESOURCE_DOES_NOT_EXIST', `Run '${runId}' not found`);
          if (!(await options.access.allows(request, experiment, 'EDIT'))) throw new CapstanError('PERMISSION_DENIED', `Saving a dataset to run '${runId}' needs EDIT on its experiment`);
        },
      };
      registerRegistryRoutes(app, deps);
      registerFeatureServerRoutes(app, deps);
    },
    onlineFeatures: async (project, request) => getOnlineFeatures(await cache.get(project), options.online, request, now()),
    tick: () => scheduler.tick(),
  };
}
