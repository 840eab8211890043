import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CAPSTAN_API_PREFIX, SECURITY_ROUTES, type SecurityRouteName } from '@capstan/contracts';
import { invalidParameter } from '../../../core/errors.js';
import type { AccessRule } from '../authorization/access-rule.js';

export type Fields = Record<string, unknown>;

/** Admin requests are small; a tight limit keeps a flood of large bodies cheap to refuse. */
const SECURITY_BODY_LIMIT = 64 * 1024;

/**
 * Registers one security API route: GET reads the query string, other methods the JSON body;
 * path parameters join the fields. The audit action is `security.<routeName>`.
 */
export function registerSecurityRoute(
  app: FastifyInstance,
  name: SecurityRouteName,
  access: AccessRule,
  handler: (fields: Fields, request: FastifyRequest, reply: FastifyReply) => Promise<object | string>,
): void {
  const route = SECURITY_ROUTES[name];
  app.route({
    method: route.method,
    url: `${CAPSTAN_API_PREFIX}${route.path.replace(/\{(\w+)\}/g, ':$1')}`,
    bodyLimit: SECURITY_BODY_LIMIT,
    schema: { tags: ['security'] },
    config: { access, action: `security.${name}` },
    handler: async (request, reply) => handler(readFields(request), request, reply),
  });
}

function readFields(request: FastifyRequest): Fields {
  const source = request.method === 'GET' || (request.method === 'DELETE' && !request.body) ? request.query : request.body;
  const fields = source !== null && typeof source === 'object' && !Array.isArray(source) ? (source as Fields) : {};
  return { ...fields, ...(request.params as Fields | undefined) };
}

export function requireString(fields: Fields, name: string): string {
  const value = fields[name];
  if (typeof value !== 'string' || value === '') throw invalidParameter(`Missing value for required parameter '${name}'`);
  return value;
}

export function optionalBoolean(fields: Fields, name: string): boolean | undefined {
  const value = fields[name];
  if (value === undefined) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw invalidParameter(`Parameter '${name}' must be true or false`);
}

export function optionalString(fields: Fields, name: string): string | undefined {
  const value = fields[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidParameter(`Parameter '${name}' must be a string`);
  return value;
}
