/**
 * Deployments (serving endpoints): the Capstan API under CAPSTAN_API_PREFIX, the SDK and
 * `capstan deploy` / `capstan apply -f` all speak these shapes. A YAML file for `apply` holds a
 * `DeploymentManifest` exactly as the API takes it.
 */

/** A registry model URI: `models:/<name>@<alias>`, `models:/<name>/<version>` or `models:/<name>/<stage>`. */
export type ModelUriString = string;

export interface ServedModelSpec {
  uri: ModelUriString;
  /** Share of traffic (any non-negative numbers; they are normalised). Default 100 for one model. */
  weight?: number;
}

export interface CanaryAnalysisSpec {
  /** Candidate requests a step needs before it is judged. Default 100. */
  min_requests?: number;
  /** Largest allowed candidate error rate minus stable error rate (absolute). Default 0.01. */
  max_error_rate_increase?: number;
  /** Largest allowed candidate p99 latency / stable p99 latency. Default 1.5. */
  max_latency_p99_ratio?: number;
  /** A step fails when the two-sample KS test of the versions' predictions has a p-value below this. Default 0.01. */
  drift_p_value?: number;
  /** The output whose values are compared (default: the first output). */
  prediction_output?: string;
}

export interface CanarySpec {
  uri: ModelUriString;
  /** Candidate weights, in percent, one per step. Default [10, 25, 50, 100]. */
  steps?: number[];
  step_interval_seconds?: number;
  analysis?: CanaryAnalysisSpec;
  /** Moved to the candidate on success (through the registry's promotion rules). */
  promote_alias?: string;
}

export interface ShadowSpec {
  uri: ModelUriString;
  /** Percentage of requests mirrored to the shadow, 0-100. */
  percent: number;
}

/**
 * Features the server fetches from the feature store before inference, so callers of a tabular
 * model send only the entity keys and request-time values. Each request reads the online store
 * once (Feast's get-online-features with `feature_service`); the fetched features join the
 * request's columns, and the model gets the columns its signature names (others, such as the
 * keys, are dropped, as MLflow's schema enforcement ignores extra columns).
 */
export interface DeploymentFeatures {
  /** The feature project. */
  project: string;
  /** The feature service whose features the model was trained on. */
  feature_service: string;
  /**
   * The request columns sent to the feature store as `entities`: the join keys, plus request-data
   * fields that on-demand features read. Default: every column of the request (the feature store
   * reads the ones it knows and ignores the rest). A request without one of these columns is a 400.
   */
  entity_keys?: string[];
  /** Name the fetched features `view__feature` instead of `feature` (the model's columns must match). */
  full_feature_names?: boolean;
}

export interface DeploymentSpec {
  /** One or more versions with weights (A/B); a single model takes all traffic. */
  models: ServedModelSpec[];
  /** What happens when an alias a model URI follows moves: swap (default), canary (with `canary` settings), ignore. */
  on_alias_move?: 'swap' | 'canary' | 'ignore';
  /** A request header whose value keeps a caller on the same version (sticky A/B). */
  sticky_header?: string;
  shadow?: ShadowSpec;
  /** Settings for canaries started on this deployment (and, with on_alias_move: canary, on alias moves). */
  canary?: Omit<CanarySpec, 'uri'>;
  runtime?: {
    intra_op_threads?: number;
    inter_op_threads?: number;
    graph_optimization_level?: 'disabled' | 'basic' | 'extended' | 'all';
    execution_mode?: 'sequential' | 'parallel';
  };
  batching?: { max_batch_size?: number; max_queue_delay_micros?: number };
  limits?: { max_queue_size?: number; timeout_ms?: number; max_concurrent_runs?: number };
  /** Share of requests written to the inference log (0-1). Default 1. */
  logging?: { sample_rate?: number };
  /**
   * Fetch these features before inference (tables only: MLflow and KServe v1 rows, OIP requests
   * whose inputs are columns). A value the caller sends in a feature's column wins over the stored one.
   */
  features?: DeploymentFeatures;
}

/** What `capstan apply -f` reads and `POST/PUT /deployments` take. */
export interface DeploymentManifest {
  kind?: 'Deployment';
  name: string;
  workspace?: string;
  description?: string;
  spec: DeploymentSpec;
}

export type CanaryPhase = 'progressing' | 'paused' | 'promoted' | 'rolled_back' | 'aborted';

export interface TrafficVersion {
  version: string;
  model_name: string;
  weight: number;
  /** The spec URI this version came from (absent for a canary candidate or a manual change). */
  uri?: string;
}

/** The traffic the deployment serves now; changed by canaries, rollbacks and the traffic API. */
export interface DeploymentTraffic {
  versions: TrafficVersion[];
  shadow?: { version: string; model_name: string; percent: number };
}

export interface Deployment extends Required<Pick<DeploymentManifest, 'name' | 'workspace' | 'spec'>> {
  description: string | null;
  traffic: DeploymentTraffic;
  /** The canary state machine (state, step, history with reasons), when a canary has run. */
  canary: unknown;
  revision: number;
  created_at: number;
  updated_at: number;
  created_by: string | null;
  updated_by: string | null;
}

export interface ServedVersionStatus {
  version: string;
  model_name: string;
  state: 'loading' | 'ready' | 'failed' | 'unloaded';
  error?: string;
  weight: number;
  role: 'traffic' | 'shadow';
}

/** GET /deployments/{name}/status: this replica's view. */
export interface DeploymentStatus {
  name: string;
  ready: boolean;
  revision: number;
  versions: ServedVersionStatus[];
  canary: unknown;
  shadow_comparison?: unknown;
}

export const DEPLOYMENT_ROUTES = {
  list: { method: 'GET', path: '/deployments' },
  create: { method: 'POST', path: '/deployments' },
  get: { method: 'GET', path: '/deployments/{name}' },
  replace: { method: 'PUT', path: '/deployments/{name}' },
  delete: { method: 'DELETE', path: '/deployments/{name}' },
  status: { method: 'GET', path: '/deployments/{name}/status' },
  setTraffic: { method: 'POST', path: '/deployments/{name}/traffic' },
  rollback: { method: 'POST', path: '/deployments/{name}/rollback' },
  startCanary: { method: 'POST', path: '/deployments/{name}/canary' },
  canaryAction: { method: 'POST', path: '/deployments/{name}/canary/{action}' },
} as const;
