/**
 * The SDK's two failure kinds: the server answered with an error (`CapstanApiError`), or no answer
 * arrived at all (`CapstanNetworkError`). Callers branch on the class, then on `code`.
 */

/** Error codes MLflow's client infers from a status when the body carries no `error_code`. */
const CODE_FOR_STATUS: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'ENDPOINT_NOT_FOUND',
  409: 'RESOURCE_CONFLICT',
  429: 'REQUEST_LIMIT_EXCEEDED',
  500: 'INTERNAL_ERROR',
  501: 'NOT_IMPLEMENTED',
  503: 'TEMPORARILY_UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export function codeForStatus(status: number): string {
  return CODE_FOR_STATUS[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');
}

/** The server answered with a non-2xx status (or an unreadable success body). */
export class CapstanApiError extends Error {
  /** The server's `error_code`, e.g. `RESOURCE_DOES_NOT_EXIST`; inferred from the status if absent. */
  readonly code: string;
  /** HTTP status of the response. */
  readonly status: number;
  /** Method and URL of the failed request, for logs. */
  readonly request: string;

  constructor(init: { code: string; status: number; message: string; request: string }) {
    super(init.message);
    this.name = 'CapstanApiError';
    this.code = init.code;
    this.status = init.status;
    this.request = init.request;
  }
}

/** No HTTP response arrived: connection refused or reset, DNS failure, or the request timed out. */
export class CapstanNetworkError extends Error {
  /** Method and URL of the failed request. */
  readonly request: string;
  /** True when the SDK gave up after `timeoutMs`. */
  readonly timedOut: boolean;

  constructor(init: { message: string; request: string; timedOut: boolean; cause: unknown }) {
    super(init.message, { cause: init.cause });
    this.name = 'CapstanNetworkError';
    this.request = init.request;
    this.timedOut = init.timedOut;
  }
}

export function isApiError(err: unknown, code?: string): err is CapstanApiError {
  return err instanceof CapstanApiError && (code === undefined || err.code === code);
}
