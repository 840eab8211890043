import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kolmogorovSurvival, ksTwoSample } from './kolmogorov-smirnov.js';

interface ReferenceCase {
  name: string;
  a: number[];
  b: number[];
  statistic: number;
  asympPValue: number;
  limitingPValue: number;
}

// Written by test-support/ks-reference.py with Debian's python3-scipy.
const reference = JSON.parse(readFileSync(new URL('./test-support/ks-reference.json', import.meta.url), 'utf8')) as { cases: ReferenceCase[] };

describe('ksTwoSample against scipy', () => {
  it.each(reference.cases)('$name', (c) => {
    const result = ksTwoSample(c.a, c.b);
    expect(result.statistic).toBeCloseTo(c.statistic, 12);
    expect(result.effectiveSize).toBeCloseTo((c.a.length * c.b.length) / (c.a.length + c.b.length), 12);
    // Q_KS(sqrt(ne) D) is scipy's kstwobign.sf(sqrt(ne) D) ...
    expect(Math.abs(result.pValue - c.limitingPValue)).toBeLessThan(1e-12 + 1e-9 * c.limitingPValue);
    // ... which never flags drift more readily than ks_2samp(method='asymp') (see the doc comment).
    expect(result.pValue).toBeGreaterThanOrEqual(c.asympPValue);
  });

  it('is symmetric in its samples', () => {
    const [first] = reference.cases as [ReferenceCase];
    expect(ksTwoSample(first.b, first.a)).toEqual(ksTwoSample(first.a, first.b));
  });

  it('finds no difference between identical samples', () => {
    expect(ksTwoSample([3, 1, 2, 2], [2, 1, 3, 2])).toMatchObject({ statistic: 0, pValue: 1 });
  });

  it('refuses an empty sample', () => {
    expect(() => ksTwoSample([], [1])).toThrow(/non-empty/);
  });
});

describe('kolmogorovSurvival', () => {
  // scipy.stats.kstwobign.sf(lambda), on both sides of the switch between the two series at 1.18.
  it.each([
    [0.2, 0.999999999999495],
    [0.5, 0.9639452436648751],
    [1.0, 0.26999967167735456],
    [1.17, 0.12939004218561884],
    [1.19, 0.11774229287977166],
    [1.36, 0.049485876755377876],
    [2.0, 0.0006709252557796953],
    [3.0, 3.045995948942526e-8],
  ])('Q_KS(%f) = %f', (lambda, expected) => {
    expect(Math.abs(kolmogorovSurvival(lambda) - expected)).toBeLessThan(1e-12 + 1e-9 * expected);
  });

  it('is 1 at and below zero', () => {
    expect(kolmogorovSurvival(0)).toBe(1);
    expect(kolmogorovSurvival(-1)).toBe(1);
  });
});
