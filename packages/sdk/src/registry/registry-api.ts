import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CAPSTAN_API_PREFIX,
  MLFLOW_API_PREFIX,
  MLFLOW_REGISTRY_ROUTES,
  type LineageGraph,
  type MlflowRegistryRpcName,
  type ModelVersion,
  type RegisteredModel,
  type RegisteredModelTag,
} from '@capstan/contracts';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { assertSafeArtifactPath, joinArtifactPath, proxyRootFromArtifactUri } from '../artifacts/artifact-uri.js';
import { downloadProxyFolder, uploadDirectory } from '../artifacts/run-artifacts.js';
import { isApiError } from '../errors.js';
import { encodeQuery } from '../http/query.js';
import { readJson, type Transport } from '../http/transport.js';
import { paginate } from '../paging.js';
import type { TrackingApi } from '../tracking-api.js';
import { formatRunsUri, parseModelUri, parseRunsUri, type ModelReference } from './model-uri.js';
import type { RegistryRequest, RegistryResponse, SearchRegistryQuery } from './registry-types.js';

/** Capstan's lineage route (not MLflow's), relative to CAPSTAN_API_PREFIX. */
const LINEAGE_PATH = '/model-versions/lineage';

/**
 * Registry RPCs whose repetition changes the outcome (a second version, or an error after a
 * success); after an ambiguous failure they are not retried.
 */
export const NON_IDEMPOTENT_REGISTRY_RPCS: ReadonlySet<MlflowRegistryRpcName> = new Set<MlflowRegistryRpcName>([
  'createRegisteredModel',
  'renameRegisteredModel',
  'createModelVersion',
]);

export interface RegisterModelOptions {
  /** Tags of the new version. */
  tags?: Record<string, string> | RegisteredModelTag[];
  description?: string;
  /** Run that produced the model; parsed from a `runs:/` source when not given. */
  runId?: string;
  runLink?: string;
  /** How long to wait for a PENDING_REGISTRATION version to become READY, in ms; default 300000, 0 not to wait. */
  awaitRegistrationForMs?: number;
  /** Poll interval while waiting, in ms; default 1000. */
  pollIntervalMs?: number;
}

/** A `models:/` URI resolved to one version and the location of its files. */
export interface ResolvedModel {
  name: string;
  version: string;
  /** Where the version's files are, e.g. `mlflow-artifacts:/1/<run_id>/artifacts/model`. */
  artifactUri: string;
}

/**
 * MLflow's model registry (`/api/2.0/mlflow`), one typed method per RPC, plus the workflows built
 * on it: logging a model folder to a run, registering it, resolving and downloading `models:/` URIs,
 * and Capstan's lineage graph. GET routes send their fields in the query string (list fields repeat
 * their key); POST, PATCH and DELETE send a JSON body, as MLflow's Python client does.
 */
export class RegistryClient {
  constructor(
    private readonly transport: Transport,
    private readonly tracking: TrackingApi,
    private readonly store: ArtifactStore,
  ) {}

  /** Sends any registry RPC by name; the named methods below are shorthands for it. */
  call<K extends MlflowRegistryRpcName>(rpc: K, request: RegistryRequest<K>): Promise<RegistryResponse<K>> {
    const { method, path } = MLFLOW_REGISTRY_ROUTES[rpc];
    const inQuery = method === 'GET';
    const url = withQuery(`${MLFLOW_API_PREFIX}${path}`, inQuery ? request : {});
    return this.transport.send({
      method,
      path: url,
      idempotent: !NON_IDEMPOTENT_REGISTRY_RPCS.has(rpc),
      ...(inQuery ? {} : { body: () => ({ data: JSON.stringify(request), contentType: 'application/json' }) }),
      read: (response) => readJson<RegistryResponse<K>>(response, `${method} ${url}`),
    });
  }

  // Registered models
  createRegisteredModel(req: RegistryRequest<'createRegisteredModel'>) { return this.call('createRegisteredModel', req); }
  renameRegisteredModel(req: RegistryRequest<'renameRegisteredModel'>) { return this.call('renameRegisteredModel', req); }
  updateRegisteredModel(req: RegistryRequest<'updateRegisteredModel'>) { return this.call('updateRegisteredModel', req); }
  deleteRegisteredModel(req: RegistryRequest<'deleteRegisteredModel'>) { return this.call('deleteRegisteredModel', req); }
  getRegisteredModel(req: RegistryRequest<'getRegisteredModel'>) { return this.call('getRegisteredModel', req); }
  /** One page; follow `next_page_token`, or use `registeredModels`. */
  searchRegisteredModels(req: RegistryRequest<'searchRegisteredModels'> = {}) { return this.call('searchRegisteredModels', req); }
  /** The newest version in each stage (or in the stages given). */
  getLatestVersions(req: RegistryRequest<'getLatestVersions'>) { return this.call('getLatestVersions', req); }
  setRegisteredModelTag(req: RegistryRequest<'setRegisteredModelTag'>) { return this.call('setRegisteredModelTag', req); }
  deleteRegisteredModelTag(req: RegistryRequest<'deleteRegisteredModelTag'>) { return this.call('deleteRegisteredModelTag', req); }

