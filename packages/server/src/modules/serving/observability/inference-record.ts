/**
 * One logged prediction. Inputs and outputs are held as columns (one array of row values per input
 * or output name) because that is how monitoring reads them: a feature's values over a window.
 * Values may be typed arrays and BigInts as the model produced them; `encodeColumns` turns them into
 * JSON off the request path.
 */
export interface InferenceRecord {
  readonly requestId: string;
  readonly deployment: string;
  /** The registered model the answering version belongs to. */
  readonly modelName: string;
  readonly version: string;
  /** When the request arrived, epoch milliseconds. */
  readonly at: number;
  readonly latencyMs: number;
  readonly inputs: Readonly<Record<string, ColumnValues>>;
  readonly outputs: Readonly<Record<string, ColumnValues>>;
  /** Rows (instances) in the request. */
  readonly rows: number;
}

/** A column's values, one per row: a plain array or a typed array straight from a tensor. */
export type ColumnValues = ArrayLike<unknown>;

/**
 * JSON for a record's columns. BigInts become numbers when they are safe integers and decimal
 * strings otherwise (JSON numbers beyond 2^53 would be rounded by every reader); non-finite floats
 * become "NaN", "Infinity" and "-Infinity", the proto-JSON spellings, since JSON has no literal
 * for them and null would hide them from drift checks.
 */
export function encodeColumns(columns: Readonly<Record<string, ColumnValues>>): string {
  return JSON.stringify(columns, jsonSafe);
}

function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  // JSON.stringify would write a typed array as an object keyed by index.
  if (isTypedArray(value)) return Array.from(value);
  return value;
}

function isTypedArray(value: unknown): value is ArrayLike<unknown> {
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}
