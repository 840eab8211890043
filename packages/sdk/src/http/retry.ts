/**
 * When a failed request may be sent again, and how long to wait first.
 *
 * 429 and 503 mean the server turned the request away without doing the work, so any request may
 * be retried. A gateway error (502/504), a timeout or a dropped connection may hide a request that
 * was applied, so only idempotent requests are retried after those; a non-idempotent one (such as
 * appending metrics) is retried only when the connection was never made. Other 4xx and 5xx answers
 * are final.
 */

export interface RetryOptions {
  /** Retries after the first attempt; 0 disables retrying. */
  maxRetries: number;
  /** Delay before the first retry; doubles on each retry. */
  baseDelayMs: number;
  /** Ceiling for any single delay, including one asked for by `Retry-After`. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_OPTIONS: RetryOptions = { maxRetries: 3, baseDelayMs: 250, maxDelayMs: 8_000 };

export type AttemptFailure =
  | { kind: 'status'; status: number }
  | { kind: 'network'; connectionRefused: boolean; timedOut: boolean }
  /** Failed on this machine (e.g. a full disk while saving a download): retrying will not help. */
  | { kind: 'local' };

const ALWAYS_RETRYABLE_STATUSES = new Set([429, 503]);
const IDEMPOTENT_RETRYABLE_STATUSES = new Set([502, 504]);

export function isRetryable(failure: AttemptFailure, idempotent: boolean): boolean {
  if (failure.kind === 'local') return false;
  if (failure.kind === 'status') {
    return (
      ALWAYS_RETRYABLE_STATUSES.has(failure.status) ||
      (idempotent && IDEMPOTENT_RETRYABLE_STATUSES.has(failure.status))
    );
  }
  return idempotent || failure.connectionRefused;
}

/**
 * Exponential backoff with full jitter, unless the server named a wait in `Retry-After`
 * (seconds, or an HTTP date).
 */
export function retryDelayMs(
  retry: number,
  options: RetryOptions,
  retryAfter?: string | null,
  random: () => number = Math.random,
  now: () => number = Date.now,
): number {
  const asked = parseRetryAfter(retryAfter, now);
  if (asked !== undefined) return Math.min(asked, options.maxDelayMs);
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retry);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Whether the server asked for a longer wait than the client would ever sleep (a sign-in lockout
 * answers 429 with minutes): retrying sooner is refused again, so the caller should hear it now.
 */
export function asksLongerThanCeiling(retryAfter: string | null | undefined, options: RetryOptions, now: () => number = Date.now): boolean {
  const asked = parseRetryAfter(retryAfter, now);
  return asked !== undefined && asked > options.maxDelayMs;
}

function parseRetryAfter(value: string | null | undefined, now: () => number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now());
}

/** Error codes of failures in which the request provably never reached the server. */
const NOT_CONNECTED_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Whether a `fetch` rejection happened before a connection existed (found in `cause`, possibly nested). */
export function isConnectionRefused(err: unknown): boolean {
  const seen = new Set<unknown>();
  const visit = (value: unknown): boolean => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return false;
    seen.add(value);
    const { code, cause, errors } = value as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string' && NOT_CONNECTED_CODES.has(code)) return true;
    if (Array.isArray(errors) && errors.some(visit)) return true;
    return visit(cause);
  };
  return visit(err);
}
