import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../core/test-support/seeded-random.js';
import { createVersionStats } from './version-stats.js';

describe('createVersionStats', () => {
  it('counts requests and errors exactly and summarises latency', () => {
    const stats = createVersionStats({ random: seededRandom(1) });
    stats.record('ok', 0.01, 0.9);
    stats.record('ok', 0.02, 0.1);
    stats.record('error', 0.5);
    const snapshot = stats.snapshot();
    expect(snapshot).toMatchObject({ requests: 3, errors: 1, predictions: 2, latencyP50: 0.02 });
    expect(snapshot.latencySamples.sort()).toEqual([0.01, 0.02, 0.5]);
    expect(snapshot.predictionSamples.sort()).toEqual([0.1, 0.9]);
    // The error's latency counts: p99 sits near the slow failure.
    expect(snapshot.latencyP99).toBeCloseTo(0.02 + 0.98 * 0.48, 12);
  });

  it('keeps memory bounded however much traffic it sees', () => {
    const stats = createVersionStats({ capacity: 2_000, random: seededRandom(2) });
    for (let i = 0; i < 100_000; i++) stats.record(i % 50 === 0 ? 'error' : 'ok', (i % 1_000) / 1_000, i % 2);
    const snapshot = stats.snapshot();
    expect(snapshot.requests).toBe(100_000);
    expect(snapshot.errors).toBe(2_000);
    expect(snapshot.predictions).toBe(100_000);
    expect(snapshot.latencySamples).toHaveLength(2_000);
    expect(snapshot.predictionSamples).toHaveLength(2_000);
    // Latencies are uniform on [0, 1): the sampled p50 lands near the middle.
    expect(Math.abs((snapshot.latencyP50 as number) - 0.5)).toBeLessThan(0.05);
  });

  it('leaves out predictions and latencies that are not finite numbers', () => {
    const stats = createVersionStats();
    stats.record('ok', Number.NaN, Number.NaN);
    stats.record('ok', -1, Infinity);
    expect(stats.snapshot()).toMatchObject({ requests: 2, latencySamples: [], predictionSamples: [], predictions: 0, latencyP99: null });
  });

  it('starts a new window on reset', () => {
    const stats = createVersionStats();
    stats.record('error', 0.1, 1);
    stats.reset();
    stats.record('ok', 0.2, 0);
    expect(stats.snapshot()).toMatchObject({ requests: 1, errors: 0, latencySamples: [0.2], predictionSamples: [0] });
  });

  it('produces a snapshot that survives JSON', () => {
    const stats = createVersionStats();
    stats.record('ok', 0.1, 1);
    const snapshot = stats.snapshot();
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
  });
});
