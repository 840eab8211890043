import { describe, expect, it } from 'vitest';
import { durationSeconds } from './durations.js';

describe('durationSeconds', () => {
  it.each([
    [0, 0],
    [3600, 3600],
    ['90s', 90],
    ['15m', 900],
    ['2h', 7200],
    ['1d', 86_400],
    ['1w', 604_800],
    [' 3 h ', 10_800],
  ] as const)('reads %j as %i seconds', (value, seconds) => {
    expect(durationSeconds(value, 'ttl')).toBe(seconds);
  });

  it.each([-1, 1.5, Number.NaN, '90', '1y', '1h30m', '', 'h', null, true])('refuses %j, naming the field', (value) => {
    expect(() => durationSeconds(value, 'feature view v: ttl')).toThrow(/^feature view v: ttl: expected/);
  });
});
