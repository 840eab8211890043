import { createHash, createHmac } from 'node:crypto';
import type { AuditEventsTable } from './audit-tables.js';

/** prev_hash of entry 1: there is nothing before it. */
export const GENESIS_HASH = '0'.repeat(64);

/** Everything an entry's hash covers: all stored fields except the hashes themselves. */
export type AuditHashedFields = Omit<AuditEventsTable, 'prev_hash' | 'hash'>;

/**
 * JSON with object keys sorted (by UTF-16 code units) and no whitespace, so equal values always
 * give the same bytes whatever order their keys were built in (the same rules as RFC 8785 for the
 * values an audit entry holds). Anything JSON cannot represent faithfully is refused rather than
 * silently changed, because a hash over a lossy encoding would not cover what was meant:
 * NaN/Infinity (JSON.stringify writes null), bigint, functions, symbols, cycles, and class
 * instances other than those with toJSON (a Map would become `{}`). As in JSON, object properties
 * that are undefined are left out and undefined array elements become null.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, new Set());
}

function encode(value: unknown, ancestors: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`Canonical JSON cannot represent the number ${value}`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`Canonical JSON cannot represent a value of type ${typeof value}`);
  }
  const toJson = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJson === 'function') return encode(toJson.call(value), ancestors);
  if (ancestors.has(value)) throw new TypeError('Canonical JSON cannot represent a circular structure');
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      return `[${Array.from(value, (item: unknown) => (item === undefined ? 'null' : encode(item, ancestors))).join(',')}]`;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw new TypeError(`Canonical JSON cannot represent an instance of ${value.constructor?.name ?? 'a class'}`);
    }
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${encode(record[k], ancestors)}`).join(',')}}`;
  } finally {
    ancestors.delete(value);
  }
}

/**
 * The hash of one entry: SHA-256 over `prevHash + '\n' + canonicalJson(fields)`, where fields are
 * every stored column except prev_hash and hash (seq included, so moving an entry changes its
 * hash). With `key` it is HMAC-SHA256 instead: someone who can write the database but does not
 * know the operator's audit key can then not compute a valid hash for an edited entry.
 * Accepts a whole row; only the covered fields are read.
 */
export function entryHash(prevHash: string, entry: AuditHashedFields, key?: string): string {
  const fields: AuditHashedFields = {
    seq: entry.seq,
    time: entry.time,
    actor: entry.actor,
    auth_method: entry.auth_method,
    workspace: entry.workspace,
    action: entry.action,
    target: entry.target,
    request_id: entry.request_id,
    source_ip: entry.source_ip,
    outcome: entry.outcome,
    status: entry.status,
    details: entry.details,
  };
  const hasher = key === undefined ? createHash('sha256') : createHmac('sha256', key);
  return hasher.update(`${prevHash}\n${canonicalJson(fields)}`, 'utf8').digest('hex');
}
