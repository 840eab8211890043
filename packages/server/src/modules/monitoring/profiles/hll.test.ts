import { describe, expect, it } from 'vitest';
import { hashBoolean, hashNumber, hashString, newHashOut } from './hash.js';
import { HyperLogLog } from './hll.js';

const out = newHashOut();

function sketchOf(n: number, kind: 'ints' | 'floats' | 'strings', offset = 0): HyperLogLog {
  const hll = new HyperLogLog(12);
  for (let i = offset; i < offset + n; i++) {
    if (kind === 'ints') hashNumber(i, out);
    else if (kind === 'floats') hashNumber(i * 0.001 + 0.5, out);
    else hashString(`user-${i}`, out);
    hll.add(out);
  }
  return hll;
}

describe('HyperLogLog', () => {
  it('estimates 0 when empty and has the documented standard error', () => {
    const hll = new HyperLogLog(12);
    expect(hll.estimate()).toBe(0);
    expect(hll.standardError).toBeCloseTo(0.01625, 5);
  });

  it.each([100, 1_000, 10_000, 100_000, 1_000_000])('counts %i distinct values within 3 standard errors', (n) => {
    for (const kind of ['ints', 'floats', 'strings'] as const) {
      const hll = sketchOf(n, kind);
      // Below ~2.5 m the estimator behaves like linear counting and is far tighter than 1.04/sqrt(m).
      expect(Math.abs(hll.estimate() / n - 1)).toBeLessThanOrEqual(3 * hll.standardError);
    }
  });

  it('does not count repeats, and tells 1, "1" and true apart', () => {
    const hll = new HyperLogLog(12);
    for (let r = 0; r < 50; r++) {
      hashNumber(1, out);
      hll.add(out);
      hashString('1', out);
      hll.add(out);
      hashBoolean(true, out);
      hll.add(out);
      hashNumber(-0, out);
      hll.add(out);
      hashNumber(0, out);
      hll.add(out);
    }
    expect(Math.round(hll.estimate())).toBe(4);
  });

  it('merges to exactly the sketch of the union', () => {
    const a = sketchOf(50_000, 'strings', 0);
    const b = sketchOf(50_000, 'strings', 25_000);
    const union = sketchOf(75_000, 'strings', 0);
    const merged = a.copy();
    merged.merge(b);
    expect(merged.registers).toEqual(union.registers);
    expect(Math.abs(merged.estimate() / 75_000 - 1)).toBeLessThanOrEqual(3 * merged.standardError);
    expect(() => merged.merge(new HyperLogLog(10))).toThrow(/lgK 12 and 10/);
  });

  it('round-trips its registers', () => {
    const hll = sketchOf(123_456, 'floats');
    const state = JSON.parse(JSON.stringify(hll.toState()));
    expect(state.registers.length).toBe(4096);
    expect(HyperLogLog.fromState(state).registers).toEqual(hll.registers);
    expect(() => HyperLogLog.fromState({ lgK: 12, registers: 'AAAA' })).toThrow(/register count/);
  });
});
