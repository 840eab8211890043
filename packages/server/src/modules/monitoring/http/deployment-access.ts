import type { FastifyRequest } from 'fastify';
import type { ObjectLocator, ObjectRef } from '../../security/index.js';

/**
 * The deployments whose logs a monitoring request's `reference` and `current` read, for an object
 * READ rule; a name that does not exist is left to the handler's 404.
 */
export function deploymentsInBody(deploymentWorkspace: (name: string) => Promise<string | undefined>): ObjectLocator {
  return async (request: FastifyRequest) => {
    const body = request.body as { reference?: { deployment?: unknown }; current?: { deployment?: unknown } } | undefined;
    const refs: ObjectRef[] = [];
    for (const side of [body?.reference, body?.current]) {
      const name = side?.deployment;
      if (typeof name !== 'string') continue;
      const workspace = await deploymentWorkspace(name);
      if (workspace !== undefined) refs.push({ objectType: 'deployment', objectId: name, workspace });
    }
    return refs;
  };
}

/** The deployment a source given as the whole body names (`POST /monitoring/profile`), for an object READ rule. */
export function deploymentOfBody(deploymentWorkspace: (name: string) => Promise<string | undefined>): ObjectLocator {
  return async (request: FastifyRequest) => {
    const name = (request.body as { deployment?: unknown } | undefined)?.deployment;
    if (typeof name !== 'string') return [];
    const workspace = await deploymentWorkspace(name);
    return workspace === undefined ? [] : [{ objectType: 'deployment', objectId: name, workspace }];
  };
}
