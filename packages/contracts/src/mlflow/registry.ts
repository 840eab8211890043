/**
 * MLflow's model registry (mlflow/protos/model_registry.proto), as JSON on the wire. Versions are
 * decimal strings; timestamps are epoch milliseconds. Routes are relative to MLFLOW_API_PREFIX.
 */
import type { MlflowRoute } from './routes.js';

export type ModelVersionStage = 'None' | 'Staging' | 'Production' | 'Archived';
export type ModelVersionStatus = 'PENDING_REGISTRATION' | 'FAILED_REGISTRATION' | 'READY';

export interface RegisteredModelTag {
  key: string;
  value: string;
}

export interface RegisteredModelAlias {
  alias: string;
  version: string;
}

export interface ModelVersion {
  name: string;
  version: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  user_id?: string;
  current_stage: ModelVersionStage;
  description?: string;
  source: string;
  run_id?: string;
  status: ModelVersionStatus;
  status_message?: string;
  tags?: RegisteredModelTag[];
  run_link?: string;
  aliases?: string[];
}

export interface RegisteredModel {
  name: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  user_id?: string;
  description?: string;
  latest_versions?: ModelVersion[];
  tags?: RegisteredModelTag[];
  aliases?: RegisteredModelAlias[];
}

/** The registry RPCs with the first endpoint model_registry.proto lists for each. */
export const MLFLOW_REGISTRY_ROUTES = {
  createRegisteredModel: { method: 'POST', path: '/registered-models/create' },
  renameRegisteredModel: { method: 'POST', path: '/registered-models/rename' },
  updateRegisteredModel: { method: 'PATCH', path: '/registered-models/update' },
  deleteRegisteredModel: { method: 'DELETE', path: '/registered-models/delete' },
  getRegisteredModel: { method: 'GET', path: '/registered-models/get' },
  searchRegisteredModels: { method: 'GET', path: '/registered-models/search' },
  getLatestVersions: { method: 'POST', path: '/registered-models/get-latest-versions' },
  setRegisteredModelTag: { method: 'POST', path: '/registered-models/set-tag' },
  deleteRegisteredModelTag: { method: 'DELETE', path: '/registered-models/delete-tag' },
  setRegisteredModelAlias: { method: 'POST', path: '/registered-models/alias' },
  deleteRegisteredModelAlias: { method: 'DELETE', path: '/registered-models/alias' },
  getModelVersionByAlias: { method: 'GET', path: '/registered-models/alias' },
  createModelVersion: { method: 'POST', path: '/model-versions/create' },
  updateModelVersion: { method: 'PATCH', path: '/model-versions/update' },
  transitionModelVersionStage: { method: 'POST', path: '/model-versions/transition-stage' },
  deleteModelVersion: { method: 'DELETE', path: '/model-versions/delete' },
  getModelVersion: { method: 'GET', path: '/model-versions/get' },
  searchModelVersions: { method: 'GET', path: '/model-versions/search' },
  getModelVersionDownloadUri: { method: 'GET', path: '/model-versions/get-download-uri' },
  setModelVersionTag: { method: 'POST', path: '/model-versions/set-tag' },
  deleteModelVersionTag: { method: 'DELETE', path: '/model-versions/delete-tag' },
} as const satisfies Record<string, MlflowRoute>;

export type MlflowRegistryRpcName = keyof typeof MLFLOW_REGISTRY_ROUTES;
