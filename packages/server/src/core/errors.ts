import { ERROR_STATUS, type ErrorCode } from '@capstan/contracts';

export type { ErrorCode } from '@capstan/contracts';

/**
 * The one error type the server raises on purpose. Each protocol surface renders it in its own
 * dialect (MLflow: `{error_code, message}`); anything else that escapes is an INTERNAL_ERROR.
 */
export class CapstanError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CapstanError';
    this.code = code;
  }

  get httpStatus(): number {
    return ERROR_STATUS[this.code];
  }
}

export const invalidParameter = (message: string) => new CapstanError('INVALID_PARAMETER_VALUE', message);
export const notFound = (message: string) => new CapstanError('RESOURCE_DOES_NOT_EXIST', message);
export const alreadyExists = (message: string) => new CapstanError('RESOURCE_ALREADY_EXISTS', message);
