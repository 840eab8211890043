import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MLFLOW_ROUTES, type MlflowRoute, type MlflowRpcName } from '@capstan/contracts';
import type { AccessRule } from '../../security/index.js';
import { readRequestFields } from '../../request-input.js';
import type { RequestInput } from './request-fields.js';

/** MLflow clients call both: the REST API and the twin its web UI uses. */
const PREFIXES = ['/api/2.0/mlflow', '/ajax-api/2.0/mlflow'] as const;

/**
 * RPCs that carry bulk data get the server's configured JSON limit (`bodyLimitBytes`); every other
 * RPC names a few ids and values, so a megabyte (or the configured limit, if lower) is generous, and
 * a flood of large bodies is refused before it is parsed.
 */
const BULK_RPCS: ReadonlySet<MlflowRpcName> = new Set(['logBatch', 'logInputs', 'logOutputs', 'logModel', 'logLoggedModelParams', 'setLoggedModelTags', 'createRun', 'createLoggedModel']);
export const SMALL_RPC_BODY_LIMIT = 1024 * 1024;

/** Returns the response body, or the reply itself when the handler sent the body already. */
export type MlflowHandler = (input: RequestInput, request: FastifyRequest, reply: FastifyReply) => Promise<object>;

/**
 * Registers one MLflow RPC under both prefixes, guarded by its access rule (ctx.rules). As in
 * MLflow, GET requests are read from the query string and other methods from the JSON body;
 * `{name}` path segments become fields of the input. A void RPC answers `{}`. `method` registers
 * an extra verb for the same RPC (search-experiments answers GET too).
 */
export function registerMlflowRoute(
  app: FastifyInstance,
  ctx: { rules: Record<MlflowRpcName, AccessRule>; jsonBodyLimitBytes: number },
  name: MlflowRpcName,
  handler: MlflowHandler,
  options: { method?: MlflowRoute['method'] } = {},
): void {
  const route = MLFLOW_ROUTES[name];
  registerMlflowRpc(
    app,
    {
      route: { method: options.method ?? route.method, path: route.path },
      access: ctx.rules[name],
      action: `mlflow.${name}`,
      bodyLimit: BULK_RPCS.has(name) ? ctx.jsonBodyLimitBytes : Math.min(SMALL_RPC_BODY_LIMIT, ctx.jsonBodyLimitBytes),
    },
    handler,
  );
}

/** Any MLflow-style RPC (tracking, registry) under both prefixes, with its rule, audit name and body limit. */
export function registerMlflowRpc(
  app: FastifyInstance,
  rpc: { route: MlflowRoute; access: AccessRule; action: string; bodyLimit: number },
  handler: MlflowHandler,
): void {
  const path = rpc.route.path.replace(/\{(\w+)\}/g, ':$1');
  for (const prefix of PREFIXES) {
    app.route({
      method: rpc.route.method,
      url: `${prefix}${path}`,
      bodyLimit: rpc.bodyLimit,
      config: { access: rpc.access, action: rpc.action },
      schema: { tags: ['mlflow'], ...(prefix === PREFIXES[1] ? { hide: true } : {}) },
      handler: async (request, reply) => handler(readInput(request), request, reply),
    });
  }
}

/** The RPC's fields: query string for GET, JSON body otherwise, plus path parameters. */
export const readInput: (request: FastifyRequest) => RequestInput = readRequestFields;
