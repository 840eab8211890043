import { describe, expect, it } from 'vitest';
import { canonicalJson, entryHash, GENESIS_HASH, type AuditHashedFields } from './audit-chain.js';

const entry: AuditHashedFields = {
  seq: 1,
  time: 1_700_000_000_000,
  actor: 'bob',
  auth_method: 'token',
  workspace: 'default',
  action: 'mlflow.createExperiment',
  target: 'experiment:1',
  request_id: 'req-1',
  source_ip: '10.0.0.1',
  outcome: 'success',
  status: 200,
  details: '{}',
};

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('gives the same text for the same value built in another order', () => {
    expect(canonicalJson({ x: 1, y: [1, 2], z: { q: 1, p: 2 } })).toBe(canonicalJson({ z: { p: 2, q: 1 }, y: [1, 2], x: 1 }));
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });

  it('follows JSON for undefined, Dates and strings that need escaping', () => {
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
    expect(canonicalJson({ at: new Date(0) })).toBe('{"at":"1970-01-01T00:00:00.000Z"}');
    expect(canonicalJson({ s: 'a"\n\u0000' })).toBe('{"s":"a\\"\\n\\u0000"}');
  });

  it('refuses what JSON cannot represent faithfully', () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, { nested: [Number.NEGATIVE_INFINITY] }, 1n, () => 1, new Map([[1, 2]])]) {
      expect(() => canonicalJson(value)).toThrow(TypeError);
    }
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => canonicalJson(cycle)).toThrow(/circular/);
    const shared = { v: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"v":1},"b":{"v":1}}');
  });
});

describe('entryHash', () => {
  it('is SHA-256 over the previous hash and the canonical fields', () => {
    const hash = entryHash(GENESIS_HASH, entry);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(entryHash(GENESIS_HASH, { ...entry })).toBe(hash);
    expect(entryHash('1'.repeat(64), entry)).not.toBe(hash);
  });

  it('covers every stored field, seq included, and ignores the stored hashes', () => {
    const base = entryHash(GENESIS_HASH, entry);
    const changes: Partial<AuditHashedFields>[] = [
      { seq: 2 },
      { time: entry.time + 1 },
      { actor: 'alice' },
      { auth_method: 'jwt' },
      { workspace: 'other' },
      { action: 'mlflow.deleteExperiment' },
      { target: 'experiment:2' },
      { request_id: 'req-2' },
      { source_ip: '10.0.0.2' },
      { outcome: 'denied' },
      { status: 403 },
      { details: '{"a":1}' },
    ];
    for (const change of changes) expect(entryHash(GENESIS_HASH, { ...entry, ...change })).not.toBe(base);
    expect(entryHash(GENESIS_HASH, { ...entry, prev_hash: 'x', hash: 'y' } as AuditHashedFields)).toBe(base);
  });

  it('is an HMAC with a key, different for each key', () => {
    const plain = entryHash(GENESIS_HASH, entry);
    const keyed = entryHash(GENESIS_HASH, entry, 'k1');
    expect(keyed).toMatch(/^[0-9a-f]{64}$/);
    expect(keyed).not.toBe(plain);
    expect(entryHash(GENESIS_HASH, entry, 'k2')).not.toBe(keyed);
  });
});
