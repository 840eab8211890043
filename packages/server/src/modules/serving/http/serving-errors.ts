import type { FastifyReply, FastifyRequest } from 'fastify';
import { OipBadRequest } from '../protocol/oip-error.js';
import { ServingError } from '../engine/inference-engine.js';

/**
 * Answers a failed inference in the protocol's own error shape with Triton's status mapping: the
 * caller's input 400, unknown model 404, a media type MLflow's scoring server would refuse 415, full queue 429 (with Retry-After), not ready 503, a
 * request that waited too long 504, and anything the model itself threw 500 (logged, with the
 * runtime's message, which names the node that failed).
 */
export function sendServingError(request: FastifyRequest, reply: FastifyReply, err: unknown, shape: 'oip' | 'mlflow'): FastifyReply {
  let status: number;
  let message: string;
  if (err instanceof ServingError) {
    status = err.status;
    message = err.message;
    if (err.retryAfterSeconds !== undefined) void reply.header('retry-after', String(Math.max(1, Math.ceil(err.retryAfterSeconds))));
  } else if (err instanceof OipBadRequest) {
    status = 400;
    message = err.message;
  } else {
    status = 500;
    message = `inference failed: ${err instanceof Error ? err.message : String(err)}`;
    request.log.error({ err }, 'inference failed');
  }
  if (status >= 500 && status !== 500) request.log.warn({ status, message }, 'inference not served');
  return reply.code(status).send(shape === 'oip' ? { error: message } : { error_code: mlflowCode(status), message });
}

function mlflowCode(status: number): string {
  switch (status) {
    case 400: return 'BAD_REQUEST';
    case 404: return 'RESOURCE_DOES_NOT_EXIST';
    case 415: return 'BAD_REQUEST';
    case 429: return 'RESOURCE_EXHAUSTED';
    case 503: return 'TEMPORARILY_UNAVAILABLE';
    case 504: return 'DEADLINE_EXCEEDED';
    default: return 'INTERNAL_ERROR';
  }
}
