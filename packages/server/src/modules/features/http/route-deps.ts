import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { OfflineStore } from '../../../ports/offline-store.js';
import type { OnlineStore } from '../../../ports/online-store.js';
import type { AccessControl } from '../../security/index.js';
import type { TrainingDatasetDeps } from '../historical/training-datasets.js';
import type { Materializer } from '../materialize/materializer.js';
import type { ViewStateStore } from '../materialize/view-state-store.js';
import type { RegistryCache } from '../registry/registry-cache.js';
import type { RegistryStore } from '../registry/registry-store.js';

export interface FeatureRouteDeps {
  access: AccessControl;
  registry: RegistryStore;
  cache: RegistryCache;
  states: ViewStateStore;
  online: OnlineStore;
  offline: OfflineStore;
  materializer: Materializer;
  datasets: TrainingDatasetDeps;
  database: Kysely<unknown>;
  /** The project the Feast routes at the server root serve. */
  defaultProject: string;
  bodyLimitBytes: number;
  now: () => number;
  actor(request: FastifyRequest): string | null;
  /** Throws PERMISSION_DENIED (or RESOURCE_DOES_NOT_EXIST) unless the caller may edit the run. */
  requireRunEdit(request: FastifyRequest, runId: string): Promise<void>;
}
