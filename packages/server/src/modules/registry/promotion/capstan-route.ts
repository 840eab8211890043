import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CAPSTAN_API_PREFIX, REGISTRY_PROMOTION_ROUTES, type RegistryPromotionRouteName } from '@capstan/contracts';
import { CapstanError } from '../../../core/errors.js';
import type { AccessRule, ObjectLocator } from '../../security/index.js';
import type { requestFields } from '../../tracking/index.js';
import { readInput } from '../../tracking/index.js';
import type { ModelStore } from '../model-store.js';
import { modelRef } from '../http/model-locator.js';

/** Policies, requests and webhook definitions are small; a tight limit makes a flood of large bodies cheap to refuse. */
const BODY_LIMIT = 64 * 1024;

export type Input = requestFields.RequestInput;

/**
 * Registers one route of the promotion and webhook API: GET (and a body-less DELETE) read the query
 * string, others the JSON body; path parameters join the fields. The audit action is `registry.<name>`.
 */
export function registerRegistryApiRoute(app: FastifyInstance, name: RegistryPromotionRouteName, access: AccessRule, handler: (input: Input, request: FastifyRequest) => Promise<object>): void {
  const route = REGISTRY_PROMOTION_ROUTES[name];
  app.route({
    method: route.method,
    url: `${CAPSTAN_API_PREFIX}${route.path.replace(/\{(\w+)\}/g, ':$1')}`,
    bodyLimit: BODY_LIMIT,
    schema: { tags: ['registry'] },
    config: { access, action: `registry.${name}` },
    handler: async (request) => handler(readInput(request), request),
  });
}

export const denied = (message: string) => new CapstanError('PERMISSION_DENIED', message);

/**
 * The model an object named in the path belongs to (a promotion request, a webhook); undefined
 * when it does not exist or belongs to no model, and the handler then answers 404.
 */
export function byOwner(models: ModelStore, param: string, ownerOf: (id: string) => Promise<number | null | undefined>): ObjectLocator {
  return async (request) => {
    const id = (request.params as Record<string, string | undefined>)[param];
    const modelId = id ? await ownerOf(id) : undefined;
    const model = modelId === null || modelId === undefined ? undefined : await models.findById(modelId);
    return model && modelRef(model);
  };
}
