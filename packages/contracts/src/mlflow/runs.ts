import type { EmptyResponse, Int64, LifecycleStage, ViewType } from './common.js';
import type { DatasetInput } from './datasets.js';
import type { Metric } from './metrics.js';

/** Status of a run (proto enum `RunStatus`). */
export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';

/** A hyperparameter or other immutable setting of a run (proto `Param`). */
export interface Param {
  /** Param name; at most 250 characters (255 bytes). */
  key: string;
  /** Param value; at most 6000 bytes. */
  value: string;
}

/** Mutable metadata on a run (proto `RunTag`). */
export interface RunTag {
  /** Tag key; every backend supports at least 250 bytes. */
  key: string;
  /** Tag value; every backend supports at least 5000 bytes. */
  value: string;
}

/** A logged model used by a run (proto `ModelInput`). */
export interface ModelInput {
  /** ID of the logged model. */
  model_id: string;
}

/** A logged model produced by a run (proto `ModelOutput`). */
export interface ModelOutput {
  /** ID of the logged model. */
  model_id: string;
  /** Training step at which the model was produced. */
  step: Int64;
}

/** Run metadata (proto `RunInfo`). */
export interface RunInfo {
  /** Unique identifier of the run (32 hex characters in MLflow). */
  run_id: string;
  /** Deprecated alias of `run_id`, still emitted for old clients. */
  run_uuid?: string;
  /** Display name of the run. */
  run_name?: string;
  /** ID of the experiment the run belongs to. */
  experiment_id: string;
  /** Deprecated since MLflow 1.0 (use the `mlflow.user` tag); may be empty. */
  user_id?: string;
  /** Current status. */
  status: RunStatus;
  /** Start time, Unix epoch milliseconds. */
  start_time?: Int64;
  /** End time, Unix epoch milliseconds; absent while the run is active. */
  end_time?: Int64;
  /** Root URI of the run's artifacts, e.g. `mlflow-artifacts:/1/<run_id>/artifacts`. */
  artifact_uri?: string;
  /** `active` or `deleted`. */
  lifecycle_stage: LifecycleStage;
}

/** Run data: latest metrics, params and tags (proto `RunData`). */
export interface RunData {
  /** Latest value of each metric (latest timestamp, then largest value); omitted when none. */
  metrics?: Metric[];
  /** All params; omitted when none. */
  params?: Param[];
  /** All tags, including system tags such as `mlflow.runName`; omitted when none. */
  tags?: RunTag[];
}

/** Run inputs (proto `RunInputs`). */
export interface RunInputs {
  /** Datasets used by the run; omitted when none. */
  dataset_inputs?: DatasetInput[];
  /** Logged models used by the run (MLflow 3); omitted when none. */
  model_inputs?: ModelInput[];
}

/** Run outputs (proto `RunOutputs`). */
export interface RunOutputs {
  /** Logged models produced by the run (MLflow 3); omitted when none. */
  model_outputs?: ModelOutput[];
}

/** A run (proto `Run`). */
export interface Run {
  /** Metadata. */
  info: RunInfo;
  /** Metrics, params and tags; MLflow sends `{}` for a run without any. */
  data: RunData;
  /** Inputs; omitted by servers that predate dataset tracking. */
  inputs?: RunInputs;
  /** Outputs (MLflow 3). */
  outputs?: RunOutputs;
}

/** POST runs/create. */
export interface CreateRunRequest {
  /** ID of the experiment; MLflow falls back to the default experiment `0` when absent. */
  experiment_id?: string;
  /** Deprecated since MLflow 1.0; use the `mlflow.user` tag. */
  user_id?: string;
  /** Display name; the server generates one when absent. */
  run_name?: string;
  /** Start time, Unix epoch milliseconds; defaults to now. */
  start_time?: Int64;
  /** Initial tags. */
  tags?: RunTag[];
}
export interface CreateRunResponse {
  /** The new run, with status `RUNNING`. */
  run: Run;
}

/** GET runs/get. */
export interface GetRunRequest {
  /** ID of the run. */
  run_id: string;
  /** Deprecated alias of `run_id`. */
  run_uuid?: string;
}
export interface GetRunResponse {
  /** The run, with the latest value of each metric. */
  run: Run;
}

/** POST runs/update. */
export interface UpdateRunRequest {
  /** ID of the run. */
  run_id: string;
  /** Deprecated alias of `run_id`; MLflow clients still send both. */
  run_uuid?: string;
  /** New status. */
  status?: RunStatus;
  /** End time, Unix epoch milliseconds. */
  end_time?: Int64;
  /** New display name. */
  run_name?: string;
}
export interface UpdateRunResponse {
  /** The run's metadata after the update. */
  run_info: RunInfo;
}

/** POST runs/delete. Soft-deletes the run. */
export interface DeleteRunRequest {
  /** ID of the run. */
  run_id: string;
}
export type DeleteRunResponse = EmptyResponse;

