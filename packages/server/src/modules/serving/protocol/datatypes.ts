/**
 * The Open Inference Protocol's tensor datatypes and how Capstan holds each in memory.
 *
 * Representation decisions (the decoder produces these, the encoder consumes them):
 * - Fixed-size numbers live in the typed array of their width, so a tensor goes to onnxruntime
 *   without another copy.
 * - INT64 / UINT64 are BigInt64Array / BigUint64Array. A JSON number is accepted only when it is a
 *   safe integer (|x| <= 2^53 - 1): beyond that JSON.parse has already rounded it, so the server
 *   cannot know the value the client meant. Exact large values come as `bigint` (from a
 *   bigint-aware parser) or through the binary tensor data extension.
 * - FP16 is a Uint16Array of raw IEEE 754 half-precision bits (what onnxruntime's float16 tensor
 *   takes on Node 20, which has no Float16Array); `numberToHalfBits`/`halfBitsToNumber` convert.
 * - BOOL is boolean[]; on the binary wire it is one byte, 0 or 1.
 * - BYTES is string[] (UTF-8); on the binary wire each element is a 4-byte little-endian length
 *   followed by that many bytes.
 */

export const OIP_DATATYPES = [
  'BOOL',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FP16',
  'FP32',
  'FP64',
  'BYTES',
] as const;

export type OipDatatype = (typeof OIP_DATATYPES)[number];
export type FixedSizeDatatype = Exclude<OipDatatype, 'BYTES'>;
export type NumericDatatype = Exclude<OipDatatype, 'BYTES' | 'BOOL'>;

const DATATYPE_SET: ReadonlySet<string> = new Set(OIP_DATATYPES);

export function isOipDatatype(value: unknown): value is OipDatatype {
  return typeof value === 'string' && DATATYPE_SET.has(value);
}

/** In-memory form of each datatype's elements (see the header comment for why). */
export interface TensorDataByDatatype {
  BOOL: boolean[];
  UINT8: Uint8Array;
  UINT16: Uint16Array;
  UINT32: Uint32Array;
  UINT64: BigUint64Array;
  INT8: Int8Array;
  INT16: Int16Array;
  INT32: Int32Array;
  INT64: BigInt64Array;
  FP16: Uint16Array;
  FP32: Float32Array;
  FP64: Float64Array;
  BYTES: string[];
}

export type NumericTensorData = TensorDataByDatatype[NumericDatatype];
export type TensorData = TensorDataByDatatype[OipDatatype];

/**
 * A named tensor whose `data` type follows its `datatype`, so a `switch (t.datatype)` narrows
 * `t.data`. `data` is flat, row-major, and holds exactly product(shape) elements.
 */
export type Tensor = {
  [D in OipDatatype]: { name: string; datatype: D; shape: number[]; data: TensorDataByDatatype[D] };
}[OipDatatype];

/** Bytes per element on the binary wire (the spec's table); BYTES is variable-length. */
export const ELEMENT_BYTE_SIZE: Readonly<Record<FixedSizeDatatype, number>> = {
  BOOL: 1,
  UINT8: 1,
  UINT16: 2,
  UINT32: 4,
  UINT64: 8,
  INT8: 1,
  INT16: 2,
  INT32: 4,
  INT64: 8,
  FP16: 2,
  FP32: 4,
  FP64: 8,
};

type TypedArrayConstructor<T> = { new (length: number): T; readonly BYTES_PER_ELEMENT: number };

export const TYPED_ARRAY_OF: { readonly [D in NumericDatatype]: TypedArrayConstructor<TensorDataByDatatype[D]> } = {
  UINT8: Uint8Array,
  UINT16: Uint16Array,
  UINT32: Uint32Array,
  UINT64: BigUint64Array,
  INT8: Int8Array,
  INT16: Int16Array,
  INT32: Int32Array,
  INT64: BigInt64Array,
  FP16: Uint16Array,
  FP32: Float32Array,
  FP64: Float64Array,
};

export function isNumericDatatype(datatype: OipDatatype): datatype is NumericDatatype {
  return datatype !== 'BOOL' && datatype !== 'BYTES';
}

/** Integer datatypes held as JS numbers, with their inclusive ranges. */
export const SMALL_INTEGER_RANGE: Readonly<Record<'UINT8' | 'UINT16' | 'UINT32' | 'INT8' | 'INT16' | 'INT32', readonly [number, number]>> = {
  UINT8: [0, 0xff],
  UINT16: [0, 0xffff],
  UINT32: [0, 0xffffffff],
  INT8: [-0x80, 0x7f],
  INT16: [-0x8000, 0x7fff],
  INT32: [-0x80000000, 0x7fffffff],
};

export const BIG_INTEGER_RANGE: Readonly<Record<'UINT64' | 'INT64', readonly [bigint, bigint]>> = {
  UINT64: [0n, 2n ** 64n - 1n],
  INT64: [-(2n ** 63n), 2n ** 63n - 1n],
};

// --- onnxruntime tensor type names (Tensor.type in onnxruntime-node) ---

