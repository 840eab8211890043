import { describe, expect, it } from 'vitest';
import { asksLongerThanCeiling, DEFAULT_RETRY_OPTIONS, isConnectionRefused, isRetryable, retryDelayMs } from './retry.js';

describe('isRetryable', () => {
  it('retries 429 and 503 for any request', () => {
    expect(isRetryable({ kind: 'status', status: 429 }, false)).toBe(true);
    expect(isRetryable({ kind: 'status', status: 503 }, false)).toBe(true);
  });

  it('never retries other 4xx, nor 500', () => {
    for (const status of [400, 401, 403, 404, 409, 500]) {
      expect(isRetryable({ kind: 'status', status }, true)).toBe(false);
    }
  });

  it('retries gateway errors and dropped connections only for idempotent requests', () => {
    expect(isRetryable({ kind: 'status', status: 504 }, true)).toBe(true);
    expect(isRetryable({ kind: 'status', status: 504 }, false)).toBe(false);
    const dropped = { kind: 'network', connectionRefused: false, timedOut: false } as const;
    expect(isRetryable(dropped, true)).toBe(true);
    expect(isRetryable(dropped, false)).toBe(false);
    expect(isRetryable({ ...dropped, connectionRefused: true }, false)).toBe(true);
  });
});

describe('retryDelayMs', () => {
  it('backs off exponentially within the cap', () => {
    const opts = { ...DEFAULT_RETRY_OPTIONS, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(retryDelayMs(0, opts, null, () => 1)).toBe(100);
    expect(retryDelayMs(2, opts, null, () => 1)).toBe(400);
    expect(retryDelayMs(2, opts, null, () => 0)).toBe(200);
    expect(retryDelayMs(10, opts, null, () => 1)).toBe(1000);
  });

  it('honours Retry-After in seconds or as a date, capped', () => {
    const opts = { ...DEFAULT_RETRY_OPTIONS, maxDelayMs: 5000 };
    expect(retryDelayMs(0, opts, '2')).toBe(2000);
    expect(retryDelayMs(0, opts, '60')).toBe(5000);
    expect(retryDelayMs(0, opts, new Date(10_000).toUTCString(), Math.random, () => 9_000)).toBe(1000);
  });
});

describe('asksLongerThanCeiling', () => {
  const options = { maxRetries: 3, baseDelayMs: 250, maxDelayMs: 8_000 };
  it('gives up at once when the server asks for a longer wait than the client would sleep', () => {
    expect(asksLongerThanCeiling('900', options)).toBe(true);
    expect(asksLongerThanCeiling('8', options)).toBe(false);
    expect(asksLongerThanCeiling(null, options)).toBe(false);
    expect(asksLongerThanCeiling(new Date(60_000).toUTCString(), options, () => 0)).toBe(true);
  });
});

describe('isConnectionRefused', () => {
  it('finds the code in nested causes and aggregate errors', () => {
    const refused = Object.assign(new Error('connect'), { code: 'ECONNREFUSED' });
    expect(isConnectionRefused(new TypeError('fetch failed', { cause: refused }))).toBe(true);
    expect(isConnectionRefused(new TypeError('fetch failed', { cause: new AggregateError([refused]) }))).toBe(true);
    const reset = Object.assign(new Error('reset'), { code: 'ECONNRESET' });
    expect(isConnectionRefused(new TypeError('fetch failed', { cause: reset }))).toBe(false);
  });
});
