import { describe, expect, it } from 'vitest';
import {
  ELEMENT_BYTE_SIZE,
  OIP_DATATYPES,
  fromMlflowColumnType,
  fromNumpyDtype,
  fromOnnxType,
  halfBitsToNumber,
  isOipDatatype,
  littleEndianBytesOf,
  numberToHalfBits,
  toNumpyDtype,
  toOnnxType,
  typedArrayFromLittleEndian,
} from './datatypes.js';

describe('OIP datatypes', () => {
  it('knows exactly the thirteen spec datatypes, case-sensitively', () => {
    expect(OIP_DATATYPES).toHaveLength(13);
    expect(isOipDatatype('FP32')).toBe(true);
    expect(isOipDatatype('fp32')).toBe(false);
    expect(isOipDatatype('BF16')).toBe(false);
    expect(isOipDatatype(3)).toBe(false);
  });

  it('gives the spec table of element sizes', () => {
    expect(ELEMENT_BYTE_SIZE).toEqual({
      BOOL: 1, UINT8: 1, UINT16: 2, UINT32: 4, UINT64: 8, INT8: 1, INT16: 2, INT32: 4, INT64: 8, FP16: 2, FP32: 4, FP64: 8,
    });
  });

  it('maps every datatype to an onnxruntime type and back', () => {
    for (const d of OIP_DATATYPES) expect(fromOnnxType(toOnnxType(d))).toBe(d);
    expect(toOnnxType('FP16')).toBe('float16');
    expect(toOnnxType('BYTES')).toBe('string');
    expect(fromOnnxType('bfloat16')).toBeUndefined();
  });

  it('maps every datatype to a NumPy dtype name and back, with str/object/bytes as BYTES', () => {
    for (const d of OIP_DATATYPES) expect(fromNumpyDtype(toNumpyDtype(d))).toBe(d);
    expect(toNumpyDtype('FP32')).toBe('float32');
    expect(toNumpyDtype('INT64')).toBe('int64');
    expect(toNumpyDtype('BYTES')).toBe('object');
    expect(fromNumpyDtype('str')).toBe('BYTES');
    expect(fromNumpyDtype('bytes')).toBe('BYTES');
    expect(fromNumpyDtype('complex64')).toBeUndefined();
  });

  it('maps MLflow column types', () => {
    expect(fromMlflowColumnType('double')).toBe('FP64');
    expect(fromMlflowColumnType('long')).toBe('INT64');
    expect(fromMlflowColumnType('integer')).toBe('INT32');
    expect(fromMlflowColumnType('boolean')).toBe('BOOL');
    expect(fromMlflowColumnType('string')).toBe('BYTES');
    expect(fromMlflowColumnType('datetime')).toBeUndefined();
  });
});

describe('IEEE half precision', () => {
  it.each([
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [0.5, 0x3800],
    [65504, 0x7bff],
    [65519, 0x7bff],
    [65520, 0x7c00],
    [Infinity, 0x7c00],
    [-Infinity, 0xfc00],
    [2 ** -14, 0x0400],
    [2 ** -24, 0x0001],
    [2 ** -25, 0x0000], // tie between 0 and the smallest subnormal: even wins
    [1.5 * 2 ** -25, 0x0001],
    [0.1, 0x2e66],
    [1 / 3, 0x3555],
    [1 + 2 ** -11, 0x3c00], // tie: rounds to the even significand
    [1 + 3 * 2 ** -11, 0x3c02],
    [2047.5, 0x6800], // tie that carries into the exponent
    [2047, 0x67ff],
    [-3.140625, 0xc248],
  ])('%d -> 0x%s', (value, bits) => {
    expect(numberToHalfBits(value)).toBe(bits);
  });

  it('encodes NaN as the canonical quiet NaN and decodes any NaN pattern as NaN', () => {
    expect(numberToHalfBits(NaN)).toBe(0x7e00);
    expect(halfBitsToNumber(0x7e00)).toBeNaN();
    expect(halfBitsToNumber(0xfc01)).toBeNaN();
  });

  it('round-trips every one of the 65536 bit patterns except NaNs', () => {
    const mismatches: number[] = [];
    for (let bits = 0; bits < 0x10000; bits++) {
      const isNaN = (bits & 0x7c00) === 0x7c00 && (bits & 0x3ff) !== 0;
      if (!isNaN && numberToHalfBits(halfBitsToNumber(bits)) !== bits) mismatches.push(bits);
    }
    expect(mismatches).toEqual([]);
  });
});

describe('little-endian byte views', () => {
  it('reads unaligned little-endian bytes into a typed array', () => {
    const body = new Uint8Array([9, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
    expect(Array.from(typedArrayFromLittleEndian('INT32', body.subarray(1)))).toEqual([1, -1]);
    const big = typedArrayFromLittleEndian('UINT64', new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0x80]));
    expect(big[0]).toBe(2n ** 63n + 1n);
  });

  it('writes the bytes it reads', () => {
    const data = new Float64Array([1.5, -2.25, Math.PI]);
    const back = typedArrayFromLittleEndian('FP64', littleEndianBytesOf(data));
    expect(Array.from(back)).toEqual(Array.from(data));
    expect(Array.from(littleEndianBytesOf(new Uint16Array([0x0102])))).toEqual([2, 1]);
  });
});
