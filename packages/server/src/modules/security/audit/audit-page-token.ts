import { invalidParameter } from '../../../core/errors.js';

/**
 * Audit page tokens: base64url of `{"seq":<last seq returned>,"order":"asc"|"desc"}`. Clients treat
 * them as opaque. The order is recorded because continuing a descending page in ascending order
 * would silently return a different listing.
 */
export function encodeAuditPageToken(lastSeq: number, order: 'asc' | 'desc'): string {
  return Buffer.from(JSON.stringify({ seq: lastSeq, order }), 'utf8').toString('base64url');
}

/** The last seq of the previous page; INVALID_PARAMETER_VALUE for anything this code did not issue. */
export function decodeAuditPageToken(token: string, order: 'asc' | 'desc'): number {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw invalidParameter(`Invalid page token: ${token}`);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidParameter(`Invalid page token: ${token}`);
  }
  if (typeof value !== 'object' || value === null) throw invalidParameter(`Invalid page token: ${token}`);
  const { seq, order: tokenOrder } = value as { seq?: unknown; order?: unknown };
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) throw invalidParameter(`Invalid page token: ${token}`);
  if (tokenOrder !== order) throw invalidParameter(`Invalid page token: it continues a listing in ${String(tokenOrder)} order, not ${order}`);
  return seq;
}
