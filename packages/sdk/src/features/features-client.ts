import {
  CAPSTAN_API_PREFIX,
  FEATURE_ROUTES,
  FEATURE_SERVER_ROUTES,
  type FeatureApplyRequest,
  type FeatureApplyResponse,
  type FeaturePlan,
  type FeatureProject,
  type FeatureRepoDefinition,
  type FeatureViewStatus,
  type GetOnlineFeaturesRequest,
  type GetOnlineFeaturesResponse,
  type HistoricalFeaturesRequest,
  type HistoricalFeaturesResponse,
  type MaterializeIncrementalRequest,
  type MaterializeRequest,
  type MaterializeResponse,
  type PushFeaturesRequest,
  type TrainingDatasetInfo,
  type WriteToOnlineStoreRequest,
} from '@capstan/contracts';
import { readJson, type Transport } from '../http/transport.js';
import { isFeatureObject } from './feature-object.js';
import { projectOfService, type FeatureRepo } from './feature-repo.js';
import type { FeatureService } from './feature-service.js';
import { toHistoricalFeatures, type HistoricalFeatures, type ServiceHistoricalRequest } from './historical-result.js';
import { serviceColumnDtypes, toOnlineFeatures, type OnlineFeatures, type ServiceColumns, type ServiceEntities } from './online-result.js';
import { toDefinition } from './to-definition.js';
import { isoTime, toWireJson, type InputColumns } from './wire-values.js';

type Route = { readonly method: string; readonly path: string };

/** A project as listed: everything but its definition. */
export type FeatureProjectSummary = Omit<FeatureProject, 'definition'>;

/** Rows to push or write, with Dates and bytes accepted where the wire takes ISO and base64 strings. */
export type PushRequest = Omit<PushFeaturesRequest, 'df'> & { df: InputColumns };
export type WriteToOnlineStoreInput = Omit<WriteToOnlineStoreRequest, 'df'> & { df: InputColumns };

/**
 * `client.features`: the feature store. Registry calls (`/features/...`: plan, apply, projects,
 * view status, point-in-time retrieval, training datasets) and the Feast-compatible feature
 * server of each project (`/feature-server/{project}/...`: online lookups, push, materialize).
 *
 * ```ts
 * const plan = await client.features.plan(repo);
 * await client.features.apply(repo, { baseRevision: plan.base_revision });
 * const { values } = await client.features.getOnlineFeatures(activity, { driver_id: [1001], val_to_add: [1] });
 * ```
 */
export class FeaturesClient {
  constructor(private readonly transport: Transport) {}

