import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Logger } from '../../core/logger.js';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** No `incoming request`/`request completed` lines for this route unless logging at debug or trace. */
    quietRequestLog?: boolean;
  }
}

/**
 * The Fastify instance every Capstan process serves from: a caller's `x-request-id` is kept (and
 * echoed) when it is sane, otherwise one is made; a closing server answers 503 so load balancers
 * move on.
 */
export function createHttpServer(logger: Logger, bodyLimitBytes: number): FastifyInstance {
  const verbose = logger.isLevelEnabled('debug');
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast keeps route types on the default logger type.
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: bodyLimitBytes,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    return503OnClosing: true,
    logController: new LogController({
      disableRequestLogging: verbose ? false : (request) => (request as FastifyRequest).routeOptions?.config?.quietRequestLog === true,
    }),
    forceCloseConnections: 'idle',
  });
  // Callback form: every request runs it, and an async hook costs a promise and a microtask.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  return app;
}

/** Stops taking requests and waits for in-flight ones. */
export async function closeHttpServer(app: FastifyInstance): Promise<void> {
  // A keep-alive connection that finishes its last response after close() began is not
  // closed by Node; sweep idle connections until the server has let go of all of them.
  const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
  try {
    await app.close();
  } finally {
    clearInterval(sweep);
  }
}
