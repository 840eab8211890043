/**
 * A request the client got wrong. OIP renders every failure as `{ error }` with an HTTP status
 * (typically 400), not as Capstan's MLflow `{error_code, message}`, so the protocol surface keeps
 * its own small error type and the route maps it with `toOipErrorBody`.
 */
import type { OipErrorResponse } from './oip-types.js';

export class OipBadRequest extends Error {
  readonly status = 400;

  constructor(message: string) {
    super(message);
    this.name = 'OipBadRequest';
  }
}

export function toOipErrorBody(error: OipBadRequest): OipErrorResponse {
  return { error: error.message };
}