  /** The projects you may read. */
  async listProjects(): Promise<FeatureProjectSummary[]> {
    return (await this.#registry<{ projects: FeatureProjectSummary[] }>(FEATURE_ROUTES.listProjects, {})).projects;
  }

  /** A project with its definition as applied. */
  getProject(project: string): Promise<FeatureProject> {
    return this.#registry(FEATURE_ROUTES.getProject, { project });
  }

  /** Removes the project's definitions and its online rows. */
  async deleteProject(project: string): Promise<void> {
    await this.#registry(FEATURE_ROUTES.deleteProject, { project });
  }

  /** What applying the repository would change, against the registry's current revision. */
  plan(repo: FeatureRepo | FeatureRepoDefinition): Promise<FeaturePlan> {
    return this.#registry(FEATURE_ROUTES.plan, {}, { definition: definitionOf(repo) });
  }

  /**
   * Replaces the project with the repository. `baseRevision` is the plan's: the server answers 409
   * (RESOURCE_CONFLICT) when another apply landed since, so what is applied is what was planned.
   * A plan that deletes objects needs `allowDeletes`.
   */
  apply(repo: FeatureRepo | FeatureRepoDefinition, options: { baseRevision: number; allowDeletes?: boolean }): Promise<FeatureApplyResponse> {
    const body: FeatureApplyRequest = {
      definition: definitionOf(repo),
      base_revision: options.baseRevision,
      ...(options.allowDeletes ? { allow_deletes: true } : {}),
    };
    return this.#registry(FEATURE_ROUTES.apply, {}, body, false);
  }

  /** Materialization state and freshness of a view. */
  viewStatus(project: string, view: string): Promise<FeatureViewStatus> {
    return this.#registry(FEATURE_ROUTES.viewStatus, { project, view });
  }

  /** Training datasets saved by point-in-time retrievals (`save_as`). */
  async listDatasets(project: string): Promise<TrainingDatasetInfo[]> {
    return (await this.#registry<{ datasets: TrainingDatasetInfo[] }>(FEATURE_ROUTES.datasets, { project })).datasets;
  }

  /**
   * Point-in-time correct features for an entity table (or a time range), optionally saved as a
   * versioned training dataset. Given a feature service object, the entity table and the returned
   * columns are typed from it (the project is the service's `featureRepo` unless given).
   */
  getHistoricalFeatures<S extends FeatureService, Full extends boolean = false>(
    service: S,
    request: ServiceHistoricalRequest<S, Full>,
  ): Promise<HistoricalFeatures<ServiceColumns<S, Full>>>;
  getHistoricalFeatures<S extends FeatureService, Full extends boolean = false>(
    project: string,
    service: S,
    request: ServiceHistoricalRequest<S, Full>,
  ): Promise<HistoricalFeatures<ServiceColumns<S, Full>>>;
  getHistoricalFeatures(project: string, request: HistoricalFeaturesRequest): Promise<HistoricalFeaturesResponse>;
  async getHistoricalFeatures(...args: unknown[]): Promise<unknown> {
    const { project, service, rest } = splitTarget(args);
    const request = rest[0] as HistoricalFeaturesRequest;
    const body = service ? { ...request, feature_service: service.name } : request;
    // Saving a dataset adds a version each time, so only a plain retrieval is safe to repeat.
    const response = await this.#registry<HistoricalFeaturesResponse>(FEATURE_ROUTES.historical, { project }, body, body.save_as === undefined);
    return service ? toHistoricalFeatures(service, response, body.full_feature_names === true) : response;
  }

  /**
   * Feast's online lookup. With a feature service object the entities and the columns are typed
   * from its views (the project is the service's `featureRepo` unless given); with a service
   * name or `view:feature` references they are not.
   */
  getOnlineFeatures<S extends FeatureService, Full extends boolean = false>(
    service: S,
    entities: ServiceEntities<S>,
    options?: { fullFeatureNames?: Full },
  ): Promise<OnlineFeatures<ServiceColumns<S, Full>>>;
  getOnlineFeatures<S extends FeatureService, Full extends boolean = false>(
    project: string,
    service: S,
    entities: ServiceEntities<S>,
    options?: { fullFeatureNames?: Full },
  ): Promise<OnlineFeatures<ServiceColumns<S, Full>>>;
  getOnlineFeatures(project: string, features: string | readonly string[], entities: InputColumns, options?: { fullFeatureNames?: boolean }): Promise<OnlineFeatures>;
  async getOnlineFeatures(...args: unknown[]): Promise<OnlineFeatures<object>> {
    const { project, service, rest } = splitTarget(args);
    // Without a service object, the first argument after the project names a service or lists references.
    const [features, entities, options] = (service ? [undefined, ...rest] : rest) as [string | readonly string[] | undefined, InputColumns, { fullFeatureNames?: boolean } | undefined];
    const fullFeatureNames = options?.fullFeatureNames === true;
    const body: GetOnlineFeaturesRequest = {
      entities: entities as GetOnlineFeaturesRequest['entities'],
      ...(service ? { feature_service: service.name } : typeof features === 'string' ? { feature_service: features } : { features: [...(features ?? [])] }),
      ...(fullFeatureNames ? { full_feature_names: true } : {}),
    };
    const response = await this.#featureServer<GetOnlineFeaturesResponse>(project, FEATURE_SERVER_ROUTES.getOnlineFeatures, body, true);
    return toOnlineFeatures(response, service ? serviceColumnDtypes(service.outputs, fullFeatureNames) : new Map());
  }

  /** Feast's push: rows of a push source to the online store, the offline store, or both. */
  async push(project: string, request: PushRequest): Promise<void> {
    // Pushing offline appends rows, so a retry could duplicate them.
    await this.#featureServer(project, FEATURE_SERVER_ROUTES.push, request, false);
  }

  /** Writes rows of a view straight to the online store (the same rows again overwrite themselves). */
  async writeToOnlineStore(project: string, request: WriteToOnlineStoreInput): Promise<void> {
    await this.#featureServer(project, FEATURE_SERVER_ROUTES.writeToOnlineStore, request, true);
  }

  /** Loads the views' rows with event times in [start, end) into the online store; every online view unless named. */
  materialize(project: string, start: Date | string, end: Date | string, views?: readonly string[]): Promise<MaterializeResponse> {
    const body: MaterializeRequest = { start_ts: isoTime(start, 'start'), end_ts: isoTime(end, 'end'), ...viewsField(views) };
    return this.#featureServer(project, FEATURE_SERVER_ROUTES.materialize, body, true);
  }

  /** Materializes each view from where its last materialization ended up to `end`. */
  materializeIncremental(project: string, end: Date | string, views?: readonly string[]): Promise<MaterializeResponse> {
    const body: MaterializeIncrementalRequest = { end_ts: isoTime(end, 'end'), ...viewsField(views) };
    return this.#featureServer(project, FEATURE_SERVER_ROUTES.materializeIncremental, body, true);
  }

  #registry<T>(route: Route, params: Record<string, string>, body?: unknown, idempotent = true): Promise<T> {
    const path = route.path.replace(/\{(\w+)\}/g, (_, key: string) => encodeURIComponent(params[key]!));
    return this.#send(route.method, `${CAPSTAN_API_PREFIX}${path}`, body, idempotent);
  }

  #featureServer<T>(project: string, route: Route, body: unknown, idempotent: boolean): Promise<T> {
    return this.#send(route.method, `/feature-server/${encodeURIComponent(project)}${route.path}`, body, idempotent);
  }

  #send<T>(method: string, url: string, body: unknown, idempotent: boolean): Promise<T> {
    return this.transport.send({
      method,
      path: url,
      idempotent,
      ...(body === undefined ? {} : { body: () => ({ data: toWireJson(body), contentType: 'application/json' }) }),
      read: (response) => readJson<T>(response, `${method} ${url}`),
    });
  }
}

function definitionOf(repo: FeatureRepo | FeatureRepoDefinition): FeatureRepoDefinition {
  return isFeatureObject(repo, 'feature_repo') ? toDefinition(repo as FeatureRepo) : repo;
}

const viewsField = (views: readonly string[] | undefined) => (views?.length ? { feature_views: [...views] } : {});

/** A lookup's leading arguments: `(service, ...)`, `(project, service, ...)` or `(project, ...)`. */
function splitTarget(args: readonly unknown[]): { project: string; service?: FeatureService; rest: unknown[] } {
  if (isFeatureObject(args[0], 'feature_service')) {
    const service = args[0] as FeatureService;
    return { project: projectOfService(service), service, rest: args.slice(1) };
  }
  if (isFeatureObject(args[1], 'feature_service')) return { project: args[0] as string, service: args[1] as FeatureService, rest: args.slice(2) };
  return { project: args[0] as string, rest: args.slice(1) };
}
