import {
  MLFLOW_API_PREFIX,
  MLFLOW_ROUTES,
  WORKSPACE_HEADER,
  type Experiment,
  type MlflowRequest,
  type MlflowResponse,
  type MlflowRpcName,
  type Run,
} from '@capstan/contracts';
import { ArtifactStore } from './artifacts/artifact-store.js';
import { downloadRunArtifacts } from './artifacts/run-artifacts.js';
import { resolveConnection, type ConnectionOptions } from './env.js';
import { encodeQuery, fillPath } from './http/query.js';
import { DEFAULT_RETRY_OPTIONS, type RetryOptions } from './http/retry.js';
import { readJson, Transport, type FetchFn } from './http/transport.js';
import { paginate } from './paging.js';
import { RegistryClient } from './registry/registry-api.js';
import { wireJsonReplacer } from './run/metric-value.js';
import { RunHandle } from './run/run-handle.js';
import { createRunFor, type StartRunOptions } from './run/start-run.js';
import { SecurityClient } from './security/security-api.js';
import { DeploymentsClient } from './serving/deployments-api.js';
import { MonitoringClient } from './monitoring/index.js';
import { FeaturesClient } from './features/features-client.js';
import { NON_IDEMPOTENT_RPCS, TrackingApi } from './tracking-api.js';

export interface CapstanClientOptions extends ConnectionOptions {
  /** `fetch` implementation; defaults to the global one. */
  fetch?: FetchFn;
  /** Per-attempt limit for API calls, in ms; default 30000, 0 for none. */
  timeoutMs?: number;
  /** Per-attempt limit for artifact uploads and downloads, in ms; default 0 (none). */
  artifactTimeoutMs?: number;
  /** Retries of transient failures: a count, or detailed options; 0 disables. Default 3. */
  retries?: number | Partial<RetryOptions>;
  /** Background send interval of `RunHandle` buffers, in ms; default 1000. */
  flushIntervalMs?: number;
  /** Environment to read CAPSTAN_* / MLFLOW_TRACKING_* from; defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Typed client of a Capstan (or MLflow) tracking server. */
export class CapstanClient extends TrackingApi {
  /** Base URL in use, after option and environment resolution. */
  readonly url: string;
  /** The artifact proxy, for direct uploads, downloads, listings and multipart uploads. */
  readonly artifacts: ArtifactStore;
  /** Capstan's own security API: users, groups, tokens, workspaces, grants and the audit trail. */
  readonly security: SecurityClient;
  /** MLflow's model registry, plus logging, registering, resolving and downloading models, and lineage. */
  readonly registry: RegistryClient;
  /** Capstan's deployments: serving endpoints, traffic, canaries and rollbacks. */
  readonly deployments: DeploymentsClient;
  /** Monitors, their runs and alerts, and model performance from labels posted later. */
  readonly monitoring: MonitoringClient;
  /** The feature store: plan and apply definitions, online and point-in-time lookups, materialization. */
  readonly features: FeaturesClient;
  private readonly transport: Transport;
  private readonly flushIntervalMs: number;

  constructor(options: CapstanClientOptions = {}) {
    super();
    const connection = resolveConnection(options, options.env ?? process.env);
    const retries = typeof options.retries === 'number' ? { maxRetries: options.retries } : (options.retries ?? {});
    this.transport = new Transport({
      url: connection.url,
      ...(connection.authorization ? { authorization: connection.authorization } : {}),
      ...(connection.workspace ? { headers: { [WORKSPACE_HEADER]: connection.workspace } } : {}),
      fetch: options.fetch ?? globalThis.fetch,
      timeoutMs: options.timeoutMs ?? 30_000,
      retry: { ...DEFAULT_RETRY_OPTIONS, ...retries },
    });
    this.url = connection.url;
    this.artifacts = new ArtifactStore(this.transport, options.artifactTimeoutMs ?? 0);
    this.security = new SecurityClient(this.transport);
    this.registry = new RegistryClient(this.transport, this, this.artifacts);
    this.deployments = new DeploymentsClient(this.transport);
    this.monitoring = new MonitoringClient(this.transport);
    this.features = new FeaturesClient(this.transport);
    this.flushIntervalMs = options.flushIntervalMs ?? 1000;
  }

  call<K extends MlflowRpcName>(rpc: K, request: MlflowRequest<K>): Promise<MlflowResponse<K>> {
    const { method, path: template } = MLFLOW_ROUTES[rpc];
    const { path, rest } = fillPath(template, request);
    // MLflow sends GET and DELETE fields in the query string, the rest as a JSON body.
    const inQuery = method === 'GET' || method === 'DELETE';
    const query = inQuery ? encodeQuery(rest) : '';
    const url = `${MLFLOW_API_PREFIX}${path}${query ? `?${query}` : ''}`;
    return this.transport.send({
      method,
      path: url,
      idempotent: !NON_IDEMPOTENT_RPCS.has(rpc),
      ...(inQuery ? {} : { body: () => ({ data: JSON.stringify(request, wireJsonReplacer), contentType: 'application/json' }) }),
      read: (response) => readJson<MlflowResponse<K>>(response, `${method} ${url}`),
    });
  }

  /** Creates a run (and its experiment, when named and missing) and returns a handle that logs to it. */
  async startRun(options: StartRunOptions = {}): Promise<RunHandle> {
    const run = await createRunFor(this, options);
    return new RunHandle(this, this.artifacts, run, { flushIntervalMs: this.flushIntervalMs });
  }

  /** A handle on an existing run, e.g. to keep logging to it from another process. */
  async resumeRun(runId: string): Promise<RunHandle> {
    const { run } = await this.getRun({ run_id: runId });
    return new RunHandle(this, this.artifacts, run, { flushIntervalMs: this.flushIntervalMs });
  }

  /** Every matching run, page after page. */
  iterateRuns(request: Omit<MlflowRequest<'searchRuns'>, 'page_token'> = {}): AsyncGenerator<Run, void, undefined> {
    return paginate(
      (pageToken) => this.searchRuns({ ...request, ...(pageToken ? { page_token: pageToken } : {}) }),
      (page) => page.runs,
    );
  }

  /** Every matching experiment, page after page. */
  iterateExperiments(
    request: Omit<MlflowRequest<'searchExperiments'>, 'page_token'> = {},
  ): AsyncGenerator<Experiment, void, undefined> {
    return paginate(
      (pageToken) => this.searchExperiments({ ...request, ...(pageToken ? { page_token: pageToken } : {}) }),
      (page) => page.experiments,
    );
  }

  /**
   * Downloads a run's artifact (a file, or a folder recursively; `''` for everything) into
   * `destDir`, keeping its relative path, and returns the local path.
   */
  downloadArtifacts(runId: string, path: string, destDir: string): Promise<string> {
    return downloadRunArtifacts(this, this.artifacts, runId, path, destDir);
  }
}