/** POST runs/restore. */
export interface RestoreRunRequest {
  /** ID of the run. */
  run_id: string;
}
export type RestoreRunResponse = EmptyResponse;

/** POST runs/log-metric. */
export interface LogMetricRequest {
  /** ID of the run. */
  run_id: string;
  /** Deprecated alias of `run_id`; MLflow clients still send both. */
  run_uuid?: string;
  /** Metric name. */
  key: string;
  /** The value; non-finite values are sent as `"NaN"`, `"Infinity"` or `"-Infinity"`. */
  value: number | 'NaN' | 'Infinity' | '-Infinity';
  /** When the value was recorded, Unix epoch milliseconds. */
  timestamp: Int64;
  /** Training step; defaults to 0. */
  step?: Int64;
  /** ID of the logged model the metric belongs to (MLflow 3). */
  model_id?: string;
  /** Name of the dataset the metric was computed on (MLflow 3). */
  dataset_name?: string;
  /** Digest of the dataset the metric was computed on (MLflow 3). */
  dataset_digest?: string;
}
export type LogMetricResponse = EmptyResponse;

/** POST runs/log-parameter. A param can be logged once; re-logging the same value is allowed. */
export interface LogParamRequest {
  /** ID of the run. */
  run_id: string;
  /** Deprecated alias of `run_id`; MLflow clients still send both. */
  run_uuid?: string;
  /** Param name; at most 255 bytes. */
  key: string;
  /** Param value; at most 6000 bytes. */
  value: string;
}
export type LogParamResponse = EmptyResponse;

/** POST runs/set-tag. */
export interface SetTagRequest {
  /** ID of the run. */
  run_id: string;
  /** Deprecated alias of `run_id`; MLflow clients still send both. */
  run_uuid?: string;
  /** Tag key; every backend supports at least 250 bytes. */
  key: string;
  /** Tag value; every backend supports at least 5000 bytes. */
  value: string;
}
export type SetTagResponse = EmptyResponse;

/** POST runs/delete-tag. */
export interface DeleteTagRequest {
  /** ID of the run. */
  run_id: string;
  /** Tag key; at most 255 bytes. */
  key: string;
}
export type DeleteTagResponse = EmptyResponse;

/** Per-request limits of runs/log-batch, as the proto states them. */
export const LOG_BATCH_LIMITS = {
  /** Most metrics in one request. */
  maxMetrics: 1000,
  /** Most params in one request. */
  maxParams: 100,
  /** Most tags in one request. */
  maxTags: 100,
  /** Most metrics, params and tags together in one request. */
  maxTotal: 1000,
  /** Largest JSON-serialised request, in bytes. */
  maxRequestBytes: 1_000_000,
} as const;

/** POST runs/log-batch. Limits are in {@link LOG_BATCH_LIMITS}. */
export interface LogBatchRequest {
  /** ID of the run. */
  run_id: string;
  /** Metrics to append, written in this order; at most 1000. */
  metrics?: Metric[];
  /** Params to log; at most 100. */
  params?: Param[];
  /** Tags to set (the last value of a repeated key wins); at most 100. */
  tags?: RunTag[];
}
export type LogBatchResponse = EmptyResponse;

/** POST runs/log-inputs. */
export interface LogInputsRequest {
  /** ID of the run. */
  run_id: string;
  /** Datasets the run used. */
  datasets?: DatasetInput[];
  /** Logged models the run used (MLflow 3). */
  models?: ModelInput[];
}
export type LogInputsResponse = EmptyResponse;

/** POST runs/outputs (the proto's path for LogOutputs). */
export interface LogOutputsRequest {
  /** ID of the run. */
  run_id: string;
  /** Logged models the run produced. */
  models?: ModelOutput[];
}
export type LogOutputsResponse = EmptyResponse;

/** POST runs/search. */
export interface SearchRunsRequest {
  /** Experiments to search. */
  experiment_ids?: string[];
  /** SQL-like filter over metrics, params, tags and attributes, e.g. `metrics.rmse < 1`. */
  filter?: string;
  /** Which lifecycle stages to return; defaults to `ACTIVE_ONLY`. */
  run_view_type?: ViewType;
  /** Page size; defaults to 1000, and every server supports at least 50000. */
  max_results?: number;
  /** e.g. `["metrics.rmse ASC", "params.lr DESC"]`; default `start_time DESC`, then `run_id`. */
  order_by?: string[];
  /** Opaque token from a previous response's `next_page_token`. */
  page_token?: string;
}
export interface SearchRunsResponse {
  /** Matching runs; omitted when there are none. */
  runs?: Run[];
  /** Token for the next page; absent or empty when there are no more. */
  next_page_token?: string;
}

/** POST runs/log-model: MLflow 2.x clients record each `log_model` call on the run this way. */
export interface LogModelRequest {
  /** ID of the run the model was logged to. */
  run_id: string;
  /** The MLmodel as JSON; must hold `artifact_path`, `flavors`, `utc_time_created` and `run_id`. */
  model_json: string;
}
export type LogModelResponse = EmptyResponse;