  // Aliases
  setRegisteredModelAlias(req: RegistryRequest<'setRegisteredModelAlias'>) { return this.call('setRegisteredModelAlias', req); }
  deleteRegisteredModelAlias(req: RegistryRequest<'deleteRegisteredModelAlias'>) { return this.call('deleteRegisteredModelAlias', req); }
  getModelVersionByAlias(req: RegistryRequest<'getModelVersionByAlias'>) { return this.call('getModelVersionByAlias', req); }

  // Model versions
  createModelVersion(req: RegistryRequest<'createModelVersion'>) { return this.call('createModelVersion', req); }
  updateModelVersion(req: RegistryRequest<'updateModelVersion'>) { return this.call('updateModelVersion', req); }
  transitionModelVersionStage(req: RegistryRequest<'transitionModelVersionStage'>) { return this.call('transitionModelVersionStage', req); }
  deleteModelVersion(req: RegistryRequest<'deleteModelVersion'>) { return this.call('deleteModelVersion', req); }
  getModelVersion(req: RegistryRequest<'getModelVersion'>) { return this.call('getModelVersion', req); }
  /** One page; follow `next_page_token`, or use `modelVersions`. */
  searchModelVersions(req: RegistryRequest<'searchModelVersions'> = {}) { return this.call('searchModelVersions', req); }
  /** Where a version's files are; a `runs:/` source comes back as the run's artifact location. */
  getModelVersionDownloadUri(req: RegistryRequest<'getModelVersionDownloadUri'>) { return this.call('getModelVersionDownloadUri', req); }
  setModelVersionTag(req: RegistryRequest<'setModelVersionTag'>) { return this.call('setModelVersionTag', req); }
  deleteModelVersionTag(req: RegistryRequest<'deleteModelVersionTag'>) { return this.call('deleteModelVersionTag', req); }

  /** Every matching registered model, page after page. */
  registeredModels(query: Omit<SearchRegistryQuery, 'page_token'> = {}): AsyncGenerator<RegisteredModel, void, undefined> {
    return paginate(
      (pageToken) => this.searchRegisteredModels({ ...query, ...(pageToken ? { page_token: pageToken } : {}) }),
      (page) => page.registered_models,
    );
  }

  /** Every matching model version, page after page. */
  modelVersions(query: Omit<SearchRegistryQuery, 'page_token'> = {}): AsyncGenerator<ModelVersion, void, undefined> {
    return paginate(
      (pageToken) => this.searchModelVersions({ ...query, ...(pageToken ? { page_token: pageToken } : {}) }),
      (page) => page.model_versions,
    );
  }

  /** Capstan's lineage graph of a version: its run, experiment, datasets, code version, deployments. */
  lineage(name: string, version: string | number): Promise<LineageGraph> {
    const url = withQuery(`${CAPSTAN_API_PREFIX}${LINEAGE_PATH}`, { name, version: String(version) });
    return this.transport.send({
      method: 'GET',
      path: url,
      idempotent: true,
      read: (response) => readJson<LineageGraph>(response, `GET ${url}`),
    });
  }

