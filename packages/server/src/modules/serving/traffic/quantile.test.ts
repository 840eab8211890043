import { describe, expect, it } from 'vitest';
import { latencyPercentiles, quantileOfSorted } from './quantile.js';

describe('latencyPercentiles', () => {
  // Expected values from numpy.quantile, whose default interpolation this matches.
  it('interpolates between ranks as numpy does', () => {
    const { p50, p99 } = latencyPercentiles([5, 1, 4, 2, 3]);
    expect(p50).toBe(3);
    expect(p99).toBeCloseTo(4.96, 12);
    expect(latencyPercentiles([2, 1]).p99).toBeCloseTo(1.99, 12);
  });

  it('sorts numerically, not as text', () => {
    expect(latencyPercentiles([10, 9, 100]).p50).toBe(10);
  });

  it('handles one value and none', () => {
    expect(latencyPercentiles([0.3])).toEqual({ p50: 0.3, p99: 0.3 });
    expect(latencyPercentiles([])).toEqual({ p50: null, p99: null });
  });

  it('returns the ends at q = 0 and q = 1', () => {
    expect(quantileOfSorted([1, 2, 3], 0)).toBe(1);
    expect(quantileOfSorted([1, 2, 3], 1)).toBe(3);
  });
});
