import { describe, expect, it } from 'vitest';
import { KllSketch, kllRankError } from './kll.js';
import { seededRandom } from '../../../core/test-support/seeded-random.js';

/** Largest |sketch rank - true rank| over every retained value and 99 evenly spaced quantiles. */
function worstRankError(sketch: KllSketch, sorted: Float64Array): number {
  const n = sorted.length;
  const trueRank = (x: number): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo / n;
  };
  const view = sketch.sortedView();
  let worst = 0;
  let cumulative = 0;
  for (let i = 0; i < view.values.length; i++) {
    cumulative += view.weights[i];
    worst = Math.max(worst, Math.abs(cumulative / n - trueRank(view.values[i])));
  }
  for (let q = 1; q < 100; q++) worst = Math.max(worst, Math.abs(trueRank(sketch.quantile(q / 100)) - q / 100));
  return worst;
}

function data(n: number, kind: 'uniform' | 'lognormal' | 'ties', seed: number): Float64Array {
  const random = seededRandom(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (kind === 'uniform') out[i] = random();
    else if (kind === 'lognormal') out[i] = Math.exp(Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
    else out[i] = Math.floor(random() * 500);
  }
  return out;
}

describe('KLL sketch', () => {
  it('keeps every value (exact ranks) until the first compaction', () => {
    const sketch = new KllSketch(200);
    for (let i = 0; i < 200; i++) sketch.update(199 - i);
    expect(sketch.isEstimationMode).toBe(false);
    expect(sketch.rankError()).toBe(0);
    expect(sketch.rank(49.5)).toBe(0.25);
    expect(sketch.quantile(0.5)).toBe(99);
    expect([sketch.min, sketch.max, sketch.n]).toEqual([0, 199, 200]);
    sketch.update(200);
    expect(sketch.isEstimationMode).toBe(true);
  });

  it.each([
    ['uniform', 100_000],
    ['lognormal', 100_000],
    ['ties', 100_000],
    ['uniform', 1_000_000],
  ] as const)('ranks %s data (n = %i) within the a-priori bound', (kind, n) => {
    const values = data(n, kind, n + kind.length);
    const sketch = new KllSketch(200, 11);
    sketch.updateMany(values, n);
    const sorted = values.slice().sort();
    const bound = kllRankError(200);
    expect(worstRankError(sketch, sorted)).toBeLessThanOrEqual(bound);
    expect(sketch.n).toBe(n);
    expect([sketch.min, sketch.max]).toEqual([sorted[0], sorted[n - 1]]);
    // Constant memory: retained items stay near 3k whatever n.
    expect(sketch.numRetained).toBeLessThan(3 * 200 + 8 * sketch.numLevels);
    const view = sketch.sortedView();
    expect(view.weights.reduce((a, b) => a + b, 0)).toBe(n);
  });

  it('update() and updateMany() build the same sketch', () => {
    const values = data(50_000, 'uniform', 3);
    const a = new KllSketch(200, 5);
    const b = new KllSketch(200, 5);
    for (const v of values) a.update(v);
    b.updateMany(values, values.length);
    expect(a.toState()).toEqual(b.toState());
  });

  it('merges split streams within the bound, in any order and grouping', () => {
    const n = 200_000;
    const values = data(n, 'lognormal', 7);
    const parts = Array.from({ length: 8 }, (_, p) => {
      const sketch = new KllSketch(200, p + 1);
      sketch.updateMany(values.subarray((p * n) / 8, ((p + 1) * n) / 8), n / 8);
      return sketch;
    });
    const sorted = values.slice().sort();
    const leftFold = parts[0].copy();
    for (let p = 1; p < 8; p++) leftFold.merge(parts[p]);
    const tree = [0, 2, 4, 6].map((p) => {
      const pair = parts[p + 1].copy();
      pair.merge(parts[p]);
      return pair;
    });
    tree[0].merge(tree[1]);
    tree[2].merge(tree[3]);
    tree[2].merge(tree[0]);
    for (const merged of [leftFold, tree[2]]) {
      expect(merged.n).toBe(n);
      expect(merged.sortedView().weights.reduce((a, b) => a + b, 0)).toBe(n);
      expect([merged.min, merged.max]).toEqual([sorted[0], sorted[n - 1]]);
      expect(worstRankError(merged, sorted)).toBeLessThanOrEqual(kllRankError(200));
      expect(merged.numRetained).toBeLessThan(3 * 200 + 8 * merged.numLevels);
    }
    // The parts are unchanged by merging them.
    expect(parts[1].n).toBe(n / 8);
  });

  it('merges with empty and tiny sketches', () => {
    const empty = new KllSketch();
    const one = new KllSketch();
    one.update(5);
    const merged = empty.copy();
    merged.merge(one);
    merged.merge(new KllSketch());
    expect([merged.n, merged.min, merged.max, merged.quantile(0.5)]).toEqual([1, 5, 5, 5]);
    expect(() => merged.merge(new KllSketch(100))).toThrow(/k 200 and 100/);
  });

  it('round-trips through its JSON state and keeps working', () => {
    const values = data(30_000, 'uniform', 9);
    const sketch = new KllSketch(200, 21);
    sketch.updateMany(values, 20_000);
    const restored = KllSketch.fromState(JSON.parse(JSON.stringify(sketch.toState())));
    expect(restored.sortedView()).toEqual(sketch.sortedView());
    for (const v of values.subarray(20_000)) {
      sketch.update(v);
      restored.update(v);
    }
    expect(restored.sortedView()).toEqual(sketch.sortedView());
    expect(() => KllSketch.fromState({ ...sketch.toState(), n: 3 })).toThrow(/weights do not add up/);
    expect(() => KllSketch.fromState({ ...sketch.toState(), k: 3 })).toThrow(/between 8 and 65535/);
  });

  it('has the error DataSketches documents for k = 200', () => {
    expect(kllRankError(200)).toBeCloseTo(0.0133, 4);
    expect(kllRankError(200, true)).toBeCloseTo(0.0165, 4);
    expect(new KllSketch().quantile(0.5)).toBeNaN();
    expect(() => new KllSketch(7)).toThrow();
  });
});
