import { describe, expect, it } from 'vitest';
import { indexPath, nestRowMajor, readNestedArray } from './nested-arrays.js';
import { expectBadRequest } from './test-support/expect-bad-request.js';

describe('readNestedArray', () => {
  it('reads the shape from the nesting and the elements row-major', () => {
    expect(readNestedArray([[[1, 2], [3, 4]], [[5, 6], [7, 8]]], 'x')).toEqual({ shape: [2, 2, 2], flat: [1, 2, 3, 4, 5, 6, 7, 8] });
    expect(readNestedArray(['a', 'b'], 'x')).toEqual({ shape: [2], flat: ['a', 'b'] });
    expect(readNestedArray([[], []], 'x')).toEqual({ shape: [2, 0], flat: [] });
    expect(readNestedArray([], 'x')).toEqual({ shape: [0], flat: [] });
  });

  it('reads very deep nesting without recursion', () => {
    let deep: unknown[] = [1];
    for (let i = 0; i < 20_000; i += 1) deep = [deep];
    const { shape, flat } = readNestedArray(deep, 'x');
    expect(shape).toHaveLength(20_001);
    expect(flat).toEqual([1]);
  });

  it('rejects ragged lists, naming the element that differs', () => {
    expectBadRequest(
      () => readNestedArray([[1, 2], [3]], "input 'x'"),
      "input 'x': element [1] has 1 entries where element [0] has 2; ragged lists are not a tensor",
    );
    expectBadRequest(
      () => readNestedArray([[[1], [2]], [[3], [4, 5]]], "input 'x'"),
      "input 'x': element [1][1] has 2 entries where element [0][0] has 1; ragged lists are not a tensor",
    );
    expectBadRequest(
      () => readNestedArray([[1, 2], 3], "input 'x'"),
      "input 'x': element [1] is the number 3 where element [0] is a list; the lists must nest evenly",
    );
    expectBadRequest(
      () => readNestedArray([1, [2]], "input 'x'"),
      "input 'x': element [1] is a list where element [0] is the number 1; the lists must nest evenly",
    );
  });
});

describe('indexPath', () => {
  it('unravels a flat index over the enclosing dimensions', () => {
    expect(indexPath(5, [2, 3])).toBe('[1][2]');
    expect(indexPath(0, [4])).toBe('[0]');
    expect(indexPath(3, [])).toBe('');
  });
});

describe('nestRowMajor', () => {
  it('nests a flat buffer by shape, innermost dimension first', () => {
    expect(nestRowMajor([1, 2, 3, 4, 5, 6], [2, 3])).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(nestRowMajor([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2])).toEqual([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
    expect(nestRowMajor([1, 2, 3], [3])).toEqual([1, 2, 3]);
    expect(nestRowMajor([7], [])).toBe(7);
  });

  it('keeps zero-sized dimensions', () => {
    expect(nestRowMajor([], [2, 0])).toEqual([[], []]);
    expect(nestRowMajor([], [0, 3])).toEqual([]);
  });
});
