import { describe, expect, it } from 'vitest';
import { cellFromJson, cellToJson, isoTime, parseIsoTime } from './cells.js';
import { entityKeyOf } from './entity-key.js';

const at = () => 'x';

describe('feature values', () => {
  it('checks values against their dtype, naming what was expected and what came', () => {
    expect(cellFromJson(2147483647, 'int32', at)).toBe(2147483647);
    expect(() => cellFromJson(2147483648, 'int32', at)).toThrow('x: expected int32, got 2147483648');
    expect(() => cellFromJson(1.5, 'int64', at)).toThrow('x: expected int64, got 1.5');
    // proto3 JSON sends int64 as text; beyond 2^53 it stays text, canonical.
    expect(cellFromJson('42', 'int64', at)).toBe(42);
    expect(cellFromJson('+09223372036854775807', 'int64', at)).toBe('9223372036854775807');
    expect(() => cellFromJson('9223372036854775808', 'int64', at)).toThrow('expected int64');
    expect(() => cellFromJson(1, 'string', at)).toThrow('expected string, got 1');
    expect(cellFromJson('NaN', 'float32', at)).toBeNaN();
    expect(cellFromJson('AAE=', 'bytes', at)).toEqual(new Uint8Array([0, 1]));
    expect(() => cellFromJson('not base64!', 'bytes', at)).toThrow('expected bytes (base64 text)');
    expect(cellFromJson([1, null, 2], 'int64[]', at)).toEqual([1, null, 2]);
    expect(() => cellFromJson([1, 'a'], 'int64[]', () => 'v')).toThrow('v[1]: expected int64');
    expect(cellFromJson(1_700_000_000, 'unix_timestamp', at)).toBe(1_700_000_000_000);
  });

  it('reads ISO times as UTC unless they carry an offset, and prints them as protobuf does', () => {
    expect(parseIsoTime('2026-01-01T00:00:00')).toBe(Date.UTC(2026, 0, 1));
    expect(parseIsoTime('2026-01-01 02:00:00+02:00')).toBe(Date.UTC(2026, 0, 1));
    expect(parseIsoTime('2026-01-01')).toBe(Date.UTC(2026, 0, 1));
    expect(parseIsoTime('yesterday')).toBeUndefined();
    expect(isoTime(Date.UTC(2026, 0, 1))).toBe('2026-01-01T00:00:00Z');
    expect(isoTime(Date.UTC(2026, 0, 1, 0, 0, 0, 5))).toBe('2026-01-01T00:00:00.005Z');
    expect(cellToJson(new Uint8Array([0, 1]), 'bytes')).toBe('AAE=');
    expect(cellToJson(Number.POSITIVE_INFINITY, 'float64')).toBe('Infinity');
  });

  it('encodes entity keys canonically: any integer width alike, key order irrelevant, no collisions', () => {
    const int32 = entityKeyOf([{ name: 'id', dtype: 'int32' }], [7]);
    expect(entityKeyOf([{ name: 'id', dtype: 'int64' }], [7])).toBe(int32);
    expect(entityKeyOf([{ name: 'id', dtype: 'string' }], ['7'])).not.toBe(int32);
    const ab = entityKeyOf(
      [
        { name: 'a', dtype: 'string' },
        { name: 'b', dtype: 'string' },
      ],
      ['x', 'y'],
    );
    expect(
      entityKeyOf(
        [
          { name: 'b', dtype: 'string' },
          { name: 'a', dtype: 'string' },
        ],
        ['y', 'x'],
      ),
    ).toBe(ab);
    expect(
      entityKeyOf(
        [
          { name: 'a', dtype: 'string' },
          { name: 'b', dtype: 'string' },
        ],
        ['x","b":sy', ''],
      ),
    ).not.toBe(ab);
  });
});
