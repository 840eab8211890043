import type { RuntimeTensor, RuntimeTensorDataMap, RuntimeTensorType } from '../../../ports/inference-runtime.js';

/**
 * Joining requests into one batch along dimension 0 and cutting the batch's outputs back into one
 * piece per request. Tensors are row-major, so the rows of a tensor are consecutive runs of
 * `rowLength(dims)` elements: joining is one copy per part, cutting is a view (no copy).
 */

/**
 * What joining and cutting need of a typed array, with the element type left open so one code path
 * serves every numeric tensor type. Every typed array of `RuntimeTensorDataMap` fits it as it is.
 */
interface TypedRows {
  readonly length: number;
  readonly [index: number]: unknown;
  set(array: ArrayLike<unknown>, offset?: number): void;
  subarray(begin?: number, end?: number): TypedRows;
}

type NumericType = Exclude<RuntimeTensorType, 'string'>;

const TYPED_ARRAYS: { readonly [T in NumericType]: new (length: number) => RuntimeTensorDataMap[T] } = {
  float32: Float32Array,
  float64: Float64Array,
  float16: Uint16Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  bool: Uint8Array,
};

/** The number of elements in one row: the product of every dimension after the first. */
export function rowLength(dims: readonly number[]): number {
  let length = 1;
  for (let i = 1; i < dims.length; i++) length *= dims[i];
  return length;
}

/**
 * One tensor holding the rows of every part, in order. The parts share their element type and
 * every dimension after the first (the batch shape guarantees it).
 */
export function concatRows(parts: readonly RuntimeTensor[]): RuntimeTensor {
  const first = parts[0];
  let rows = 0;
  let length = 0;
  for (const part of parts) {
    rows += part.dims[0];
    length += part.data.length;
  }
  const dims = [rows, ...first.dims.slice(1)];
  if (first.type === 'string') {
    const data: string[] = [];
    for (const part of parts) if (part.type === 'string') data.push(...part.data);
    return { type: 'string', dims, data };
  }
  const data: TypedRows = new TYPED_ARRAYS[first.type](length);
  let offset = 0;
  for (const part of parts) {
    if (part.type !== 'string') data.set(part.data, offset);
    offset += part.data.length;
  }
  return withData(first.type, dims, data);
}

/**
 * Cuts every output into consecutive pieces of `rowCounts[i]` rows, one record per request.
 * Returns undefined when an output is not one row per input row (its dim 0 is not the batch's
 * row count, or it is a scalar): such outputs cannot be attributed to requests.
 */
export function splitRows(
  outputs: Readonly<Record<string, RuntimeTensor>>,
  rowCounts: readonly number[],
): Record<string, RuntimeTensor>[] | undefined {
  let totalRows = 0;
  for (const rows of rowCounts) totalRows += rows;
  const pieces = rowCounts.map((): Record<string, RuntimeTensor> => ({}));
  for (const [name, tensor] of Object.entries(outputs)) {
    const { dims } = tensor;
    const length = rowLength(dims);
    if (dims.length === 0 || dims[0] !== totalRows || tensor.data.length !== totalRows * length) return undefined;
    const rest = dims.slice(1);
    let row = 0;
    rowCounts.forEach((rows, i) => {
      pieces[i][name] = sliceRows(tensor, row * length, (row + rows) * length, [rows, ...rest]);
      row += rows;
    });
  }
  return pieces;
}

function sliceRows(tensor: RuntimeTensor, begin: number, end: number, dims: readonly number[]): RuntimeTensor {
  if (tensor.type === 'string') return { type: 'string', dims, data: tensor.data.slice(begin, end) };
  // A view on the batch's result: outputs are read-only to callers, so sharing costs nothing.
  const data: TypedRows = tensor.data;
  return withData(tensor.type, dims, data.subarray(begin, end));
}

/**
 * TypeScript cannot follow that an array made by `TYPED_ARRAYS[type]`, or cut from an array of
 * `type`, still matches `type`; both callers guarantee it, and this is the one place that says so.
 */
function withData(type: NumericType, dims: readonly number[], data: TypedRows): RuntimeTensor {
  return { type, dims, data } as RuntimeTensor;
}
