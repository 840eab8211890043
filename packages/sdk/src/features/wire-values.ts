import type { FeatureDtype, FeatureValue } from '@capstan/contracts';

/** What the SDK accepts where the wire takes a value: wire values, and the JS values typed results give. */
export type FeatureInputValue = FeatureValue | Date | Uint8Array | readonly FeatureInputValue[];

/** Column-major rows as sent: join keys, request values, timestamps, features. */
export type InputColumns = Readonly<Record<string, readonly FeatureInputValue[]>>;

/**
 * JSON.stringify's replacer for request bodies: bytes as base64 (Dates already become ISO 8601
 * through their toJSON). The holder's own value is read because a Buffer's toJSON runs first.
 */
export function wireReplacer(this: unknown, key: string, value: unknown): unknown {
  const original = (this as Record<string, unknown>)[key];
  return original instanceof Uint8Array ? Buffer.from(original.buffer, original.byteOffset, original.byteLength).toString('base64') : value;
}

export const toWireJson = (body: unknown): string => JSON.stringify(body, wireReplacer);

/** JSON has no NaN or infinities: floats spell them as text, as protobuf's JSON does. */
const SPECIAL_FLOATS: Readonly<Record<string, number>> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY };

/** A wire value as the JS value its dtype promises: bytes from base64, timestamps from ISO 8601, floats from their special spellings. */
export function decodeValue(dtype: FeatureDtype, value: FeatureValue): unknown {
  if (value === null) return null;
  if (dtype.endsWith('[]')) {
    const item = dtype.slice(0, -2) as FeatureDtype;
    return Array.isArray(value) ? value.map((v) => decodeValue(item, v)) : value;
  }
  if (typeof value !== 'string') return value;
  if (dtype === 'bytes') return new Uint8Array(Buffer.from(value, 'base64'));
  if (dtype === 'unix_timestamp') return new Date(value);
  if ((dtype === 'float32' || dtype === 'float64') && value in SPECIAL_FLOATS) return SPECIAL_FLOATS[value];
  return value;
}

/** `2024-05-01T00:00:00.000Z` from a Date or an ISO string (checked, so a typo fails here, not on the server). */
export function isoTime(value: Date | string, what: string): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new TypeError(`${what}: not a date: ${JSON.stringify(value)}`);
  return date.toISOString();
}
