import type { FastifyError, FastifyInstance } from 'fastify';
import { ERROR_STATUS, type ErrorCode } from '@capstan/contracts';
import { CapstanError } from '../../core/errors.js';

/**
 * Renders every failure as `{error_code, message}` with the code's status: MLflow clients read
 * exactly this shape. Framework errors (bad JSON, wrong content type, body too large) keep their
 * HTTP status and get the closest code; anything unexpected is logged and reported as
 * INTERNAL_ERROR without leaking internals.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    const body = { error_code: 'ENDPOINT_NOT_FOUND', message: `No API endpoint ${request.method} ${request.url.split('?')[0]}` };
    void reply.code(404).send(body);
  });

  app.setErrorHandler((error: FastifyError | CapstanError | Error, request, reply) => {
    if (error instanceof CapstanError) {
      if (error.httpStatus >= 500) request.log.error({ err: error }, 'request failed');
      return reply.code(error.httpStatus).send({ error_code: error.code, message: error.message });
    }
    const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'unhandled error');
      return reply.code(500).send({ error_code: 'INTERNAL_ERROR', message: 'Internal server error; see the server log for this request id' });
    }
    return reply.code(status).send({ error_code: codeForStatus(status), message: error.message });
  });
}

function codeForStatus(status: number): ErrorCode {
  if (status === 413) return 'REQUEST_TOO_LARGE';
  if (status === 404) return 'ENDPOINT_NOT_FOUND';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'PERMISSION_DENIED';
  if (status === 429) return 'REQUEST_LIMIT_EXCEEDED';
  const match = (Object.entries(ERROR_STATUS) as [ErrorCode, number][]).find(([, s]) => s === status);
  return status === 400 || !match ? 'BAD_REQUEST' : match[0];
}
