import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_PARAM = 'X-Capstan-Signature';
export const EXPIRES_PARAM = 'X-Capstan-Expires';

/**
 * Signs URLs this server hands out for credential-less calls (multipart part uploads), the way S3
 * presigns: an HMAC over the method, the path exactly as it will be sent, and an expiry.
 */
export class UrlSigner {
  constructor(
    private readonly key: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Appends the signature query to `path` (which must not have a query yet). */
  sign(method: string, path: string, ttlMs: number): string {
    const expires = Math.floor((this.now() + ttlMs) / 1000);
    return `${path}?${EXPIRES_PARAM}=${expires}&${SIGNATURE_PARAM}=${this.mac(method, path, expires)}`;
  }

  /** Checks a request URL (path and query as received). */
  verify(method: string, url: string): 'ok' | 'missing' | 'expired' | 'invalid' {
    const q = url.indexOf('?');
    if (q < 0) return 'missing';
    const path = url.slice(0, q);
    const params = new URLSearchParams(url.slice(q + 1));
    const signature = params.get(SIGNATURE_PARAM);
    const expires = Number(params.get(EXPIRES_PARAM));
    if (!signature || !Number.isInteger(expires)) return 'missing';
    const expected = Buffer.from(this.mac(method, path, expires));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
    return expires * 1000 < this.now() ? 'expired' : 'ok';
  }

  private mac(method: string, path: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${method.toUpperCase()}\n${path}\n${expires}`).digest('base64url');
  }
}
