import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `sha256=<hex>` over `<timestamp>.<raw body>`: the timestamp (epoch seconds, also sent in
 * `X-Capstan-Timestamp`) is inside the signed bytes, so a captured delivery replayed later with a
 * fresh timestamp no longer verifies, and an old one can be refused by its age.
 */
export function signDelivery(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does (tests use it; documented for webhook consumers). */
export function verifyDelivery(secret: string, timestamp: number, body: string, signature: string): boolean {
  const expected = Buffer.from(signDelivery(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
