import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { collectTag, formatDuration, formatTime, parseDuration, parseList, parsePositiveInt } from './values.js';

describe('formatTime', () => {
  it('accepts numbers and int64 strings', () => {
    expect(formatTime(1_700_000_000_000)).toBe('2023-11-14T22:13:20Z');
    expect(formatTime('1700000000000')).toBe('2023-11-14T22:13:20Z');
    expect(formatTime(undefined)).toBe('');
  });
});

describe('formatDuration', () => {
  it('picks a readable unit', () => {
    expect(formatDuration(0, 4_200)).toBe('4.2s');
    expect(formatDuration(0, 185_000)).toBe('3m05s');
    expect(formatDuration('0', '3720000')).toBe('1h02m');
    expect(formatDuration(0, undefined)).toBe('');
  });
});

describe('argument parsers', () => {
  it('parses positive integers only', () => {
    expect(parsePositiveInt('25')).toBe(25);
    expect(() => parsePositiveInt('0')).toThrow(InvalidArgumentError);
    expect(() => parsePositiveInt('2.5')).toThrow(InvalidArgumentError);
  });

  it('collects key=value tags, keeping = in values', () => {
    expect(collectTag('b=x=y', collectTag('a=1'))).toEqual([
      { key: 'a', value: '1' },
      { key: 'b', value: 'x=y' },
    ]);
    expect(() => collectTag('novalue')).toThrow(InvalidArgumentError);
  });
});

describe('token option parsers', () => {
  it('parses durations with a unit', () => {
    expect(parseDuration('90m')).toBe(90 * 60_000);
    expect(parseDuration('30d')).toBe(30 * 86_400_000);
    expect(parseDuration('2w')).toBe(14 * 86_400_000);
    for (const bad of ['30', '0d', '1.5h', '-1h', '3y', '']) expect(() => parseDuration(bad)).toThrow(InvalidArgumentError);
  });

  it('splits comma-separated lists, dropping blanks', () => {
    expect(parseList('a, b,,c')).toEqual(['a', 'b', 'c']);
    expect(() => parseList(' , ')).toThrow(InvalidArgumentError);
  });
});
