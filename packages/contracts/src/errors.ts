/**
 * The closed set of error codes Capstan returns, with their HTTP statuses.
 *
 * Codes and statuses follow MLflow's `ERROR_CODE_TO_HTTP_STATUS` so MLflow clients map them to the
 * same exceptions they would get from an MLflow server. docs/errors.md lists every code; a test
 * keeps the two in step.
 */
export const ERROR_STATUS = {
  INTERNAL_ERROR: 500,
  INVALID_STATE: 500,
  DATA_LOSS: 500,
  NOT_IMPLEMENTED: 501,
  TEMPORARILY_UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
  REQUEST_LIMIT_EXCEEDED: 429,
  RESOURCE_EXHAUSTED: 429,
  CANCELLED: 499,
  ABORTED: 409,
  RESOURCE_CONFLICT: 409,
  ALREADY_EXISTS: 409,
  NOT_FOUND: 404,
  ENDPOINT_NOT_FOUND: 404,
  RESOURCE_DOES_NOT_EXIST: 404,
  PERMISSION_DENIED: 403,
  UNAUTHENTICATED: 401,
  BAD_REQUEST: 400,
  /** Not an MLflow code: the request body exceeded the route's size limit. */
  REQUEST_TOO_LARGE: 413,
  MALFORMED_REQUEST: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  INVALID_PARAMETER_VALUE: 400,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_STATUS, value);
}

/** The body MLflow-dialect routes return on failure. */
export interface MlflowErrorBody {
  error_code: string;
  message: string;
}
