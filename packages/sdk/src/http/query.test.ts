import { describe, expect, it } from 'vitest';
import { encodePathSegments, encodeQuery, fillPath } from './query.js';

describe('encodeQuery', () => {
  it('repeats the key for list fields and skips absent ones', () => {
    const query = encodeQuery({ run_ids: ['a', 'b'], metric_key: 'loss', max_results: 10, start_step: undefined });
    expect(query).toBe('run_ids=a&run_ids=b&metric_key=loss&max_results=10');
  });

  it('percent-encodes values', () => {
    expect(encodeQuery({ experiment_name: 'my exp/π&x' })).toBe('experiment_name=my+exp%2F%CF%80%26x');
  });

  it('refuses nested objects', () => {
    expect(() => encodeQuery({ tags: [{ key: 'a' }] })).toThrow(TypeError);
  });
});

describe('fillPath', () => {
  it('fills path parameters and returns the remaining fields', () => {
    const { path, rest } = fillPath('/logged-models/{model_id}/tags/{tag_key}', { model_id: 'm-1', tag_key: 'a b', extra: 1 });
    expect(path).toBe('/logged-models/m-1/tags/a%20b');
    expect(rest).toEqual({ extra: 1 });
  });

  it('requires every path parameter', () => {
    expect(() => fillPath('/logged-models/{model_id}', {})).toThrow(/model_id/);
  });
});

describe('encodePathSegments', () => {
  it('keeps slashes and encodes each segment', () => {
    expect(encodePathSegments('/1/abc/artifacts/dir x/f#1.txt')).toBe('1/abc/artifacts/dir%20x/f%231.txt');
  });
});
