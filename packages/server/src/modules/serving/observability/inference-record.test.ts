import { describe, expect, it } from 'vitest';
import { encodeColumns } from './inference-record.js';

describe('encodeColumns', () => {
  it('writes typed arrays as JSON lists', () => {
    expect(encodeColumns({ x: new Float32Array([0.5, 1.5]), y: new Int32Array([1, -2]), s: ['a', 'b'] })).toBe('{"x":[0.5,1.5],"y":[1,-2],"s":["a","b"]}');
  });

  it('writes safe BigInts as numbers and larger ones as exact decimal strings', () => {
    const big = 2n ** 53n + 1n;
    expect(JSON.parse(encodeColumns({ id: new BigInt64Array([7n, -(2n ** 53n - 1n), big]) }))).toEqual({ id: [7, -(2 ** 53 - 1), '9007199254740993'] });
    expect(JSON.parse(encodeColumns({ id: [2n ** 64n - 1n] }))).toEqual({ id: ['18446744073709551615'] });
  });

  it('keeps non-finite floats distinguishable instead of turning them into null', () => {
    expect(JSON.parse(encodeColumns({ x: new Float64Array([Number.NaN, Infinity, -Infinity, 1]) }))).toEqual({ x: ['NaN', 'Infinity', '-Infinity', 1] });
  });

  it('encodes nested rows of typed arrays', () => {
    expect(encodeColumns({ image: [new Uint8Array([1, 2]), new Uint8Array([3, 4])] })).toBe('{"image":[[1,2],[3,4]]}');
  });
});
