/**
 * Feature store wire types (`/api/capstan/v1/features/...` and the Feast-compatible feature server).
 * Definitions are written in TypeScript with the SDK's `defineFeatures` helpers (or in YAML) and
 * travel as this JSON: snake_case, like the rest of the API.
 */

/** Scalar value types; `<scalar>[]` is a list of them (embeddings). Feast's Int32, Int64, Float32, ... */
export const FEATURE_SCALAR_DTYPES = ['int32', 'int64', 'float32', 'float64', 'string', 'bytes', 'bool', 'unix_timestamp'] as const;
export type FeatureScalarDtype = (typeof FEATURE_SCALAR_DTYPES)[number];
export type FeatureDtype = FeatureScalarDtype | `${FeatureScalarDtype}[]`;

/**
 * A value on the wire: numbers for int32/int64/float32/float64 (int64 beyond 2^53 as a decimal
 * string), strings, booleans, base64 strings for bytes, ISO 8601 strings for unix_timestamp,
 * arrays for lists, null for missing.
 */
export type FeatureValue = number | string | boolean | null | FeatureValue[];

export interface FieldSpec {
  name: string;
  dtype: FeatureDtype;
  description?: string;
  tags?: Record<string, string>;
}

/** What every registry object may carry. */
export interface FeatureObjectMeta {
  name: string;
  description?: string;
  tags?: Record<string, string>;
  owner?: string;
}

/** A business object features describe (a driver, a customer), identified by one or more typed join keys. */
export interface EntitySpec extends FeatureObjectMeta {
  join_keys: FieldSpec[];
}

/** Columns every batch source has: when a row happened and when it was written. */
interface BatchSourceFields {
  /** The event time column. */
  timestamp_field: string;
  /** When a row was written; breaks ties between rows of one key and one event time (latest wins). */
  created_timestamp_column?: string;
  /** Source column name -> feature or join key name. */
  field_mapping?: Record<string, string>;
}

export type DataSourceSpec =
  /** Parquet or CSV: one file or every such file in a folder, under the server's offline store root (a folder or s3://). */
  | (FeatureObjectMeta & BatchSourceFields & { kind: 'file'; path: string; format: 'parquet' | 'csv' })
  /** A table in the metadata database (SQLite or PostgreSQL). */
  | (FeatureObjectMeta & BatchSourceFields & { kind: 'sql_table'; table: string })
  /** Rows pushed through the push API; `batch_source` names the file or table source that holds them offline. */
  | (FeatureObjectMeta & { kind: 'push'; batch_source: string })
  /** Values the caller sends with an online request, for on-demand feature views. */
  | (FeatureObjectMeta & { kind: 'request'; schema: FieldSpec[] });

export type DataSourceKind = DataSourceSpec['kind'];

export interface FeatureViewSpec extends FeatureObjectMeta {
  /** Entity names; their join keys are the view's keys. */
  entities: string[];
  /** A file, sql_table or push source. */
  source: string;
  /** The features (join keys and timestamps are not listed). */
  schema: FieldSpec[];
  /** How far back a feature row may lie from the time it is asked for; 0 means forever. */
  ttl_seconds: number;
  /** Whether it is materialized to and served from the online store. */
  online: boolean;
  /** Freshness SLA: an alert fires when the newest materialized row is older than this. */
  freshness_sla_seconds?: number;
  /** When set, the scheduler materializes the view incrementally at this interval. */
  materialization_interval_seconds?: number;
}

/** A feature computed at request time from request values and other views' features. */
export interface OnDemandFeatureViewSpec extends FeatureObjectMeta {
  /** Feature view or request source names; the transformation sees their fields by bare name. */
  sources: string[];
  /** The outputs. */
  schema: FieldSpec[];
  /**
   * A self-contained JavaScript function expression `(row) => ({ output: ... })`: it sees one
   * row of inputs and returns the outputs. It is run by the server, in an isolated context with no
   * imports or globals beyond the language's built-ins.
   */
  transformation: string;
}

