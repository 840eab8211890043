import { LOG_BATCH_LIMITS, type Metric } from '@capstan/contracts';
import { describe, expect, it } from 'vitest';
import { isFull, splitIntoBatches, type BatchItems } from './batch-chunker.js';

const metrics = (n: number): Metric[] => Array.from({ length: n }, (_, i) => ({ key: 'loss', value: i, timestamp: 1, step: i }));
const kv = (prefix: string, n: number, valueBytes = 3) =>
  Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, value: 'v'.repeat(valueBytes) }));

function expectWithinLimits(batches: BatchItems[]) {
  for (const b of batches) {
    expect(b.metrics.length).toBeLessThanOrEqual(LOG_BATCH_LIMITS.maxMetrics);
    expect(b.params.length).toBeLessThanOrEqual(LOG_BATCH_LIMITS.maxParams);
    expect(b.tags.length).toBeLessThanOrEqual(LOG_BATCH_LIMITS.maxTags);
    expect(b.metrics.length + b.params.length + b.tags.length).toBeLessThanOrEqual(LOG_BATCH_LIMITS.maxTotal);
    const bytes = Buffer.byteLength(JSON.stringify({ run_id: 'x'.repeat(32), ...b }));
    expect(bytes).toBeLessThanOrEqual(LOG_BATCH_LIMITS.maxRequestBytes);
  }
}

describe('splitIntoBatches', () => {
  it('returns nothing for nothing', () => {
    expect(splitIntoBatches({ metrics: [], params: [], tags: [] })).toEqual([]);
  });

  it('respects per-kind and total counts and keeps each kind in order', () => {
    const items = { metrics: metrics(2500), params: kv('p', 150), tags: kv('t', 120) };
    const batches = splitIntoBatches(items);
    expectWithinLimits(batches);
    expect(batches.map((b) => [b.params.length, b.tags.length, b.metrics.length])).toEqual([
      [100, 100, 800],
      [50, 20, 930],
      [0, 0, 770],
    ]);
    expect(batches.flatMap((b) => b.metrics)).toEqual(items.metrics);
    expect(batches.flatMap((b) => b.params)).toEqual(items.params);
    expect(batches.flatMap((b) => b.tags)).toEqual(items.tags);
  });

  it('splits by serialised size when values are large', () => {
    const items = { metrics: metrics(10), params: kv('p', 100, 6000), tags: kv('t', 100, 5000) };
    const batches = splitIntoBatches(items);
    expect(batches.length).toBeGreaterThan(1);
    expectWithinLimits(batches);
    expect(batches.flatMap((b) => b.tags)).toEqual(items.tags);
  });

  it('sends an oversized item alone instead of dropping it', () => {
    const huge = { key: 'big', value: 'x'.repeat(LOG_BATCH_LIMITS.maxRequestBytes) };
    const batches = splitIntoBatches({ metrics: [], params: [kv('p', 1)[0]!, huge], tags: [] });
    expect(batches.map((b) => b.params.map((p) => p.key))).toEqual([['p0'], ['big']]);
  });
});

describe('isFull', () => {
  it('reports a full request by count or size', () => {
    expect(isFull({ metrics: metrics(999), params: [], tags: [] }, 0)).toBe(false);
    expect(isFull({ metrics: metrics(1000), params: [], tags: [] }, 0)).toBe(true);
    expect(isFull({ metrics: [], params: kv('p', 100), tags: [] }, 0)).toBe(true);
    expect(isFull({ metrics: metrics(900), params: kv('p', 50), tags: kv('t', 50) }, 0)).toBe(true);
    expect(isFull({ metrics: [], params: [], tags: [] }, LOG_BATCH_LIMITS.maxRequestBytes)).toBe(true);
  });
});
