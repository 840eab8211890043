import { describe, expect, it } from 'vitest';
import { stableHashPercent } from './stable-hash.js';

describe('stableHashPercent', () => {
  // FNV-1a over UTF-16 code units then MurmurHash3's finaliser, checked with an independent Python
  // implementation. Changing these values moves every sticky caller of every deployment at once.
  it.each([
    ['user-1', '46.703404'],
    ['', '66.892219'],
    ['é-ünïcode', '64.349813'],
  ])('places %j at %s', (key, expected) => {
    expect(stableHashPercent(key).toFixed(6)).toBe(expected);
  });

  it('stays in [0, 100) and spreads neighbouring keys evenly over it', () => {
    const positions = Array.from({ length: 10_000 }, (_, i) => stableHashPercent(`user-${i}`));
    expect(Math.min(...positions)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...positions)).toBeLessThan(100);
    const buckets = new Array<number>(10).fill(0);
    for (const p of positions) {
      const bucket = Math.floor(p / 10);
      buckets[bucket] = (buckets[bucket] as number) + 1;
    }
    // 1,000 expected per bucket; five standard deviations is 150.
    for (const count of buckets) expect(Math.abs(count - 1_000)).toBeLessThan(150);
  });
});