/** Features selected from a view, optionally renamed as a whole (`alias__feature` in full names). */
export interface FeatureViewProjection {
  view: string;
  /** Default: every feature of the view. */
  features?: string[];
  alias?: string;
}

/** The named feature set a model is trained and served with. */
export interface FeatureServiceSpec extends FeatureObjectMeta {
  features: FeatureViewProjection[];
}

/** A feature repository: everything one project defines. Apply replaces the project with it. */
export interface FeatureRepoDefinition {
  project: string;
  entities: EntitySpec[];
  data_sources: DataSourceSpec[];
  feature_views: FeatureViewSpec[];
  on_demand_feature_views: OnDemandFeatureViewSpec[];
  feature_services: FeatureServiceSpec[];
}

export type FeatureObjectKind = 'entity' | 'data_source' | 'feature_view' | 'on_demand_feature_view' | 'feature_service';

/** One object's fate in a plan. */
export interface FeaturePlanChange {
  kind: FeatureObjectKind;
  name: string;
  action: 'create' | 'update' | 'delete' | 'unchanged';
  /** Top-level fields whose value changes (update only). */
  changed_fields?: string[];
  /** Why this change breaks consumers: a dtype change, a key change, a removed feature. */
  breaking?: string[];
}

export interface FeaturePlan {
  project: string;
  /** The registry revision the plan was computed against; apply refuses if it has moved. */
  base_revision: number;
  changes: FeaturePlanChange[];
  has_breaking_changes: boolean;
  /** Objects the plan deletes; apply needs `allow_deletes` when there are any. */
  deletions: number;
}

export interface FeaturePlanRequest {
  definition: FeatureRepoDefinition;
}

export interface FeatureApplyRequest {
  definition: FeatureRepoDefinition;
  /** From the plan: apply answers 409 when another apply landed since. */
  base_revision: number;
  allow_deletes?: boolean;
}

export interface FeatureApplyResponse {
  project: string;
  revision: number;
  changes: FeaturePlanChange[];
}

/** A project as stored. */
export interface FeatureProject {
  project: string;
  workspace: string;
  revision: number;
  /** Epoch ms. */
  updated_at: number;
  definition: FeatureRepoDefinition;
}

/** A view's materialization state and freshness. */
export interface FeatureViewStatus {
  view: string;
  online: boolean;
  /** ISO 8601: the end of the last materialization interval (what the next incremental run starts from). */
  materialized_until?: string;
  /** ISO 8601: the newest event time written to the online store. */
  newest_event_time?: string;
  /** Seconds since the newest event time; absent before any write. */
  staleness_seconds?: number;
  freshness_sla_seconds?: number;
  /** Whether staleness exceeds the SLA. */
  stale?: boolean;
  materializations: {
    start: string;
    end: string;
    rows: number;
    finished_at: string;
  }[];
}

/**
 * Historical (point-in-time) retrieval. Either an entity table (column-major rows with join keys and
 * an event time column, or a file under the offline store root / a `runs:/` artifact) or a time
 * range (every key and time the views hold in it).
 */
export interface HistoricalFeaturesRequest {
  entity_rows?: Record<string, FeatureValue[]>;
  entity_source?: { path: string };
  /** The entity table's event time column. Default `event_timestamp`. */
  timestamp_column?: string;
  start_date?: string;
  end_date?: string;
  /** `view:feature` references, or a feature service. */
  features?: string[];
  feature_service?: string;
  /** Name features `view__feature`. */
  full_feature_names?: boolean;
  /** Save the result as a versioned training dataset (and log it to a run when `run_id` is given). */
  save_as?: { name: string; run_id?: string };
  /** Return the rows in the response (default true; a saved dataset may not need them). */
  return_rows?: boolean;
}

