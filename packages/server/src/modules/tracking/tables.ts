import type { Generated } from 'kysely';

/**
 * Tracking tables as Kysely sees them. Times are epoch milliseconds in BIGINT columns; booleans
 * are 0/1 integers so both dialects store them alike. Experiment ids are integers in the database
 * and decimal strings on the wire, as in MLflow.
 */
export interface TrackingTables {
  experiments: ExperimentsTable;
  experiment_tags: ExperimentTagsTable;
  runs: RunsTable;
  run_tags: KeyValueTable;
  run_params: KeyValueTable;
  metrics: MetricsTable;
  latest_metrics: LatestMetricsTable;
  datasets: DatasetsTable;
  inputs: InputsTable;
  input_tags: InputTagsTable;
  logged_models: LoggedModelsTable;
  logged_model_tags: LoggedModelKeyValueTable;
  logged_model_params: LoggedModelKeyValueTable;
  logged_model_metrics: LoggedModelMetricsTable;
}

export interface ExperimentsTable {
  experiment_id: Generated<number>;
  name: string;
  artifact_location: string;
  lifecycle_stage: 'active' | 'deleted';
  creation_time: number;
  last_update_time: number;
  /** The workspace whose roles govern access (security module); `default` unless chosen at creation. */
  workspace: Generated<string>;
}

export interface ExperimentTagsTable {
  experiment_id: number;
  key: string;
  value: string;
}

export interface RunsTable {
  run_uuid: string;
  experiment_id: number;
  name: string;
  user_id: string;
  status: 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';
  start_time: number;
  end_time: number | null;
  deleted_time: number | null;
  lifecycle_stage: 'active' | 'deleted';
  artifact_uri: string;
}

/** Run tags and run params share one shape: (run, key) -> value. */
export interface KeyValueTable {
  run_uuid: string;
  key: string;
  value: string;
}

export interface MetricsTable {
  run_uuid: string;
  key: string;
  /** 0 when is_nan: SQLite cannot store NaN (it reads back as NULL). */
  value: number;
  is_nan: number;
  timestamp: number;
  step: number;
  /** Set when the metric was logged against a logged model (MLflow 3); '' otherwise. */
  model_id: string;
  dataset_name: string;
  dataset_digest: string;
}

/** The value per (run, key) that wins MLflow's ordering by (step, timestamp, value). */
export interface LatestMetricsTable {
  run_uuid: string;
  key: string;
  value: number;
  is_nan: number;
  timestamp: number;
  step: number;
}

export interface DatasetsTable {
  dataset_uuid: string;
  experiment_id: number;
  name: string;
  digest: string;
  source_type: string;
  source: string;
  schema: string | null;
  profile: string | null;
}

/** Links a source (a dataset or a logged model) to a destination (a run), in either direction. */
export interface InputsTable {
  input_uuid: string;
  source_type: 'DATASET' | 'MODEL_INPUT' | 'MODEL_OUTPUT';
  source_id: string;
  destination_type: 'RUN';
  destination_id: string;
  /** Step at which a model output was produced; 0 otherwise. */
  step: number;
}

export interface InputTagsTable {
  input_uuid: string;
  name: string;
  value: string;
}

export interface LoggedModelsTable {
  model_id: string;
  experiment_id: number;
  name: string;
  artifact_location: string;
  creation_timestamp_ms: number;
  last_updated_timestamp_ms: number;
  status: 'LOGGED_MODEL_PENDING' | 'LOGGED_MODEL_READY' | 'LOGGED_MODEL_UPLOAD_FAILED';
  status_message: string | null;
  lifecycle_stage: 'active' | 'deleted';
  model_type: string | null;
  source_run_id: string | null;
}

export interface LoggedModelKeyValueTable {
  model_id: string;
  key: string;
  value: string;
}

export interface LoggedModelMetricsTable {
  model_id: string;
  key: string;
  value: number;
  is_nan: number;
  timestamp: number;
  step: number;
  run_id: string;
  dataset_name: string;
  dataset_digest: string;
}
