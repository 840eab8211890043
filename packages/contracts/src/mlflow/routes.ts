import type * as A from './artifacts.js';
import type * as D from './datasets.js';
import type * as E from './experiments.js';
import type * as L from './logged-models.js';
import type * as M from './metrics.js';
import type * as R from './runs.js';

/** Prefix of every tracking route below. MLflow's UI uses the same routes under `/ajax-api/2.0/mlflow`. */
export const MLFLOW_API_PREFIX = '/api/2.0/mlflow';

/** Prefix of the artifact proxy (`mlflow server --serve-artifacts`). */
export const MLFLOW_ARTIFACTS_API_PREFIX = '/api/2.0/mlflow-artifacts';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * One RPC's endpoint. `path` is relative to its prefix; `{name}` segments are path parameters
 * filled from the request field of the same name (Fastify spells them `:name`).
 */
export interface MlflowRoute {
  method: HttpMethod;
  path: string;
}

/**
 * The tracking RPCs, keyed by MLflow's rpc name, with the first endpoint `service.proto` lists
 * (the one MLflow's Python client calls). GET requests carry their fields in the query string,
 * repeating the key for list fields; the others carry a JSON body.
 */
export const MLFLOW_ROUTES = {
  createExperiment: { method: 'POST', path: '/experiments/create' },
  getExperiment: { method: 'GET', path: '/experiments/get' },
  getExperimentByName: { method: 'GET', path: '/experiments/get-by-name' },
  searchExperiments: { method: 'POST', path: '/experiments/search' },
  updateExperiment: { method: 'POST', path: '/experiments/update' },
  deleteExperiment: { method: 'POST', path: '/experiments/delete' },
  restoreExperiment: { method: 'POST', path: '/experiments/restore' },
  setExperimentTag: { method: 'POST', path: '/experiments/set-experiment-tag' },
  deleteExperimentTag: { method: 'POST', path: '/experiments/delete-experiment-tag' },

  createRun: { method: 'POST', path: '/runs/create' },
  getRun: { method: 'GET', path: '/runs/get' },
  updateRun: { method: 'POST', path: '/runs/update' },
  deleteRun: { method: 'POST', path: '/runs/delete' },
  restoreRun: { method: 'POST', path: '/runs/restore' },
  logMetric: { method: 'POST', path: '/runs/log-metric' },
  logParam: { method: 'POST', path: '/runs/log-parameter' },
  setTag: { method: 'POST', path: '/runs/set-tag' },
  deleteTag: { method: 'POST', path: '/runs/delete-tag' },
  logBatch: { method: 'POST', path: '/runs/log-batch' },
  logModel: { method: 'POST', path: '/runs/log-model' },
  logInputs: { method: 'POST', path: '/runs/log-inputs' },
  // The proto's path really is `runs/outputs`, not `runs/log-outputs`.
  logOutputs: { method: 'POST', path: '/runs/outputs' },
  searchRuns: { method: 'POST', path: '/runs/search' },

  getMetricHistory: { method: 'GET', path: '/metrics/get-history' },
  getMetricHistoryBulkInterval: { method: 'GET', path: '/metrics/get-history-bulk-interval' },

  listArtifacts: { method: 'GET', path: '/artifacts/list' },
  // Undocumented in MLflow's API reference; its web UI calls it for the datasets drop-down.
  searchDatasets: { method: 'POST', path: '/experiments/search-datasets' },

  createLoggedModel: { method: 'POST', path: '/logged-models' },
  searchLoggedModels: { method: 'POST', path: '/logged-models/search' },
  getLoggedModel: { method: 'GET', path: '/logged-models/{model_id}' },
  finalizeLoggedModel: { method: 'PATCH', path: '/logged-models/{model_id}' },
  deleteLoggedModel: { method: 'DELETE', path: '/logged-models/{model_id}' },
  setLoggedModelTags: { method: 'PATCH', path: '/logged-models/{model_id}/tags' },
  deleteLoggedModelTag: { method: 'DELETE', path: '/logged-models/{model_id}/tags/{tag_key}' },
  logLoggedModelParams: { method: 'POST', path: '/logged-models/{model_id}/params' },
  listLoggedModelArtifacts: { method: 'GET', path: '/logged-models/{model_id}/artifacts/directories' },
} as const satisfies Record<string, MlflowRoute>;

export type MlflowRpcName = keyof typeof MLFLOW_ROUTES;