export interface TrainingDatasetInfo {
  name: string;
  version: number;
  /** sha256 of the stored Parquet file. */
  digest: string;
  row_count: number;
  /** Where the Parquet file is (an artifact URI). */
  uri: string;
  /** The feature references and the definitions they came from, with the registry revision. */
  features: string[];
  registry_revision: number;
  run_id?: string;
  created_at: string;
}

export interface HistoricalFeaturesResponse {
  /** Column names in order: entity table columns first, then features. */
  columns: string[];
  /** Column-major values, each as long as `row_count`. */
  values?: Record<string, FeatureValue[]>;
  row_count: number;
  dataset?: TrainingDatasetInfo;
}

/** Feast's feature server: `POST /get-online-features`. */
export interface GetOnlineFeaturesRequest {
  /** Join key (and request data) columns, equal lengths. */
  entities: Record<string, FeatureValue[]>;
  features?: string[];
  feature_service?: string;
  full_feature_names?: boolean;
}

export type OnlineFeatureStatus = 'PRESENT' | 'NULL_VALUE' | 'NOT_FOUND' | 'OUTSIDE_MAX_AGE';

/** Feast's JSON: one result per column (join keys first), each column-major over the entities. */
export interface GetOnlineFeaturesResponse {
  metadata: { feature_names: string[] };
  results: {
    values: FeatureValue[];
    statuses: OnlineFeatureStatus[];
    /** ISO 8601 with Z; `1970-01-01T00:00:00Z` for join keys and rows not found. */
    event_timestamps: string[];
  }[];
}

/** Feast's `POST /push`. */
export interface PushFeaturesRequest {
  push_source_name: string;
  /** Column-major rows: join keys, the source's timestamp column, features. */
  df: Record<string, FeatureValue[]>;
  to?: 'online' | 'offline' | 'online_and_offline';
  allow_registry_cache?: boolean;
}

/** Feast's `POST /write-to-online-store`. */
export interface WriteToOnlineStoreRequest {
  feature_view_name: string;
  df: Record<string, FeatureValue[]>;
  allow_registry_cache?: boolean;
}

/** Feast's `POST /materialize` (ISO 8601 times). */
export interface MaterializeRequest {
  start_ts: string;
  end_ts: string;
  feature_views?: string[];
}

/** Feast's `POST /materialize-incremental`. */
export interface MaterializeIncrementalRequest {
  end_ts: string;
  feature_views?: string[];
}

export interface MaterializeResponse {
  views: { view: string; start: string; end: string; rows: number }[];
}

/** Feast's error body on its feature server: which error, in words. */
export interface FeastErrorBody {
  module: string;
  class: string;
  message: string;
}

/** Paths under `CAPSTAN_API_PREFIX`. */
export const FEATURE_ROUTES = {
  listProjects: { method: 'GET', path: '/features/projects' },
  getProject: { method: 'GET', path: '/features/projects/{project}' },
  deleteProject: { method: 'DELETE', path: '/features/projects/{project}' },
  plan: { method: 'POST', path: '/features/plan' },
  apply: { method: 'POST', path: '/features/apply' },
  viewStatus: { method: 'GET', path: '/features/projects/{project}/feature-views/{view}/status' },
  historical: { method: 'POST', path: '/features/projects/{project}/historical-features' },
  datasets: { method: 'GET', path: '/features/projects/{project}/datasets' },
} as const;

/**
 * Feast's feature server paths. Served under `/feature-server/{project}` for any project, and at
 * the server root for the configured default project, so a Feast client pointed at the server works.
 */
export const FEATURE_SERVER_ROUTES = {
  getOnlineFeatures: { method: 'POST', path: '/get-online-features' },
  push: { method: 'POST', path: '/push' },
  writeToOnlineStore: { method: 'POST', path: '/write-to-online-store' },
  materialize: { method: 'POST', path: '/materialize' },
  materializeIncremental: { method: 'POST', path: '/materialize-incremental' },
} as const;
