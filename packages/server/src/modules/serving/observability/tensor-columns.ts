import { halfBitsToNumber, type Tensor } from '../protocol/datatypes.js';
import type { ColumnValues } from './inference-record.js';

export interface TensorColumns {
  readonly columns: Record<string, ColumnValues>;
  /** The first dimension of the first tensor (1 for a scalar, 0 when there are none). */
  readonly rows: number;
}

/**
 * A request's (or response's) tensors as the inference log's columns, the first dimension being
 * the row:
 * - `[rows]` and `[rows, 1]` give one column named after the tensor, sharing the tensor's data;
 * - `[rows, k]` gives k columns `name[0]` ... `name[k-1]`, one per feature, which is what drift
 *   checks compare;
 * - higher ranks give one column whose values are each row's flattened elements (an image stays
 *   one value per row);
 * - a scalar is one row.
 * FP16 data is raw half-precision bits in memory, so it is converted to numbers here.
 */
export function tensorColumns(tensors: readonly Tensor[]): TensorColumns {
  const columns: Record<string, ColumnValues> = {};
  for (const tensor of tensors) {
    const data: ColumnValues = tensor.datatype === 'FP16' ? Array.from(tensor.data, halfBitsToNumber) : tensor.data;
    const [rows = 1, ...rest] = tensor.shape;
    if (rest.length === 0 || (rest.length === 1 && rest[0] === 1)) {
      columns[tensor.name] = data;
    } else if (rest.length === 1) {
      const width = rest[0] ?? 0;
      for (let j = 0; j < width; j++) columns[`${tensor.name}[${j}]`] = strided(data, j, width, rows);
    } else {
      const width = rest.reduce((n, d) => n * d, 1);
      columns[tensor.name] = Array.from({ length: rows }, (_, i) => slice(data, i * width, width));
    }
  }
  const first = tensors[0];
  return { columns, rows: first ? (first.shape[0] ?? 1) : 0 };
}

function strided(data: ColumnValues, offset: number, step: number, count: number): unknown[] {
  const out = new Array<unknown>(count);
  for (let i = 0; i < count; i++) out[i] = data[offset + i * step];
  return out;
}

function slice(data: ColumnValues, start: number, length: number): unknown[] {
  const out = new Array<unknown>(length);
  for (let i = 0; i < length; i++) out[i] = data[start + i];
  return out;
}
