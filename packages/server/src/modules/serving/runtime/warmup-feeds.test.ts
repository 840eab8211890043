import { describe, expect, it } from 'vitest';
import { warmupFeeds } from './warmup-feeds.js';

describe('warmupFeeds', () => {
  it('builds one row of zeros, variable dimensions as 1', () => {
    const feeds = warmupFeeds([
      { name: 'input', type: 'float32', shape: ['N', 4] },
      { name: 'ids', type: 'int64', shape: [-1, 2, 'seq'] },
      { name: 'mask', type: 'bool', shape: [3] },
    ]);
    expect(feeds['input']).toEqual({ type: 'float32', dims: [1, 4], data: new Float32Array(4) });
    expect(feeds['ids']).toEqual({ type: 'int64', dims: [1, 2, 1], data: new BigInt64Array(2) });
    expect(feeds['mask']).toEqual({ type: 'bool', dims: [3], data: new Uint8Array(3) });
  });

  it('uses empty strings for string inputs and keeps a declared zero dimension', () => {
    const feeds = warmupFeeds([
      { name: 'text', type: 'string', shape: ['batch', 2] },
      { name: 'empty', type: 'float64', shape: [0, 3] },
    ]);
    expect(feeds['text']).toEqual({ type: 'string', dims: [1, 2], data: ['', ''] });
    expect(feeds['empty']).toEqual({ type: 'float64', dims: [0, 3], data: new Float64Array(0) });
  });

  it('builds a scalar for an input with no dimensions', () => {
    expect(warmupFeeds([{ name: 's', type: 'int32', shape: [] }])['s']).toEqual({ type: 'int32', dims: [], data: new Int32Array(1) });
  });

  it('refuses inputs no feed can be built for', () => {
    expect(() => warmupFeeds([{ name: 'm', type: 'non-tensor', shape: [] }])).toThrow(/"m" has type non-tensor/);
    expect(() => warmupFeeds([{ name: 'q', type: 'uint4', shape: [2] }])).toThrow(/uint4/);
  });
});
