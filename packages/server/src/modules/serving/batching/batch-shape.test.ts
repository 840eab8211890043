import { describe, expect, it } from 'vitest';
import type { RuntimeTensor } from '../../../ports/inference-runtime.js';
import { batchShape, leadingRows } from './batch-shape.js';

const f32 = (dims: number[]): RuntimeTensor => ({ type: 'float32', dims, data: new Float32Array(dims.reduce((a, b) => a * b, 1)) });
const f64 = (dims: number[]): RuntimeTensor => ({ type: 'float64', dims, data: new Float64Array(dims.reduce((a, b) => a * b, 1)) });

describe('batchShape', () => {
  it('gives requests that differ only in dim 0 the same key, with their row counts', () => {
    const one = batchShape({ x: f32([1, 4]), ids: { type: 'int64', dims: [1], data: new BigInt64Array(1) } }, undefined);
    const three = batchShape({ ids: { type: 'int64', dims: [3], data: new BigInt64Array(3) }, x: f32([3, 4]) }, undefined);
    expect(one?.rows).toBe(1);
    expect(three?.rows).toBe(3);
    expect(one?.key).toBe(three?.key);
  });

  it('treats the same outputs listed in another order as the same request', () => {
    expect(batchShape({ x: f32([1, 4]) }, ['b', 'a'])?.key).toBe(batchShape({ x: f32([2, 4]) }, ['a', 'b'])?.key);
  });

  it('separates other input names, element types, trailing dims and requested outputs', () => {
    const base = batchShape({ x: f32([1, 4]) }, undefined)?.key;
    const others = [
      batchShape({ y: f32([1, 4]) }, undefined),
      batchShape({ x: f64([1, 4]) }, undefined),
      batchShape({ x: f32([1, 5]) }, undefined),
      batchShape({ x: f32([1, 2, 2]) }, undefined),
      batchShape({ x: f32([1, 4]) }, ['y']),
      batchShape({ x: f32([1, 4]) }, []),
      batchShape({ x: f32([1, 4]), z: f32([1, 4]) }, undefined),
    ].map((s) => s?.key);
    expect(others).not.toContain(base);
    expect(new Set(others).size).toBe(others.length);
  });

  it('marks requests that must run alone', () => {
    expect(batchShape({}, undefined)).toBeUndefined();
    expect(batchShape({ x: f32([]) }, undefined)).toBeUndefined();
    expect(batchShape({ x: f32([2, 4]), y: f32([3, 4]) }, undefined)).toBeUndefined();
    expect(batchShape({ x: { type: 'float32', dims: [2, 4], data: new Float32Array(7) } }, undefined)).toBeUndefined();
    expect(batchShape({ x: { type: 'float32', dims: [-1, 4], data: new Float32Array(4) } }, undefined)).toBeUndefined();
  });
});

describe('leadingRows', () => {
  it('is the first input\'s dim 0, or 1 without one', () => {
    expect(leadingRows({ x: f32([3, 4]) })).toBe(3);
    expect(leadingRows({ x: f32([]) })).toBe(1);
    expect(leadingRows({})).toBe(1);
  });
});
