import { describe, expect, it } from 'vitest';
import { FrequentItems } from './frequent-items.js';

function zipfStream(n: number, distinct: number, seed: number): string[] {
  let a = seed;
  const random = (): number => {
    a = (a * 16807) % 2147483647;
    return a / 2147483647;
  };
  const weights = Array.from({ length: distinct }, (_, i) => 1 / (i + 1) ** 1.1);
  const total = weights.reduce((x, y) => x + y, 0);
  const cumulative: number[] = [];
  let running = 0;
  for (const w of weights) cumulative.push((running += w / total));
  return Array.from({ length: n }, () => {
    const u = random();
    let lo = 0;
    let hi = distinct - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return `item-${lo}`;
  });
}

function trueCounts(items: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

describe('frequent items', () => {
  it('counts exactly while there are no more items than its capacity', () => {
    const sketch = new FrequentItems(8);
    for (const item of ['a', 'b', 'a', true, false, 'a', '', true]) sketch.add(item);
    expect(sketch.isExact).toBe(true);
    expect(sketch.items().map((e) => [e.item, e.lowerBound])).toEqual([
      ['a', 3],
      [true, 2],
      ['b', 1],
      [false, 1],
      ['', 1],
    ]);
    expect(sketch.total).toBe(8);
  });

  it('bounds every count and keeps every heavy hitter on a skewed stream', () => {
    const stream = zipfStream(200_000, 20_000, 42);
    const capacity = 256;
    const sketch = new FrequentItems(capacity);
    for (const item of stream) sketch.add(item);
    const truth = trueCounts(stream);
    expect(sketch.isExact).toBe(false);
    expect(sketch.offset).toBeLessThanOrEqual((2 * stream.length) / (capacity + 2));
    for (const [item, count] of truth) {
      expect(sketch.lowerBound(item)).toBeLessThanOrEqual(count);
      expect(sketch.upperBound(item)).toBeGreaterThanOrEqual(count);
      if (count > sketch.offset) expect(sketch.lowerBound(item)).toBeGreaterThan(0);
    }
    // The top ten are found, in order.
    const top = [...truth].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([item]) => item);
    expect(sketch.items().slice(0, 10).map((e) => e.item)).toEqual(top);
  });

  it('merges within the bound of the combined stream', () => {
    const stream = zipfStream(120_000, 10_000, 7);
    const parts = [0, 1, 2].map((p) => {
      const sketch = new FrequentItems(128);
      for (const item of stream.slice(p * 40_000, (p + 1) * 40_000)) sketch.add(item);
      return sketch;
    });
    const merged = parts[2].copy();
    merged.merge(parts[0]);
    merged.merge(parts[1]);
    const truth = trueCounts(stream);
    expect(merged.total).toBe(stream.length);
    expect(merged.offset).toBeLessThanOrEqual((2 * stream.length) / 130);
    for (const [item, count] of truth) {
      expect(merged.lowerBound(item)).toBeLessThanOrEqual(count);
      expect(merged.upperBound(item)).toBeGreaterThanOrEqual(count);
    }
    expect(merged.items()[0].item).toBe('item-0');
  });

  it('merges exactly while the union fits, whatever the order', () => {
    const a = new FrequentItems(16);
    const b = new FrequentItems(16);
    for (const item of ['x', 'y', 'x']) a.add(item);
    for (const item of ['y', 'z', false]) b.add(item);
    const ab = a.copy();
    ab.merge(b);
    const ba = b.copy();
    ba.merge(a);
    const sorted = (s: FrequentItems): unknown[] => s.items().map((e) => [String(e.item), e.lowerBound]).sort();
    expect(sorted(ab)).toEqual(sorted(ba));
    expect(ab.isExact).toBe(true);
    expect(ab.lowerBound('y')).toBe(2);
  });

  it('round-trips and refuses broken states', () => {
    const sketch = new FrequentItems(16);
    for (const item of ['a', 'b', 'a', true]) sketch.add(item);
    const restored = FrequentItems.fromState(JSON.parse(JSON.stringify(sketch.toState())));
    expect(restored.items()).toEqual(sketch.items());
    expect(() => FrequentItems.fromState({ capacity: 16, total: 9, offset: 0, items: [['a', 2]] })).toThrow(/do not add up/);
    expect(() => FrequentItems.fromState({ capacity: 16, total: 2, offset: 0, items: [[3 as unknown as string, 2]] })).toThrow(/string or boolean/);
  });
});
