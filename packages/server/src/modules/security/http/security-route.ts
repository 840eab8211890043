import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CAPSTAN_API_PREFIX, SECURITY_ROUTES, type SecurityRouteName } from '@capstan/contracts';
import { invalidParameter } from '../../../core/errors.js';
import type { AccessRule } from '../authorization/access-rule.js';
import { readRequestFields, type RequestFields } from '../../request-input.js';

export type Fields = RequestFields;

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
    handler: async (request, reply) => handler(readRequestFields(request), request, reply),
  });
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
