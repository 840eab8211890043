import type { MlflowRegistryRpcName, ModelVersion, RegisteredModel, RegisteredModelTag } from '@capstan/contracts';

/**
 * Request and response bodies of MLflow's model registry RPCs (`model_registry.proto`), as JSON on
 * the wire: snake_case fields, versions as decimal strings.
 */

export interface SearchRegistryQuery {
  filter?: string;
  max_results?: number;
  order_by?: string[];
  page_token?: string;
}

type Empty = Record<string, never>;
type NameOnly = { name: string };
type VersionKey = { name: string; version: string };

export interface RegistryRpcTypes {
  createRegisteredModel: { request: { name: string; tags?: RegisteredModelTag[]; description?: string }; response: { registered_model: RegisteredModel } };
  renameRegisteredModel: { request: { name: string; new_name: string }; response: { registered_model: RegisteredModel } };
  updateRegisteredModel: { request: { name: string; description?: string }; response: { registered_model: RegisteredModel } };
  deleteRegisteredModel: { request: NameOnly; response: Empty };
  getRegisteredModel: { request: NameOnly; response: { registered_model: RegisteredModel } };
  searchRegisteredModels: { request: SearchRegistryQuery; response: { registered_models?: RegisteredModel[]; next_page_token?: string } };
  getLatestVersions: { request: { name: string; stages?: string[] }; response: { model_versions?: ModelVersion[] } };
  setRegisteredModelTag: { request: { name: string; key: string; value: string }; response: Empty };
  deleteRegisteredModelTag: { request: { name: string; key: string }; response: Empty };
  setRegisteredModelAlias: { request: { name: string; alias: string; version: string }; response: Empty };
  deleteRegisteredModelAlias: { request: { name: string; alias: string }; response: Empty };
  getModelVersionByAlias: { request: { name: string; alias: string }; response: { model_version: ModelVersion } };
  createModelVersion: {
    request: { name: string; source: string; run_id?: string; tags?: RegisteredModelTag[]; run_link?: string; description?: string };
    response: { model_version: ModelVersion };
  };
  updateModelVersion: { request: VersionKey & { description?: string }; response: { model_version: ModelVersion } };
  transitionModelVersionStage: {
    request: VersionKey & { stage: string; archive_existing_versions: boolean };
    response: { model_version: ModelVersion };
  };
  deleteModelVersion: { request: VersionKey; response: Empty };
  getModelVersion: { request: VersionKey; response: { model_version: ModelVersion } };
  searchModelVersions: { request: SearchRegistryQuery; response: { model_versions?: ModelVersion[]; next_page_token?: string } };
  getModelVersionDownloadUri: { request: VersionKey; response: { artifact_uri: string } };
  setModelVersionTag: { request: VersionKey & { key: string; value: string }; response: Empty };
  deleteModelVersionTag: { request: VersionKey & { key: string }; response: Empty };
}

export type RegistryRequest<K extends MlflowRegistryRpcName> = RegistryRpcTypes[K]['request'];
export type RegistryResponse<K extends MlflowRegistryRpcName> = RegistryRpcTypes[K]['response'];
