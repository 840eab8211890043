import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MLFLOW_ARTIFACTS_API_PREFIX } from '@capstan/contracts';
import type { AccessRule } from '../../security/index.js';
import type { RequestInput } from '../http/request-fields.js';

/** The REST prefix clients call, and the twin MLflow's web UI uses. */
export const ARTIFACTS_PREFIXES = [
  MLFLOW_ARTIFACTS_API_PREFIX,
  MLFLOW_ARTIFACTS_API_PREFIX.replace(/^\/api\//, '/ajax-api/'),
] as const;

export interface ArtifactsRoute {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  /** Relative to the prefix; `{artifact_path}` spans segments (Fastify's `*`), `{name}` is one segment. */
  path: string;
  /** Who may call it (access/tracking-rules.ts). */
  access: AccessRule;
  /** The audit log's name for it. */
  action: string;
  /** `prefix` is the one the request came in on, for URLs that must lead back the same way. */
  handler: (request: FastifyRequest, reply: FastifyReply, prefix: string) => Promise<unknown>;
}

/** Registers one artifact-proxy route under both prefixes. */
export function registerArtifactsRoute(scope: FastifyInstance, route: ArtifactsRoute): void {
  const url = route.path.replace('{artifact_path}', '*').replace(/\{(\w+)\}/g, ':$1');
  for (const prefix of ARTIFACTS_PREFIXES) {
    scope.route({
      method: route.method,
      url: `${prefix}${url}`,
      // HEAD is registered explicitly where it makes sense: the automatic one would download the whole object.
      exposeHeadRoute: false,
      config: { access: route.access, action: route.action },
      schema: { tags: ['mlflow-artifacts'], ...(prefix === ARTIFACTS_PREFIXES[1] ? { hide: true } : {}) },
      handler: (request, reply) => route.handler(request, reply, prefix),
    });
  }
}

/** The multi-segment `{artifact_path}` of the request URL, percent-decoded once by the router. */
export function wildcardPath(request: FastifyRequest): string {
  return routeParam(request, '*') ?? '';
}

export function routeParam(request: FastifyRequest, name: string): string | undefined {
  return (request.params as Record<string, string | undefined>)[name];
}

/** The JSON body (or, for GET, the query string) as MLflow request fields. */
export function requestFields(request: FastifyRequest): RequestInput {
  const source = request.method === 'GET' ? request.query : request.body;
  return source !== null && typeof source === 'object' && !Array.isArray(source) ? (source as RequestInput) : {};
}