/** Request and response body types of each tracking RPC, so callers and handlers stay in step. */
export interface MlflowRpcTypes {
  createExperiment: { request: E.CreateExperimentRequest; response: E.CreateExperimentResponse };
  getExperiment: { request: E.GetExperimentRequest; response: E.GetExperimentResponse };
  getExperimentByName: { request: E.GetExperimentByNameRequest; response: E.GetExperimentByNameResponse };
  searchExperiments: { request: E.SearchExperimentsRequest; response: E.SearchExperimentsResponse };
  updateExperiment: { request: E.UpdateExperimentRequest; response: E.UpdateExperimentResponse };
  deleteExperiment: { request: E.DeleteExperimentRequest; response: E.DeleteExperimentResponse };
  restoreExperiment: { request: E.RestoreExperimentRequest; response: E.RestoreExperimentResponse };
  setExperimentTag: { request: E.SetExperimentTagRequest; response: E.SetExperimentTagResponse };
  deleteExperimentTag: { request: E.DeleteExperimentTagRequest; response: E.DeleteExperimentTagResponse };

  createRun: { request: R.CreateRunRequest; response: R.CreateRunResponse };
  getRun: { request: R.GetRunRequest; response: R.GetRunResponse };
  updateRun: { request: R.UpdateRunRequest; response: R.UpdateRunResponse };
  deleteRun: { request: R.DeleteRunRequest; response: R.DeleteRunResponse };
  restoreRun: { request: R.RestoreRunRequest; response: R.RestoreRunResponse };
  logMetric: { request: R.LogMetricRequest; response: R.LogMetricResponse };
  logParam: { request: R.LogParamRequest; response: R.LogParamResponse };
  setTag: { request: R.SetTagRequest; response: R.SetTagResponse };
  deleteTag: { request: R.DeleteTagRequest; response: R.DeleteTagResponse };
  logBatch: { request: R.LogBatchRequest; response: R.LogBatchResponse };
  logModel: { request: R.LogModelRequest; response: R.LogModelResponse };
  logInputs: { request: R.LogInputsRequest; response: R.LogInputsResponse };
  logOutputs: { request: R.LogOutputsRequest; response: R.LogOutputsResponse };
  searchRuns: { request: R.SearchRunsRequest; response: R.SearchRunsResponse };

  getMetricHistory: { request: M.GetMetricHistoryRequest; response: M.GetMetricHistoryResponse };
  getMetricHistoryBulkInterval: {
    request: M.GetMetricHistoryBulkIntervalRequest;
    response: M.GetMetricHistoryBulkIntervalResponse;
  };

  listArtifacts: { request: A.ListArtifactsRequest; response: A.ListArtifactsResponse };
  searchDatasets: { request: D.SearchDatasetsRequest; response: D.SearchDatasetsResponse };

  createLoggedModel: { request: L.CreateLoggedModelRequest; response: L.CreateLoggedModelResponse };
  searchLoggedModels: { request: L.SearchLoggedModelsRequest; response: L.SearchLoggedModelsResponse };
  getLoggedModel: { request: L.GetLoggedModelRequest; response: L.GetLoggedModelResponse };
  finalizeLoggedModel: { request: L.FinalizeLoggedModelRequest; response: L.FinalizeLoggedModelResponse };
  deleteLoggedModel: { request: L.DeleteLoggedModelRequest; response: L.DeleteLoggedModelResponse };
  setLoggedModelTags: { request: L.SetLoggedModelTagsRequest; response: L.SetLoggedModelTagsResponse };
  deleteLoggedModelTag: { request: L.DeleteLoggedModelTagRequest; response: L.DeleteLoggedModelTagResponse };
  logLoggedModelParams: { request: L.LogLoggedModelParamsRequest; response: L.LogLoggedModelParamsResponse };
  listLoggedModelArtifacts: {
    request: L.ListLoggedModelArtifactsRequest;
    response: L.ListLoggedModelArtifactsResponse;
  };
}

export type MlflowRequest<K extends MlflowRpcName> = MlflowRpcTypes[K]['request'];
export type MlflowResponse<K extends MlflowRpcName> = MlflowRpcTypes[K]['response'];

/**
 * The artifact proxy's RPCs (proto `MlflowArtifactsService`), relative to
 * {@link MLFLOW_ARTIFACTS_API_PREFIX}. `{artifact_path}` spans several segments
 * (`<experiment_id>/<run_id>/artifacts/<path>`); upload and download bodies are raw bytes.
 */
export const MLFLOW_ARTIFACTS_ROUTES = {
  listArtifacts: { method: 'GET', path: '/artifacts' },
  downloadArtifact: { method: 'GET', path: '/artifacts/{artifact_path}' },
  uploadArtifact: { method: 'PUT', path: '/artifacts/{artifact_path}' },
  deleteArtifact: { method: 'DELETE', path: '/artifacts/{artifact_path}' },
  createMultipartUpload: { method: 'POST', path: '/mpu/create/{artifact_path}' },
  completeMultipartUpload: { method: 'POST', path: '/mpu/complete/{artifact_path}' },
  abortMultipartUpload: { method: 'POST', path: '/mpu/abort/{artifact_path}' },
} as const satisfies Record<string, MlflowRoute>;

export type MlflowArtifactsRpcName = keyof typeof MLFLOW_ARTIFACTS_ROUTES;
