import { setTimeout as sleep } from 'node:timers/promises';
import { CapstanApiError, CapstanNetworkError, codeForStatus } from '../errors.js';
import { asksLongerThanCeiling, isConnectionRefused, isRetryable, retryDelayMs, type AttemptFailure, type RetryOptions } from './retry.js';

export type FetchFn = typeof fetch;

export interface TransportOptions {
  /** Base URL without a trailing slash. */
  url: string;
  authorization?: string;
  /** Sent with every request, e.g. the workspace header. */
  headers?: Readonly<Record<string, string>>;
  fetch: FetchFn;
  /** Per-attempt limit for requests that do not override it; 0 means none. */
  timeoutMs: number;
  retry: RetryOptions;
}

export interface HttpRequest<T> {
  method: string;
  /** Path and query, starting with `/`. */
  path: string;
  /** Builds the body afresh for each attempt, so streamed bodies can be replayed on retry. */
  body?: () => { data: NonNullable<RequestInit['body']>; contentType: string; streamed?: boolean };
  /** Whether repeating the request is harmless (see retry.ts). */
  idempotent: boolean;
  /** Overrides the transport's timeout for this request; 0 means none. */
  timeoutMs?: number;
  /** Reads a 2xx response; runs inside the attempt so timeouts and retries cover the body too. */
  read: (response: Response) => Promise<T>;
}

/** Sends HTTP requests with auth, per-attempt timeouts, retries and MLflow-style error decoding. */
export class Transport {
  constructor(private readonly options: TransportOptions) {}

  get baseUrl(): string {
    return this.options.url;
  }

  async send<T>(request: HttpRequest<T>): Promise<T> {
    const { retry } = this.options;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.attempt(request);
      if (outcome.ok) return outcome.value;
      const canRetry =
        attempt < retry.maxRetries && isRetryable(outcome.failure, request.idempotent) && !asksLongerThanCeiling(outcome.retryAfter, retry);
      if (!canRetry) throw outcome.error;
      await sleep(retryDelayMs(attempt, retry, outcome.retryAfter));
    }
  }

  private async attempt<T>(
    request: HttpRequest<T>,
  ): Promise<
    | { ok: true; value: T }
    | { ok: false; error: Error; failure: AttemptFailure; retryAfter?: string | null }
  > {
    const label = `${request.method} ${request.path}`;
    const timeoutMs = request.timeoutMs ?? this.options.timeoutMs;
    const signal = timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined;
    const headers: Record<string, string> = { accept: 'application/json', ...this.options.headers };
    if (this.options.authorization) headers.authorization = this.options.authorization;
    const body = request.body?.();
    if (body) headers['content-type'] = body.contentType;
    const init: RequestInit & { duplex?: 'half' } = { method: request.method, headers, signal };
    if (body) {
      init.body = body.data;
      // Node's fetch requires this to send a streamed request body.
      if (body.streamed) init.duplex = 'half';
    }
    try {
      const response = await this.options.fetch(`${this.options.url}${request.path}`, init);
      if (!response.ok) {
        const error = await decodeError(response, label);
        return { ok: false, error, failure: { kind: 'status', status: response.status }, retryAfter: response.headers.get('retry-after') };
      }
      return { ok: true, value: await request.read(response) };
    } catch (err) {
      if (err instanceof CapstanApiError) return { ok: false, error: err, failure: { kind: 'status', status: err.status } };
      // A local file error while reading a download (ENOSPC, EACCES...) is neither network nor retryable.
      if (!signal?.aborted && isLocalFileError(err)) return { ok: false, error: err as Error, failure: { kind: 'local' } };
      const timedOut = signal?.aborted === true;
      const connectionRefused = isConnectionRefused(err);
      const reason = timedOut ? `timed out after ${timeoutMs} ms` : describe(err);
      const error = new CapstanNetworkError({ message: `${label} failed: ${reason}`, request: label, timedOut, cause: err });
      return { ok: false, error, failure: { kind: 'network', connectionRefused, timedOut } };
    }
  }
}

async function decodeError(response: Response, label: string): Promise<CapstanApiError> {
  const text = await response.text().catch(() => '');
  let code = codeForStatus(response.status);
  let message = text.trim() || `${response.status} ${response.statusText}`;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) {
      const body = parsed as { error_code?: unknown; message?: unknown };
      if (typeof body.error_code === 'string') code = body.error_code;
      if (typeof body.message === 'string') message = body.message;
    }
  } catch {
    // A proxy's HTML error page: keep the status-derived code and the raw text.
  }
  return new CapstanApiError({ code, status: response.status, message, request: label });
}

/** Node's file-system errors name the file; socket errors do not. */
function isLocalFileError(err: unknown): boolean {
  return err instanceof Error && typeof (err as { path?: unknown }).path === 'string' && typeof (err as { syscall?: unknown }).syscall === 'string';
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err.message}${cause}`;
}

/** Reads a JSON object body; MLflow answers `{}` for empty responses, and some servers send nothing. */
export async function readJson<T>(response: Response, label: string): Promise<T> {
  const text = await response.text();
  if (text.trim() === '') return {} as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new CapstanApiError({
      code: 'INTERNAL_ERROR',
      status: response.status,
      message: `Expected a JSON response but got: ${text.slice(0, 200)}`,
      request: label,
    });
  }
}
