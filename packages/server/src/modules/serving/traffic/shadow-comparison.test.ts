import { describe, expect, it } from 'vitest';
import { createShadowComparison, shouldMirror, type ShadowPair } from './shadow-comparison.js';
import { evenPredictions } from './test-support/canary-windows.js';
import { seededRandom } from '../../../core/test-support/seeded-random.js';

const pair = (primary: string | number, shadow: string | number | undefined, latencies: Partial<ShadowPair> = {}): ShadowPair => ({
  primary,
  shadow,
  shadowError: shadow === undefined,
  primaryLatencySeconds: 0.01,
  shadowLatencySeconds: 0.02,
  ...latencies,
});

describe('createShadowComparison', () => {
  it('measures label agreement by exact equality', () => {
    const comparison = createShadowComparison();
    [pair('cat', 'cat'), pair('cat', 'dog'), pair('dog', 'dog')].forEach((p) => comparison.record(p));
    expect(comparison.snapshot().labels).toEqual({ compared: 3, agreed: 2, agreementRate: 2 / 3 });
    expect(comparison.snapshot().numeric).toMatchObject({ compared: 0, agreementRate: null, meanAbsoluteDifference: null, ksStatistic: null });
  });

  it('measures numeric agreement within a tolerance, and the mean absolute difference', () => {
    const comparison = createShadowComparison();
    [pair(0.5, 0.5000001), pair(0.5, 0.6), pair(2, 2)].forEach((p) => comparison.record(p));
    const { numeric } = comparison.snapshot();
    expect(numeric).toMatchObject({ compared: 3, tolerance: 1e-6, withinTolerance: 2 });
    expect(numeric.agreementRate).toBeCloseTo(2 / 3, 12);
    expect(numeric.meanAbsoluteDifference).toBeCloseTo((1e-7 + 0.1) / 3, 12);

    const loose = createShadowComparison({ tolerance: 0.25 });
    [pair(0.5, 0.6), pair(0.5, 0.75), pair(0.5, 0.76)].forEach((p) => loose.record(p));
    expect(loose.snapshot().numeric.withinTolerance).toBe(2);
  });

  it('counts a label against a number as a disagreement', () => {
    const comparison = createShadowComparison();
    comparison.record(pair(1, '1'));
    expect(comparison.snapshot()).toMatchObject({ labels: { compared: 1, agreed: 0 }, numeric: { compared: 0 } });
  });

  it('counts shadow errors and leaves them out of the agreement', () => {
    const comparison = createShadowComparison();
    [pair('a', 'a'), pair('a', undefined), pair('a', 'a', { shadowError: true })].forEach((p) => comparison.record(p));
    expect(comparison.snapshot()).toMatchObject({ mirrored: 3, shadowErrors: 2, labels: { compared: 1, agreed: 1, agreementRate: 1 } });
  });

  it('measures the distance between the two prediction distributions', () => {
    const comparison = createShadowComparison({ random: seededRandom(5) });
    const primary = evenPredictions(500);
    const shadow = evenPredictions(500, 0.2, 1.2);
    primary.forEach((p, i) => comparison.record(pair(p, shadow[i])));
    const { numeric } = comparison.snapshot();
    // A shift of 0.2 on a grid of 1/500.
    expect(numeric.ksStatistic).toBeGreaterThanOrEqual(0.2);
    expect(numeric.ksStatistic).toBeLessThanOrEqual(0.202 + 1e-12);
    expect(numeric.ksPValue).toBeLessThan(1e-6);
    expect(numeric.meanAbsoluteDifference).toBeCloseTo(0.2, 12);
  });

  it('compares shadow latency with the primary', () => {
    const comparison = createShadowComparison();
    for (let i = 1; i <= 100; i++) comparison.record(pair('a', 'a', { primaryLatencySeconds: i / 1_000, shadowLatencySeconds: i / 500 }));
    const { latency } = comparison.snapshot();
    expect(latency.primary.p50).toBeCloseTo(0.0505, 12);
    expect(latency.primary.p99).toBeCloseTo(0.09901, 12);
    expect(latency.shadow.p50).toBeCloseTo(0.101, 12);
    expect(latency.p99Ratio).toBeCloseTo(2, 12);
  });

  it('reports nulls before anything was mirrored, and starts over on reset', () => {
    const empty = createShadowComparison().snapshot();
    expect(empty).toMatchObject({ mirrored: 0, labels: { agreementRate: null }, latency: { primary: { p99: null }, p99Ratio: null } });

    const comparison = createShadowComparison();
    comparison.record(pair(1, 2));
    comparison.reset();
    expect(comparison.snapshot()).toEqual(empty);
  });

  it('produces a snapshot that survives JSON', () => {
    const comparison = createShadowComparison();
    [pair(0.1, 0.2), pair('x', 'y'), pair('x', undefined)].forEach((p) => comparison.record(p));
    const snapshot = comparison.snapshot();
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
  });
});

describe('shouldMirror', () => {
  it('mirrors the given share of requests', () => {
    const random = seededRandom(11);
    let mirrored = 0;
    for (let i = 0; i < 100_000; i++) if (shouldMirror(10, random)) mirrored++;
    // Five standard deviations of 10% over 100,000 draws is under half a point.
    expect(Math.abs(mirrored / 100_000 - 0.1)).toBeLessThan(0.005);
  });

  it('never mirrors at 0% and always at 100%', () => {
    expect(shouldMirror(0, () => 0)).toBe(false);
    expect(shouldMirror(100, () => 0.999999)).toBe(true);
    expect(shouldMirror(25, () => 0.2499)).toBe(true);
    expect(shouldMirror(25, () => 0.25)).toBe(false);
  });
});
