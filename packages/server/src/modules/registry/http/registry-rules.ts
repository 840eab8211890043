import type { MlflowRegistryRpcName } from '@capstan/contracts';
import type { AccessControl, AccessRule } from '../../security/index.js';
import type { ModelStore } from '../model-store.js';
import { modelByName } from './model-locator.js';

/**
 * Who may call each registry RPC, with MLflow's permission semantics on the registered model the
 * request names (`name`): READ reads, EDIT changes (versions, tags, aliases, stages, description,
 * rename), MANAGE deletes. Creating a model needs the editor role in the target workspace; searches
 * filter to what the caller may read.
 */
export function registryRules(access: AccessControl, models: ModelStore): Record<MlflowRegistryRpcName, AccessRule> {
  const byName = modelByName(models);
  const on = (permission: 'READ' | 'EDIT' | 'MANAGE'): AccessRule => ({ kind: 'object', permission, locate: byName });
  return {
    createRegisteredModel: { kind: 'workspace', role: 'editor', workspace: (request) => access.requestedWorkspace(request) },
    renameRegisteredModel: on('EDIT'),
    updateRegisteredModel: on('EDIT'),
    deleteRegisteredModel: on('MANAGE'),
    getRegisteredModel: on('READ'),
    searchRegisteredModels: { kind: 'authenticated', scope: 'read' },
    getLatestVersions: on('READ'),
    setRegisteredModelTag: on('EDIT'),
    deleteRegisteredModelTag: on('EDIT'),
    setRegisteredModelAlias: on('EDIT'),
    deleteRegisteredModelAlias: on('EDIT'),
    getModelVersionByAlias: on('READ'),
    createModelVersion: on('EDIT'),
    updateModelVersion: on('EDIT'),
    transitionModelVersionStage: on('EDIT'),
    deleteModelVersion: on('MANAGE'),
    getModelVersion: on('READ'),
    searchModelVersions: { kind: 'authenticated', scope: 'read' },
    getModelVersionDownloadUri: on('READ'),
    setModelVersionTag: on('EDIT'),
    deleteModelVersionTag: on('EDIT'),
  };
}
