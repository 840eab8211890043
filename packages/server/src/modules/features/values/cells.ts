import type { FeatureDtype, FeatureScalarDtype, FeatureValue } from '@capstan/contracts';
import { invalidParameter } from '../../../core/errors.js';
import type { OfflineCell } from '../../../ports/offline-store.js';

/**
 * Values inside the feature store: int64 beyond 2^53 as a decimal string, bytes as Uint8Array,
 * unix_timestamp as epoch ms, lists as arrays. The same shape the offline store reads and writes.
 */
export type Cell = OfflineCell;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const DECIMAL_INTEGER = /^[+-]?\d+$/;

const scalarOf = (dtype: FeatureDtype): FeatureScalarDtype => (dtype.endsWith('[]') ? dtype.slice(0, -2) : dtype) as FeatureScalarDtype;

/**
 * A JSON value checked against its dtype, or INVALID_PARAMETER_VALUE naming the column, the row, the
 * expected dtype and what was sent. Numbers of any integer width become the same cell, so a key sent
 * as int32 finds a row written as int64.
 */
export function cellFromJson(value: unknown, dtype: FeatureDtype, where: () => string): Cell {
  if (value === null || value === undefined) return null;
  if (dtype.endsWith('[]')) {
    if (!Array.isArray(value)) throw mismatch(value, dtype, where);
    const scalar = scalarOf(dtype);
    return value.map((v, i) => cellFromJson(v, scalar, () => `${where()}[${i}]`));
  }
  switch (dtype as FeatureScalarDtype) {
    case 'int32':
      if (typeof value === 'number' && Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX) return value;
      throw mismatch(value, dtype, where);
    case 'int64':
      return int64(value, dtype, where);
    case 'float32':
    case 'float64':
      if (typeof value === 'number') return value;
      // JSON has no NaN or Infinity; accept their proto-JSON spellings.
      if (value === 'NaN') return Number.NaN;
      if (value === 'Infinity') return Number.POSITIVE_INFINITY;
      if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
      throw mismatch(value, dtype, where);
    case 'string':
      if (typeof value === 'string') return value;
      throw mismatch(value, dtype, where);
    case 'bool':
      if (typeof value === 'boolean') return value;
      throw mismatch(value, dtype, where);
    case 'bytes':
      if (typeof value === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(value) && value.length % 4 === 0) return new Uint8Array(Buffer.from(value, 'base64'));
      throw mismatch(value, dtype, where, 'base64 text');
    case 'unix_timestamp':
      return timestampFromJson(value, where);
  }
}

function int64(value: unknown, dtype: FeatureDtype, where: () => string): Cell {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && DECIMAL_INTEGER.test(value)) {
    const big = BigInt(value);
    if (big >= INT64_MIN && big <= INT64_MAX) return canonicalInt64(big);
  }
  throw mismatch(value, dtype, where, Number.isInteger(value) ? 'an integer within ±2^53 or a decimal string' : undefined);
}

/** Safe integers as numbers, the rest as their canonical decimal text. */
function canonicalInt64(big: bigint): number | string {
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big.toString();
}

/** ISO 8601 text, or a number of seconds since the epoch (Feast's UnixTimestamp). Returns epoch ms. */
export function timestampFromJson(value: unknown, where: () => string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.round(value * 1000);
  if (typeof value === 'string') {
    const ms = parseIsoTime(value);
    if (ms !== undefined) return ms;
  }
  throw mismatch(value, 'unix_timestamp', where, 'ISO 8601 text or epoch seconds');
}

/** ISO 8601 date or date-time; a time without an offset is UTC (as Feast makes naive times UTC). */
export function parseIsoTime(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return undefined;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(text) && text.length > 10;
  const ms = Date.parse(hasZone || text.length === 10 ? text.replace(' ', 'T') : `${text.replace(' ', 'T')}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

function mismatch(value: unknown, dtype: FeatureDtype, where: () => string, expected?: string) {
  const shown = typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value) : JSON.stringify(value) ?? String(value);
  return invalidParameter(`${where()}: expected ${dtype}${expected ? ` (${expected})` : ''}, got ${shown}`);
}

/** A cell as the wire carries it: ISO 8601 for timestamps, base64 for bytes. */
export function cellToJson(cell: Cell, dtype: FeatureDtype): FeatureValue {
  if (cell === null) return null;
  if (Array.isArray(cell)) {
    const scalar = scalarOf(dtype);
    return cell.map((c) => cellToJson(c, scalar));
  }
  if (cell instanceof Uint8Array) return Buffer.from(cell.buffer, cell.byteOffset, cell.byteLength).toString('base64');
  if (scalarOf(dtype) === 'unix_timestamp' && typeof cell === 'number') return isoTime(cell);
  if (typeof cell === 'number' && !Number.isFinite(cell)) return Number.isNaN(cell) ? 'NaN' : cell > 0 ? 'Infinity' : '-Infinity';
  return cell;
}

/** RFC 3339 with Z, as protobuf's JSON prints a Timestamp (no fraction when whole seconds). */
export function isoTime(ms: number): string {
  const text = new Date(ms).toISOString();
  return text.endsWith('.000Z') ? `${text.slice(0, -5)}Z` : text;
}
