import { describe, expect, it } from 'vitest';
import { isSampled } from './sample-request.js';

const IDS = Array.from({ length: 20_000 }, (_, i) => `req-${i}`);

describe('request sampling', () => {
  it('gives the same answer for the same request id every time', () => {
    const first = IDS.map((id) => isSampled(id, 0.3));
    expect(IDS.map((id) => isSampled(id, 0.3))).toEqual(first);
  });

  it('keeps about the asked share of requests', () => {
    for (const rate of [0.01, 0.1, 0.5, 0.9]) {
      const share = IDS.filter((id) => isSampled(id, rate)).length / IDS.length;
      expect(Math.abs(share - rate)).toBeLessThan(0.02);
    }
  });

  it('keeps everything at 1 and nothing at 0', () => {
    expect(IDS.every((id) => isSampled(id, 1))).toBe(true);
    expect(IDS.some((id) => isSampled(id, 0))).toBe(false);
  });

  it('only adds requests as the rate grows, so a higher rate keeps every request a lower one kept', () => {
    const low = IDS.filter((id) => isSampled(id, 0.1));
    expect(low.every((id) => isSampled(id, 0.5))).toBe(true);
  });
});