  /**
   * Uploads every file of a local model folder (recursively) to the run's artifacts under
   * `artifactPath` and returns the `runs:/<runId>/<artifactPath>` URI to register. The folder must
   * be an MLflow model, i.e. hold an `MLmodel` file at its top.
   */
  async logModel(folder: string, runId: string, artifactPath = 'model'): Promise<string> {
    const path = joinArtifactPath(artifactPath);
    if (path === '') throw new Error('The artifact path of a logged model must not be empty');
    assertSafeArtifactPath(path);
    const dir = resolve(folder);
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory()) throw new Error(`${folder} is not a folder; logModel takes the folder of an MLflow model`);
    const mlmodel = await stat(join(dir, 'MLmodel')).catch(() => undefined);
    if (!mlmodel?.isFile()) {
      throw new Error(`${folder} is not an MLflow model: it has no MLmodel file (the model's flavors and signature) at its top`);
    }
    const { run } = await this.tracking.getRun({ run_id: runId });
    const root = proxyRootFromArtifactUri(run.info.artifact_uri ?? '');
    await uploadDirectory(this.store, root, dir, path);
    return formatRunsUri(runId, path);
  }

  /**
   * Registers `source` (e.g. `runs:/<run_id>/model`) as a new version of `name`, creating the
   * registered model first unless it exists, as `mlflow.register_model` does, and waits for the
   * version to leave PENDING_REGISTRATION.
   */
  async registerModel(source: string, name: string, options: RegisterModelOptions = {}): Promise<ModelVersion> {
    const runId = options.runId ?? (source.startsWith('runs:/') ? parseRunsUri(source).runId : undefined);
    try {
      await this.createRegisteredModel({ name });
    } catch (err) {
      if (!isApiError(err, 'RESOURCE_ALREADY_EXISTS')) throw err;
    }
    const tags = Array.isArray(options.tags) ? options.tags : Object.entries(options.tags ?? {}).map(([key, value]) => ({ key, value }));
    const { model_version: created } = await this.createModelVersion({
      name,
      source,
      ...(runId ? { run_id: runId } : {}),
      ...(tags.length ? { tags } : {}),
      ...(options.runLink ? { run_link: options.runLink } : {}),
      ...(options.description ? { description: options.description } : {}),
    });
    return this.awaitRegistration(created, options.awaitRegistrationForMs ?? 300_000, options.pollIntervalMs ?? 1000);
  }

  /**
   * Resolves `models:/<name>@<alias>`, `models:/<name>/<version>`, `models:/<name>/latest` (the
   * highest version across stages) or `models:/<name>/<stage>` to a version and its files' location.
   */
  async resolveModelUri(uri: string): Promise<ResolvedModel> {
    const ref = parseModelUri(uri);
    const version = await this.versionOf(ref);
    const { artifact_uri } = await this.getModelVersionDownloadUri({ name: ref.name, version });
    return { name: ref.name, version, artifactUri: artifact_uri };
  }

  /**
   * Downloads the files of the version a `models:/` URI designates (or of a version
   * `resolveModelUri` already resolved) into `destination`, created if missing, and returns its
   * absolute path. Works for versions stored behind the server's artifact
   * proxy (`mlflow-artifacts:/...`); others are refused with the location, to fetch with that store's tools.
   */
  async downloadModel(uri: string | ResolvedModel, destination: string): Promise<string> {
    const model = typeof uri === 'string' ? await this.resolveModelUri(uri) : uri;
    let proxyPath: string;
    try {
      proxyPath = proxyRootFromArtifactUri(model.artifactUri);
    } catch {
      throw new Error(
        `Model ${model.name} version ${model.version} is stored at ${model.artifactUri}, which this client cannot read: ` +
          'it downloads only through the tracking server\'s artifact proxy (mlflow-artifacts:/ locations). ' +
          'Fetch it with a client of that store, or register models logged to a server that serves artifacts.',
      );
    }
    const target = resolve(destination);
    const files = await downloadProxyFolder(this.store, proxyPath, target);
    if (files.length === 0) throw new Error(`Model ${model.name} version ${model.version} has no files at ${model.artifactUri}`);
    return target;
  }

  private async versionOf(ref: ModelReference): Promise<string> {
    switch (ref.kind) {
      case 'version':
        return ref.version;
      case 'alias':
        return (await this.getModelVersionByAlias({ name: ref.name, alias: ref.alias })).model_version.version;
      case 'latest':
      case 'stage': {
        const stages = ref.kind === 'stage' ? [ref.stage] : undefined;
        const { model_versions: found = [] } = await this.getLatestVersions({ name: ref.name, ...(stages ? { stages } : {}) });
        const newest = highestVersion(found);
        if (!newest) {
          throw new Error(`Registered model '${ref.name}' has no versions${ref.kind === 'stage' ? ` in stage ${ref.stage}` : ''}`);
        }
        return newest.version;
      }
    }
  }

  private async awaitRegistration(version: ModelVersion, waitMs: number, pollMs: number): Promise<ModelVersion> {
    const deadline = Date.now() + waitMs;
    let current = version;
    while (current.status === 'PENDING_REGISTRATION' && Date.now() < deadline) {
      await sleep(Math.min(pollMs, Math.max(0, deadline - Date.now())));
      current = (await this.getModelVersion({ name: current.name, version: current.version })).model_version;
    }
    if (current.status === 'FAILED_REGISTRATION') {
      throw new Error(`Registration of ${current.name} version ${current.version} failed: ${current.status_message ?? 'no reason given'}`);
    }
    return current;
  }
}

/** The version with the highest number; versions are decimal strings. */
export function highestVersion(versions: readonly ModelVersion[]): ModelVersion | undefined {
  let best: ModelVersion | undefined;
  for (const v of versions) if (!best || BigInt(v.version) > BigInt(best.version)) best = v;
  return best;
}

function withQuery(path: string, fields: object): string {
  const query = encodeQuery(fields);
  return query ? `${path}?${query}` : path;
}
