import type { MlflowRpcName } from '@capstan/contracts';
import type { AccessControl, AccessRule } from '../../security/index.js';
import type { ArtifactRules, TrackingLocators } from './access-types.js';

/**
 * Who may call each tracking route. MLflow's permission semantics: READ reads, EDIT changes
 * (logging, tags, renames, creating runs and models in an experiment), MANAGE deletes and restores.
 * Searches are open to every signed-in reader and filter their results to what the caller may read.
 * The Record type makes a new RPC without a rule a compile error.
 */
export function trackingRules(access: AccessControl, locate: TrackingLocators): Record<MlflowRpcName, AccessRule> {
  return {
    createExperiment: { kind: 'workspace', role: 'editor', workspace: (request) => access.requestedWorkspace(request) },
    getExperiment: object('READ', locate.byExperimentId),
    getExperimentByName: object('READ', locate.byExperimentName),
    searchExperiments: { kind: 'authenticated', scope: 'read' },
    updateExperiment: object('EDIT', locate.byExperimentId),
    deleteExperiment: object('MANAGE', locate.byExperimentId),
    restoreExperiment: object('MANAGE', locate.byExperimentId),
    setExperimentTag: object('EDIT', locate.byExperimentId),
    deleteExperimentTag: object('EDIT', locate.byExperimentId),

    createRun: object('EDIT', locate.byExperimentId),
    getRun: object('READ', locate.byRunId),
    updateRun: object('EDIT', locate.byRunId),
    deleteRun: object('MANAGE', locate.byRunId),
    restoreRun: object('MANAGE', locate.byRunId),
    logMetric: object('EDIT', locate.byRunId),
    logParam: object('EDIT', locate.byRunId),
    setTag: object('EDIT', locate.byRunId),
    deleteTag: object('EDIT', locate.byRunId),
    logBatch: object('EDIT', locate.byRunId),
    logModel: object('EDIT', locate.byRunId),
    logInputs: object('EDIT', locate.byRunId),
    logOutputs: object('EDIT', locate.byRunId),
    searchRuns: { kind: 'authenticated', scope: 'read' },

    getMetricHistory: object('READ', locate.byRunId),
    getMetricHistoryBulkInterval: object('READ', locate.byRunIds),
    listArtifacts: object('READ', locate.byRunId),
    searchDatasets: { kind: 'authenticated', scope: 'read' },

    createLoggedModel: object('EDIT', locate.byExperimentId),
    searchLoggedModels: { kind: 'authenticated', scope: 'read' },
    getLoggedModel: object('READ', locate.byModelId),
    finalizeLoggedModel: object('EDIT', locate.byModelId),
    deleteLoggedModel: object('MANAGE', locate.byModelId),
    setLoggedModelTags: object('EDIT', locate.byModelId),
    deleteLoggedModelTag: object('EDIT', locate.byModelId),
    logLoggedModelParams: object('EDIT', locate.byModelId),
    listLoggedModelArtifacts: object('READ', locate.byModelId),
  };
}

/** The artifact proxy: paths start with the experiment id (`<experiment_id>/<run_id>/artifacts/...`). */
export function artifactRules(locate: TrackingLocators): ArtifactRules {
  return {
    listArtifacts: object('READ', locate.byArtifactPath),
    downloadArtifact: object('READ', locate.byArtifactPath),
    uploadArtifact: object('EDIT', locate.byArtifactPath),
    deleteArtifact: object('MANAGE', locate.byArtifactPath),
    createMultipartUpload: object('EDIT', locate.byArtifactPath),
    completeMultipartUpload: object('EDIT', locate.byArtifactPath),
    abortMultipartUpload: object('EDIT', locate.byArtifactPath),
    // MLflow clients upload parts without credentials, as to presigned S3 URLs; mpu/create signs each URL.
    uploadPart: { kind: 'signed' },
    loggedModelFile: object('READ', locate.byModelId),
  };
}

function object(permission: 'READ' | 'EDIT' | 'MANAGE', locate: TrackingLocators['byRunId']): AccessRule {
  return { kind: 'object', permission, locate };
}
