import { describe, expect, it } from 'vitest';
import type { RuntimeTensor } from '../../../ports/inference-runtime.js';
import { concatRows, rowLength, splitRows } from './row-tensors.js';

const f32 = (dims: number[], values: number[]): RuntimeTensor => ({ type: 'float32', dims, data: Float32Array.from(values) });

describe('rowLength', () => {
  it('is the product of the dimensions after the first', () => {
    expect(rowLength([5, 2, 3])).toBe(6);
    expect(rowLength([5])).toBe(1);
    expect(rowLength([])).toBe(1);
  });
});

describe('concatRows', () => {
  it('joins typed arrays row after row into one new array of the same type', () => {
    const a = f32([1, 2], [1, 2]);
    const b = f32([2, 2], [3, 4, 5, 6]);
    const joined = concatRows([a, b]);
    expect(joined.type).toBe('float32');
    expect(joined.dims).toEqual([3, 2]);
    expect(joined.data).toBeInstanceOf(Float32Array);
    expect([...joined.data]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('joins int64, bool and string tensors', () => {
    const ids = concatRows([
      { type: 'int64', dims: [1], data: BigInt64Array.from([1n]) },
      { type: 'int64', dims: [2], data: BigInt64Array.from([2n, -3n]) },
    ]);
    expect(ids).toEqual({ type: 'int64', dims: [3], data: BigInt64Array.from([1n, 2n, -3n]) });
    const flags = concatRows([
      { type: 'bool', dims: [1, 1], data: Uint8Array.from([1]) },
      { type: 'bool', dims: [1, 1], data: Uint8Array.from([0]) },
    ]);
    expect(flags).toEqual({ type: 'bool', dims: [2, 1], data: Uint8Array.from([1, 0]) });
    const words = concatRows([
      { type: 'string', dims: [2], data: ['a', 'b'] },
      { type: 'string', dims: [1], data: ['c'] },
    ]);
    expect(words).toEqual({ type: 'string', dims: [3], data: ['a', 'b', 'c'] });
  });
});

describe('splitRows', () => {
  it('cuts every output into pieces of each request\'s rows, as views on the batch', () => {
    const scores = f32([4, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    const labels: RuntimeTensor = { type: 'int64', dims: [4], data: BigInt64Array.from([0n, 1n, 2n, 3n]) };
    const names: RuntimeTensor = { type: 'string', dims: [4, 1], data: ['w', 'x', 'y', 'z'] };
    const pieces = splitRows({ scores, labels, names }, [1, 3]);
    expect(pieces).toEqual([
      {
        scores: f32([1, 2], [1, 2]),
        labels: { type: 'int64', dims: [1], data: BigInt64Array.from([0n]) },
        names: { type: 'string', dims: [1, 1], data: ['w'] },
      },
      {
        scores: f32([3, 2], [3, 4, 5, 6, 7, 8]),
        labels: { type: 'int64', dims: [3], data: BigInt64Array.from([1n, 2n, 3n]) },
        names: { type: 'string', dims: [3, 1], data: ['x', 'y', 'z'] },
      },
    ]);
    const piece = pieces?.[1].scores.data;
    expect(piece instanceof Float32Array && scores.data instanceof Float32Array && piece.buffer === scores.data.buffer).toBe(true);
  });

  it('gives a request of zero rows empty outputs', () => {
    const pieces = splitRows({ y: f32([2], [1, 2]) }, [0, 2]);
    expect(pieces?.map((p) => p.y.dims)).toEqual([[0], [2]]);
    expect(pieces?.[0].y.data.length).toBe(0);
  });

  it('refuses outputs that are not one row per input row', () => {
    expect(splitRows({ total: f32([1], [10]) }, [1, 2])).toBeUndefined();
    expect(splitRows({ total: f32([], [10]) }, [1, 2])).toBeUndefined();
    // dim 0 matches but the data does not: cutting by dims would misattribute elements.
    expect(splitRows({ y: f32([3, 2], [1, 2, 3]) }, [1, 2])).toBeUndefined();
    // One good output does not save a bad one.
    expect(splitRows({ y: f32([3], [1, 2, 3]), total: f32([1], [6]) }, [1, 2])).toBeUndefined();
  });
});
