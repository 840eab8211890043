import type { FastifyInstance } from 'fastify';

export interface HealthState {
  /** False once graceful shutdown has begun, so load balancers drain this replica first. */
  accepting: boolean;
  /** Checks that dependencies answer (the metadata database, the artifact store). */
  check(): Promise<void>;
}

const readyResponse = {
  type: 'object',
  properties: { status: { type: 'string' }, reason: { type: 'string' } },
  required: ['status'],
} as const;

/** Probes answer without credentials: load balancers and kubelets carry none. */
const PUBLIC = { access: { kind: 'public' } } as const;

export function registerHealthRoutes(app: FastifyInstance, state: HealthState, version: string): void {
  // MLflow's server answers its health probe with plain `OK`; clients and charts probe this path.
  app.get('/health', { config: PUBLIC, schema: { tags: ['health'], summary: 'Liveness, MLflow style (text OK)' } }, async (_req, reply) =>
    reply.type('text/plain').send('OK'),
  );
  app.get('/version', { config: PUBLIC, schema: { tags: ['health'], summary: 'Server version (text)' } }, async (_req, reply) =>
    reply.type('text/plain').send(version),
  );
  app.get(
    '/health/live',
    { config: PUBLIC, schema: { tags: ['health'], summary: 'Liveness: the process answers', response: { 200: readyResponse } } },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/health/ready',
    {
      config: PUBLIC,
      schema: {
        tags: ['health'],
        summary: 'Readiness: dependencies answer and the server is not shutting down',
        response: { 200: readyResponse, 503: readyResponse },
      },
    },
    async (_req, reply) => {
      if (!state.accepting) return reply.code(503).send({ status: 'unavailable', reason: 'shutting down' });
      try {
        await state.check();
        return { status: 'ok' };
      } catch (err) {
        return reply.code(503).send({ status: 'unavailable', reason: (err as Error).message });
      }
    },
  );
}
