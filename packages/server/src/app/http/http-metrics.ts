import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { BoundCounter, BoundHistogram } from '../../core/bound-metrics.js';

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
  const requests = new BoundCounter('capstan_http_requests_total', 'HTTP requests handled, by method, route template and status code.', ['method', 'route', 'status_code'], [registry]);
  const duration = new BoundHistogram(
    'capstan_http_request_duration_seconds',
    'Time from request received to response sent, by method and route template.',
    ['method', 'route'],
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    [registry],
  );

  // The series per method, route and status, bound once (see BoundCounter); bounded like the labels.
  const series = new Map<string, { count: { inc(): void }; time: { observe(seconds: number): void } }>();
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const key = `${request.method} ${reply.statusCode} ${route}`;
    let bound = series.get(key);
    if (!bound) {
      bound = { count: requests.bind({ method: request.method, route, status_code: String(reply.statusCode) }), time: duration.bind({ method: request.method, route }) };
      series.set(key, bound);
    }
    bound.count.inc();
    bound.time.observe(reply.elapsedTime / 1000);
    done();
  });

  // Prometheus scrapes with a bearer token (scrape config `authorization`) when auth is on.
  app.get('/metrics', { schema: { hide: true }, config: { access: { kind: 'authenticated', scope: 'read' } } }, async (_request, reply) => {
    return reply.type(registry.contentType).send(await registry.metrics());
  });
  return registry;
}
