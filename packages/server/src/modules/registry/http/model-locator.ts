import type { ObjectLocator, ObjectRef } from '../../security/index.js';
import { readInput, requestFields } from '../../tracking/index.js';
import type { ModelRow, ModelStore } from '../model-store.js';

export const modelRef = (model: Pick<ModelRow, 'name' | 'workspace'>): ObjectRef => ({ objectType: 'registered_model', objectId: model.name, workspace: model.workspace });

/** The registered model a request names in its `name` field, read exactly as the handlers read it. */
export function modelByName(models: ModelStore): ObjectLocator {
  return async (request) => {
    const name = requestFields.optionalString(readInput(request), 'name');
    const model = name ? await models.find(name) : undefined;
    return model && modelRef(model);
  };
}