const ONNX_OF: Readonly<Record<OipDatatype, string>> = {
  BOOL: 'bool',
  UINT8: 'uint8',
  UINT16: 'uint16',
  UINT32: 'uint32',
  UINT64: 'uint64',
  INT8: 'int8',
  INT16: 'int16',
  INT32: 'int32',
  INT64: 'int64',
  FP16: 'float16',
  FP32: 'float32',
  FP64: 'float64',
  BYTES: 'string',
};
const FROM_ONNX = new Map(Object.entries(ONNX_OF).map(([oip, onnx]) => [onnx, oip as OipDatatype]));

export function toOnnxType(datatype: OipDatatype): string {
  return ONNX_OF[datatype];
}

/** undefined for onnxruntime types OIP cannot carry (bfloat16, int4, float8 variants...). */
export function fromOnnxType(onnxType: string): OipDatatype | undefined {
  return FROM_ONNX.get(onnxType);
}

// --- NumPy dtype names as MLflow tensor signatures write them (np.dtype(...).name) ---

const NUMPY_OF: Readonly<Record<OipDatatype, string>> = {
  ...ONNX_OF,
  // Triton's Python client and MLflow both use object arrays for variable-length byte strings.
  BYTES: 'object',
};
const FROM_NUMPY = new Map<string, OipDatatype>([
  ...Object.entries(NUMPY_OF).map(([oip, numpy]) => [numpy, oip as OipDatatype] as const),
  ['str', 'BYTES'],
  ['bytes', 'BYTES'],
]);

export function toNumpyDtype(datatype: OipDatatype): string {
  return NUMPY_OF[datatype];
}

/** undefined for dtypes OIP cannot carry (complex64, datetime64, ...). */
export function fromNumpyDtype(dtype: string): OipDatatype | undefined {
  return FROM_NUMPY.get(dtype);
}

// --- MLflow column-based signature types ---

const FROM_MLFLOW_COLUMN: ReadonlyMap<string, OipDatatype> = new Map<string, OipDatatype>([
  ['boolean', 'BOOL'],
  ['integer', 'INT32'],
  ['long', 'INT64'],
  ['float', 'FP32'],
  ['double', 'FP64'],
  ['string', 'BYTES'],
  ['binary', 'BYTES'],
]);

/** undefined for column types with no tensor datatype (datetime, array, object, map, any). */
export function fromMlflowColumnType(type: string): OipDatatype | undefined {
  return FROM_MLFLOW_COLUMN.get(type);
}

// --- IEEE 754 half precision (binary16) ---

function roundHalfToEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff < 0.5) return floor;
  if (diff > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Largest finite half is 65504; anything from 65520 up rounds (to even) to infinity. */
export const HALF_MAX = 65504;

/**
 * Rounds a JS number (binary64) straight to the nearest half, ties to even. Rounding directly
 * rather than through float32 avoids double rounding. Overflow gives ±Infinity's bits.
 */
export function numberToHalfBits(value: number): number {
  if (Number.isNaN(value)) return 0x7e00;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const abs = Math.abs(value);
  if (abs >= 65520) return sign | 0x7c00;
  if (abs < 2 ** -14) {
    // Subnormal: the value in units of the smallest subnormal (2^-24). A result of 1024 is the
    // smallest normal's bit pattern, so the carry needs no special case.
    return sign | roundHalfToEven(abs * 2 ** 24);
  }
  let exponent = Math.floor(Math.log2(abs));
  // Math.log2 may be off by one ulp near powers of two; settle the exponent exactly.
  if (2 ** exponent > abs) exponent -= 1;
  if (2 ** (exponent + 1) <= abs) exponent += 1;
  const significand = roundHalfToEven((abs / 2 ** exponent) * 1024); // 1024..2048
  // A significand of 2048 carries into the exponent field, which is the right answer.
  return sign | (((exponent + 15) << 10) + (significand - 1024));
}

export function halfBitsToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

// --- little-endian byte views ---

/** Whether this machine stores numbers little-endian (the wire order); true on x86 and arm64. */
const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function swapBytesInPlace(bytes: Uint8Array, width: number): void {
  if (width === 1) return;
  for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
}

/**
 * Reads `bytes` (little-endian, row-major) as `datatype`'s typed array. Copies, because the body
 * slice is rarely aligned to the element width and typed arrays need aligned offsets.
 * `bytes.length` must be a multiple of the element size (callers check it to report it well).
 */
export function typedArrayFromLittleEndian<D extends NumericDatatype>(datatype: D, bytes: Uint8Array): TensorDataByDatatype[D] {
  const ctor = TYPED_ARRAY_OF[datatype];
  const width = ctor.BYTES_PER_ELEMENT;
  const out = new ctor(bytes.length / width);
  const outBytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  outBytes.set(bytes);
  if (!HOST_IS_LITTLE_ENDIAN) swapBytesInPlace(outBytes, width);
  return out;
}

/** The little-endian wire bytes of a typed array (a view when the host is little-endian). */
export function littleEndianBytesOf(data: NumericTensorData): Uint8Array {
  const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (HOST_IS_LITTLE_ENDIAN) return view;
  const copy = Uint8Array.from(view);
  swapBytesInPlace(copy, data.BYTES_PER_ELEMENT);
  return copy;
}

/** Number of elements a shape holds: the product of its dimensions (1 for a scalar `[]`). */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}
