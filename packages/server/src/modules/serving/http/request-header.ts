import type { FastifyRequest } from 'fastify';

/** A request header's value (the first, when repeated), for the engine's sticky and version headers. */
export function headerReader(request: FastifyRequest): (name: string) => string | undefined {
  return (name) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
}
