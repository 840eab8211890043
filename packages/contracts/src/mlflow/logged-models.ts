import type { ListArtifactsResponse } from './artifacts.js';
import type { EmptyResponse, Int64 } from './common.js';
import type { Metric } from './metrics.js';

/** Status of a logged model (proto enum `LoggedModelStatus`). */
export type LoggedModelStatus =
  | 'LOGGED_MODEL_STATUS_UNSPECIFIED'
  | 'LOGGED_MODEL_PENDING'
  | 'LOGGED_MODEL_READY'
  | 'LOGGED_MODEL_UPLOAD_FAILED';

/** Mutable metadata on a logged model (proto `LoggedModelTag`). */
export interface LoggedModelTag {
  /** Tag key. */
  key: string;
  /** Tag value. */
  value: string;
}

/** Immutable setting of a logged model (proto `LoggedModelParameter`). */
export interface LoggedModelParameter {
  /** Param name. */
  key: string;
  /** Param value. */
  value: string;
}

/** A registry version the model was promoted to (proto `LoggedModelRegistrationInfo`). */
export interface LoggedModelRegistrationInfo {
  /** Registered model name. */
  name: string;
  /** Model version number, as a string. */
  version: string;
}

/** Logged model attributes (proto `LoggedModelInfo`). */
export interface LoggedModelInfo {
  /** Unique identifier, e.g. `m-<32 hex>` in MLflow. */
  model_id: string;
  /** ID of the experiment that owns the model. */
  experiment_id: string;
  /** Name of the model. */
  name: string;
  /** Creation time, Unix epoch milliseconds. */
  creation_timestamp_ms?: Int64;
  /** Last update time, Unix epoch milliseconds. */
  last_updated_timestamp_ms?: Int64;
  /** Root URI of the model's artifacts, e.g. `mlflow-artifacts:/1/models/<model_id>/artifacts`. */
  artifact_uri?: string;
  /** Whether the model's files are fully uploaded. */
  status?: LoggedModelStatus;
  /** ID of the principal that created the model. */
  creator_id?: Int64;
  /** Kind of model, e.g. `Agent`, `Classifier`, `LLM`. */
  model_type?: string;
  /** ID of the run that created the model. */
  source_run_id?: string;
  /** Details on the current status. */
  status_message?: string;
  /** Tags; omitted when none. */
  tags?: LoggedModelTag[];
  /** Registry versions the model was promoted to; omitted when none. */
  registrations?: LoggedModelRegistrationInfo[];
}

/** Logged model params and linked metrics (proto `LoggedModelData`). */
export interface LoggedModelData {
  /** Params; omitted when none. */
  params?: LoggedModelParameter[];
  /** Metrics linked to the model; omitted when none. */
  metrics?: Metric[];
}

/** A logged model (proto `LoggedModel`), the MLflow 3 unit of model tracking. */
export interface LoggedModel {
  /** Attributes, tags and registrations. */
  info: LoggedModelInfo;
  /** Params and metrics. */
  data?: LoggedModelData;
}

/** POST logged-models. */
export interface CreateLoggedModelRequest {
  /** ID of the experiment that will own the model. */
  experiment_id: string;
  /** Name; the server generates one when absent. */
  name?: string;
  /** Kind of model, e.g. `Agent`, `Classifier`, `LLM`. */
  model_type?: string;
  /** ID of the run that created the model. */
  source_run_id?: string;
  /** Initial params (MLflow's client sends at most 100 here, the rest through log-params). */
  params?: LoggedModelParameter[];
  /** Initial tags. */
  tags?: LoggedModelTag[];
}
export interface CreateLoggedModelResponse {
  /** The new model, with status `LOGGED_MODEL_PENDING`. */
  model: LoggedModel;
}

/** GET logged-models/{model_id}. */
export interface GetLoggedModelRequest {
  /** ID of the model (a path parameter). */
  model_id: string;
}
export interface GetLoggedModelResponse {
  /** The model. */
  model: LoggedModel;
}

