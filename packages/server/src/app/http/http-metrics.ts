import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics for the HTTP surface, on a registry owned by this app instance (several apps
 * can live in one process in tests). Routes are labelled by their template, never the raw URL,
 * so cardinality stays bounded.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'capstan_' });
  return registry;
}

export function installHttpMetrics(app: FastifyInstance, registry: Registry): Registry {
  const requests = new Counter({
    name: 'capstan_http_requests_total',
    help: 'HTTP requests handled, by method, route template and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'capstan_http_request_duration_seconds',
    help: 'Time from request received to response sent, by method and route template.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status_code: String(reply.statusCode) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  // Prometheus scrapes with a bearer token (scrape config `authorization`) when auth is on.
  app.get('/metrics', { schema: { hide: true }, config: { access: { kind: 'authenticated', scope: 'read' } } }, async (_request, reply) => {
    return reply.type(registry.contentType).send(await registry.metrics());
  });
  return registry;
}
