import type { MlflowRequest, MlflowResponse, MlflowRpcName } from '@capstan/contracts';

/**
 * RPCs whose repetition changes the outcome (a second run, duplicate metric points, an
 * ALREADY_EXISTS error instead of an ID). After an ambiguous failure they are not retried.
 */
export const NON_IDEMPOTENT_RPCS: ReadonlySet<MlflowRpcName> = new Set<MlflowRpcName>([
  'createExperiment',
  'createRun',
  'logMetric',
  'logBatch',
  'createLoggedModel',
]);

/**
 * One typed method per MLflow tracking RPC: each takes the RPC's request body (snake_case wire
 * fields, as in `@capstan/contracts`) and resolves to its response body.
 */
export abstract class TrackingApi {
  /** Sends any tracking RPC by name; the named methods below are shorthands for it. */
  abstract call<K extends MlflowRpcName>(rpc: K, request: MlflowRequest<K>): Promise<MlflowResponse<K>>;

  // Experiments
  createExperiment(req: MlflowRequest<'createExperiment'>) { return this.call('createExperiment', req); }
  getExperiment(req: MlflowRequest<'getExperiment'>) { return this.call('getExperiment', req); }
  getExperimentByName(req: MlflowRequest<'getExperimentByName'>) { return this.call('getExperimentByName', req); }
  /** One page; follow `next_page_token`, or use `iterateExperiments`. */
  searchExperiments(req: MlflowRequest<'searchExperiments'> = {}) { return this.call('searchExperiments', req); }
  updateExperiment(req: MlflowRequest<'updateExperiment'>) { return this.call('updateExperiment', req); }
  deleteExperiment(req: MlflowRequest<'deleteExperiment'>) { return this.call('deleteExperiment', req); }
  restoreExperiment(req: MlflowRequest<'restoreExperiment'>) { return this.call('restoreExperiment', req); }
  setExperimentTag(req: MlflowRequest<'setExperimentTag'>) { return this.call('setExperimentTag', req); }
  deleteExperimentTag(req: MlflowRequest<'deleteExperimentTag'>) { return this.call('deleteExperimentTag', req); }

  // Runs
  createRun(req: MlflowRequest<'createRun'>) { return this.call('createRun', req); }
  getRun(req: MlflowRequest<'getRun'>) { return this.call('getRun', req); }
  updateRun(req: MlflowRequest<'updateRun'>) { return this.call('updateRun', req); }
  deleteRun(req: MlflowRequest<'deleteRun'>) { return this.call('deleteRun', req); }
  restoreRun(req: MlflowRequest<'restoreRun'>) { return this.call('restoreRun', req); }
  logMetric(req: MlflowRequest<'logMetric'>) { return this.call('logMetric', req); }
  logParam(req: MlflowRequest<'logParam'>) { return this.call('logParam', req); }
  setTag(req: MlflowRequest<'setTag'>) { return this.call('setTag', req); }
  deleteTag(req: MlflowRequest<'deleteTag'>) { return this.call('deleteTag', req); }
  /** Sends one request as given; `RunHandle` splits large batches to fit MLflow's limits. */
  logBatch(req: MlflowRequest<'logBatch'>) { return this.call('logBatch', req); }
  logModel(req: MlflowRequest<'logModel'>) { return this.call('logModel', req); }
  logInputs(req: MlflowRequest<'logInputs'>) { return this.call('logInputs', req); }
  logOutputs(req: MlflowRequest<'logOutputs'>) { return this.call('logOutputs', req); }
  searchDatasets(req: MlflowRequest<'searchDatasets'>) { return this.call('searchDatasets', req); }
  /** One page; follow `next_page_token`, or use `iterateRuns`. */
  searchRuns(req: MlflowRequest<'searchRuns'> = {}) { return this.call('searchRuns', req); }

  // Metrics
  getMetricHistory(req: MlflowRequest<'getMetricHistory'>) { return this.call('getMetricHistory', req); }
  getMetricHistoryBulkInterval(req: MlflowRequest<'getMetricHistoryBulkInterval'>) {
    return this.call('getMetricHistoryBulkInterval', req);
  }

  // Artifacts (tracking API listing; bytes move through the artifact proxy)
  listArtifacts(req: MlflowRequest<'listArtifacts'>) { return this.call('listArtifacts', req); }

  // Logged models (MLflow 3)
  createLoggedModel(req: MlflowRequest<'createLoggedModel'>) { return this.call('createLoggedModel', req); }
  getLoggedModel(req: MlflowRequest<'getLoggedModel'>) { return this.call('getLoggedModel', req); }
  finalizeLoggedModel(req: MlflowRequest<'finalizeLoggedModel'>) { return this.call('finalizeLoggedModel', req); }
  deleteLoggedModel(req: MlflowRequest<'deleteLoggedModel'>) { return this.call('deleteLoggedModel', req); }
  searchLoggedModels(req: MlflowRequest<'searchLoggedModels'> = {}) { return this.call('searchLoggedModels', req); }
  setLoggedModelTags(req: MlflowRequest<'setLoggedModelTags'>) { return this.call('setLoggedModelTags', req); }
  deleteLoggedModelTag(req: MlflowRequest<'deleteLoggedModelTag'>) { return this.call('deleteLoggedModelTag', req); }
  logLoggedModelParams(req: MlflowRequest<'logLoggedModelParams'>) { return this.call('logLoggedModelParams', req); }
  listLoggedModelArtifacts(req: MlflowRequest<'listLoggedModelArtifacts'>) {
    return this.call('listLoggedModelArtifacts', req);
  }
}
