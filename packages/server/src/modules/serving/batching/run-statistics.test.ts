import { describe, expect, it } from 'vitest';
import { RunStatistics } from './run-statistics.js';

describe('RunStatistics', () => {
  it('asks for at least one second before any run is known', () => {
    expect(new RunStatistics().retryAfterSeconds(100, 1)).toBe(1);
  });

  it('estimates the time to work through the waiting requests from recent runs', () => {
    const stats = new RunStatistics();
    stats.record(1, 2);
    // 4 waiting, one request per run, 2 runs at once: 2 rounds, plus the round in flight, of 2 s.
    expect(stats.retryAfterSeconds(4, 2)).toBe(6);
    // Batches of 4 work through the same queue in one round.
    stats.record(4, 2);
    stats.record(4, 2);
    expect(stats.retryAfterSeconds(4, 2)).toBeLessThan(6);
  });

  it('follows recent runs more than old ones', () => {
    const stats = new RunStatistics();
    stats.record(1, 10);
    for (let i = 0; i < 30; i++) stats.record(1, 0.1);
    expect(stats.retryAfterSeconds(1, 1)).toBe(1);
  });
});
