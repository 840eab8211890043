import type { FastifyRequest } from 'fastify';

/** A request's fields, as every JSON API here reads them. */
export type RequestFields = Readonly<Record<string, unknown>>;

/**
 * GET requests (and DELETEs without a body, whose fields ride in the path or query) are read from
 * the query string, other methods from the JSON body; path parameters join the fields. Access
 * rules read requests through this too, so they see exactly what handlers act on.
 */
export function readRequestFields(request: FastifyRequest): RequestFields {
  const source = request.method === 'GET' || (request.method === 'DELETE' && !request.body) ? request.query : request.body;
  const fields = source !== null && typeof source === 'object' && !Array.isArray(source) ? (source as RequestFields) : {};
  const params = request.params as Record<string, string> | undefined;
  return params && Object.keys(params).length > 0 ? { ...fields, ...params } : fields;
}
