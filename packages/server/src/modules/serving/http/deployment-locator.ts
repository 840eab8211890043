import type { ObjectLocator } from '../../security/index.js';
import type { DeploymentStore } from '../deployments/deployment-store.js';

/** The deployment a route names in its `:name` path parameter, for object access rules. */
export function deploymentByPathName(store: DeploymentStore): ObjectLocator {
  return async (request) => {
    const name = (request.params as { name?: string }).name;
    const workspace = name ? await store.workspaceOf(name) : undefined;
    return workspace === undefined ? undefined : { objectType: 'deployment', objectId: name!, workspace };
  };
}
