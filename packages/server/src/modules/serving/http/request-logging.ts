import type { FastifyInstance } from 'fastify';

/**
 * Marks every route of a scope as one whose calls write no per-request log lines (`incoming
 * request`, `request completed`; see createHttpServer): inference is counted in metrics and sampled
 * into the inference log, and two lines per call would cost more than the inference. Failures are
 * still logged. A route-level `logLevel` would do the same but makes pino rebuild its log methods
 * for every request's child logger.
 */
export function quietRequestLog(scope: FastifyInstance): void {
  scope.addHook('onRoute', (route) => {
    route.config = { ...route.config, quietRequestLog: true };
  });
}
