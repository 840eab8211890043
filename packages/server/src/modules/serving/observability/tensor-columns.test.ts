import { describe, expect, it } from 'vitest';
import { numberToHalfBits, type Tensor } from '../protocol/datatypes.js';
import { tensorColumns } from './tensor-columns.js';

describe('tensorColumns', () => {
  it('makes one column of a [rows] or [rows, 1] tensor, sharing its data', () => {
    const age: Tensor = { name: 'age', datatype: 'INT32', shape: [3], data: new Int32Array([30, 41, 52]) };
    const city: Tensor = { name: 'city', datatype: 'BYTES', shape: [3, 1], data: ['Oslo', 'Lima', 'Pune'] };
    const { columns, rows } = tensorColumns([age, city]);
    expect(rows).toBe(3);
    expect(columns.age).toBe(age.data);
    expect(columns.city).toEqual(['Oslo', 'Lima', 'Pune']);
  });

  it('splits a [rows, k] tensor into one column per feature', () => {
    const input: Tensor = { name: 'input', datatype: 'FP32', shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6]) };
    const { columns, rows } = tensorColumns([input]);
    expect(rows).toBe(2);
    expect(columns).toEqual({ 'input[0]': [1, 4], 'input[1]': [2, 5], 'input[2]': [3, 6] });
  });

  it('keeps each row of a higher-rank tensor as one value', () => {
    const image: Tensor = { name: 'image', datatype: 'UINT8', shape: [2, 2, 2], data: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) };
    expect(tensorColumns([image]).columns).toEqual({ image: [[1, 2, 3, 4], [5, 6, 7, 8]] });
  });

  it('converts FP16 bits to numbers and treats a scalar as one row', () => {
    const half: Tensor = { name: 'h', datatype: 'FP16', shape: [], data: new Uint16Array([numberToHalfBits(1.5)]) };
    expect(tensorColumns([half])).toEqual({ columns: { h: [1.5] }, rows: 1 });
    expect(tensorColumns([])).toEqual({ columns: {}, rows: 0 });
  });
});
