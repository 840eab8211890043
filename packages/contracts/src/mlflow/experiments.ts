import type { EmptyResponse, Int64, LifecycleStage, ViewType } from './common.js';

/** Tag on an experiment (proto `ExperimentTag`). */
export interface ExperimentTag {
  /** Tag key; every backend supports at least 250 bytes. */
  key: string;
  /** Tag value; every backend supports at least 20000 bytes. */
  value: string;
}

/** An experiment (proto `Experiment`). */
export interface Experiment {
  /** Unique identifier, a decimal string in MLflow's SQL store. */
  experiment_id: string;
  /** Human-readable name, unique among experiments. */
  name: string;
  /** Root URI under which the experiment's runs store artifacts, e.g. `mlflow-artifacts:/1`. */
  artifact_location: string;
  /** `active` or `deleted`. */
  lifecycle_stage: LifecycleStage;
  /** Last update time, Unix epoch milliseconds. */
  last_update_time?: Int64;
  /** Creation time, Unix epoch milliseconds. */
  creation_time?: Int64;
  /** Key-value metadata; omitted when the experiment has no tags. */
  tags?: ExperimentTag[];
  /** Workspace name; always `default` when workspaces are not enabled (MLflow 3). */
  workspace?: string;
}

/** POST experiments/create. */
export interface CreateExperimentRequest {
  /** Experiment name; must not already exist. */
  name: string;
  /** Artifact root for the experiment; when absent the server picks its default. */
  artifact_location?: string;
  /** Initial tags; every backend accepts at least 20 per request. */
  tags?: ExperimentTag[];
}
export interface CreateExperimentResponse {
  /** ID of the new experiment. */
  experiment_id: string;
}

/** GET experiments/get. Also returns deleted experiments. */
export interface GetExperimentRequest {
  /** ID of the experiment. */
  experiment_id: string;
}
export interface GetExperimentResponse {
  /** The experiment's metadata. */
  experiment: Experiment;
}

/** GET experiments/get-by-name. Prefers the active experiment when a deleted one shares the name. */
export interface GetExperimentByNameRequest {
  /** Name of the experiment. */
  experiment_name: string;
}
export interface GetExperimentByNameResponse {
  /** The experiment's metadata. */
  experiment: Experiment;
}

/** POST experiments/search (a GET form with the same fields as query parameters also exists). */
export interface SearchExperimentsRequest {
  /** Page size; every server supports at least 1000, and picks its own default when absent. */
  max_results?: Int64;
  /** Opaque token from a previous response's `next_page_token`. */
  page_token?: string;
  /** SQL-like filter over attributes and tags, e.g. `name LIKE 'test-%' AND tags.key = 'value'`. */
  filter?: string;
  /** Columns to order by (`name`, `experiment_id`, ...), each optionally `ASC` (default) or `DESC`. */
  order_by?: string[];
  /** Which lifecycle stages to return; defaults to `ACTIVE_ONLY`. */
  view_type?: ViewType;
}
export interface SearchExperimentsResponse {
  /** Matching experiments; omitted when there are none. */
  experiments?: Experiment[];
  /** Token for the next page; absent or empty when there are no more. */
  next_page_token?: string;
}

/** POST experiments/update. */
export interface UpdateExperimentRequest {
  /** ID of the experiment. */
  experiment_id: string;
  /** New name; must be unique. */
  new_name?: string;
}
export type UpdateExperimentResponse = EmptyResponse;

/** POST experiments/delete. Soft-deletes the experiment with its runs. */
export interface DeleteExperimentRequest {
  /** ID of the experiment. */
  experiment_id: string;
}
export type DeleteExperimentResponse = EmptyResponse;

/** POST experiments/restore. */
export interface RestoreExperimentRequest {
  /** ID of the experiment. */
  experiment_id: string;
}
export type RestoreExperimentResponse = EmptyResponse;

/** POST experiments/set-experiment-tag. */
export interface SetExperimentTagRequest {
  /** ID of the experiment. */
  experiment_id: string;
  /** Tag key; every backend supports at least 250 bytes. */
  key: string;
  /** Tag value; every backend supports at least 20000 bytes. */
  value: string;
}
export type SetExperimentTagResponse = EmptyResponse;

/** POST experiments/delete-experiment-tag. */
export interface DeleteExperimentTagRequest {
  /** ID of the experiment. */
  experiment_id: string;
  /** Tag key, at most 255 bytes. */
  key: string;
}
export type DeleteExperimentTagResponse = EmptyResponse;
