import { invalidParameter } from '../../../../core/errors.js';
import type { WindowPosition } from '../inference-window.js';

/**
 * The inference log's page tokens: base64url of the last record's `{at, id}`. Clients treat them
 * as opaque. A position rather than an offset, so records logged while a client pages through a
 * window do not shift the pages.
 */
export function encodeWindowPageToken(position: WindowPosition): string {
  return Buffer.from(JSON.stringify({ at: position.at, id: position.id }), 'utf8').toString('base64url');
}

export function decodeWindowPageToken(token: string): WindowPosition {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidParameter(`Invalid page token: ${token}`);
  }
  const { at, id } = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (!Number.isSafeInteger(at) || !Number.isSafeInteger(id)) throw invalidParameter(`Invalid page token: ${token}`);
  return { at: at as number, id: id as number };
}