/** PATCH logged-models/{model_id}: sets the final status once the model's files are uploaded. */
export interface FinalizeLoggedModelRequest {
  /** ID of the model (a path parameter, also sent in the body). */
  model_id: string;
  /** `LOGGED_MODEL_READY` or `LOGGED_MODEL_UPLOAD_FAILED`. */
  status: LoggedModelStatus;
}
export interface FinalizeLoggedModelResponse {
  /** The model after the update. */
  model: LoggedModel;
}

/** DELETE logged-models/{model_id}. Soft-deletes the model. */
export interface DeleteLoggedModelRequest {
  /** ID of the model (a path parameter). */
  model_id: string;
}
export type DeleteLoggedModelResponse = EmptyResponse;

/** A dataset the metric clauses of a logged-model search apply to. */
export interface SearchLoggedModelsDataset {
  /** Dataset name. */
  dataset_name: string;
  /** Dataset digest; any digest when absent. */
  dataset_digest?: string;
}

/** One ordering criterion of a logged-model search. */
export interface SearchLoggedModelsOrderBy {
  /** Field to order by, e.g. `metrics.accuracy`, `creation_timestamp`. */
  field_name: string;
  /** Ascending order; defaults to true. */
  ascending?: boolean;
  /** For a metric field: only values computed on this dataset count. */
  dataset_name?: string;
  /** For a metric field: only values computed on this dataset digest count; needs `dataset_name`. */
  dataset_digest?: string;
}

/** POST logged-models/search. */
export interface SearchLoggedModelsRequest {
  /** Experiments to search. */
  experiment_ids?: string[];
  /** SQL-like filter, e.g. `params.alpha < 0.3 AND metrics.accuracy > 0.9`. */
  filter?: string;
  /** Datasets the metric clauses apply to; all datasets when absent. */
  datasets?: SearchLoggedModelsDataset[];
  /** Page size; MLflow's server defaults to 50 when absent (its Python client asks for 100 per page). */
  max_results?: number;
  /** Ordering criteria. */
  order_by?: SearchLoggedModelsOrderBy[];
  /** Opaque token from a previous response's `next_page_token`. */
  page_token?: string;
}
export interface SearchLoggedModelsResponse {
  /** Matching models; omitted when there are none. */
  models?: LoggedModel[];
  /** Token for the next page; absent when there are no more. */
  next_page_token?: string;
}

/** PATCH logged-models/{model_id}/tags. */
export interface SetLoggedModelTagsRequest {
  /** ID of the model (a path parameter). */
  model_id: string;
  /** Tags to set. */
  tags?: LoggedModelTag[];
}
export interface SetLoggedModelTagsResponse {
  /** The model after the update; MLflow's own server leaves it out, and so does Capstan. */
  model?: LoggedModel;
}

/** DELETE logged-models/{model_id}/tags/{tag_key}. */
export interface DeleteLoggedModelTagRequest {
  /** ID of the model (a path parameter). */
  model_id: string;
  /** Key of the tag to delete (a path parameter). */
  tag_key: string;
}
export type DeleteLoggedModelTagResponse = EmptyResponse;

/** POST logged-models/{model_id}/params. */
export interface LogLoggedModelParamsRequest {
  /** ID of the model (a path parameter, also sent in the body). */
  model_id: string;
  /** Params to log; MLflow's client sends at most 100 per request. */
  params?: LoggedModelParameter[];
}
export type LogLoggedModelParamsResponse = EmptyResponse;

/** GET logged-models/{model_id}/artifacts/directories. */
export interface ListLoggedModelArtifactsRequest {
  /** ID of the model (a path parameter). */
  model_id: string;
  /** Directory to list, relative to the model's artifact root; the root when absent. */
  artifact_directory_path?: string;
  /** Opaque token from a previous response's `next_page_token`. */
  page_token?: string;
}
/** Same shape as the run artifact listing: `root_uri`, `files`, `next_page_token`. */
export type ListLoggedModelArtifactsResponse = ListArtifactsResponse;
