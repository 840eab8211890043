import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_STATUS, type ErrorCode } from '@capstan/contracts';
import { CapstanError } from '../../core/errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The error dialect of the route's protocol: MLflow's `{error_code, message}` (the default),
     * the Open Inference Protocol's `{error}`, or Feast's feature server `{module, class, message}`.
     * Denials from the access hooks use it too, so a KServe or Triton client reads a 401 or 403 in
     * its own shape.
     */
    errorShape?: 'mlflow' | 'oip' | 'feast';
  }
}

/**
 * Renders every failure in the route's dialect (see `errorShape`) with the code's status: MLflow
 * clients read `{error_code, message}` exactly. Framework errors (bad JSON, wrong content type, body too large) keep their
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
      return send(request, reply, error.httpStatus, error.code, error.message);
    }
    const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'unhandled error');
      return send(request, reply, 500, 'INTERNAL_ERROR', 'Internal server error; see the server log for this request id');
    }
    return send(request, reply, status, codeForStatus(status), error.message);
  });
}

function send(request: FastifyRequest, reply: FastifyReply, status: number, code: ErrorCode, message: string): FastifyReply {
  return reply.code(status).send(errorBody(request.routeOptions.config?.errorShape ?? 'mlflow', code, message));
}

function errorBody(shape: 'mlflow' | 'oip' | 'feast', code: ErrorCode, message: string): object {
  if (shape === 'oip') return { error: message };
  // Feast names the exception class; the code is the closest thing Capstan has to one.
  if (shape === 'feast') return { module: 'capstan', class: code, message };
  return { error_code: code, message };
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
