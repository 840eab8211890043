/**
 * Values between JavaScript and DuckDB: feature dtypes as DuckDB types, cells as values to append,
 * and values read back as cells (int64 as a number when it is exact, otherwise a decimal string;
 * timestamps as epoch milliseconds; bytes as a plain Uint8Array; lists as arrays).
 */
import {
  BIGINT,
  BLOB,
  BOOLEAN,
  DOUBLE,
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  FLOAT,
  INTEGER,
  LIST,
  TIMESTAMP,
  VARCHAR,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { FeatureDtype, FeatureScalarDtype } from '@capstan/contracts';
import type { OfflineCell } from '../../../ports/offline-store.js';

const SCALAR_SQL: Record<FeatureScalarDtype, string> = {
  int32: 'INTEGER',
  int64: 'BIGINT',
  float32: 'FLOAT',
  float64: 'DOUBLE',
  string: 'VARCHAR',
  bytes: 'BLOB',
  bool: 'BOOLEAN',
  unix_timestamp: 'TIMESTAMP',
};

const SCALAR_TYPE: Record<FeatureScalarDtype, DuckDBType> = {
  int32: INTEGER,
  int64: BIGINT,
  float32: FLOAT,
  float64: DOUBLE,
  string: VARCHAR,
  bytes: BLOB,
  bool: BOOLEAN,
  unix_timestamp: TIMESTAMP,
};

/** The element dtype of a list dtype, or undefined for a scalar. */
function elementDtype(dtype: FeatureDtype): FeatureScalarDtype | undefined {
  return dtype.endsWith('[]') ? (dtype.slice(0, -2) as FeatureScalarDtype) : undefined;
}

/** The DuckDB SQL type a dtype is cast to: `BIGINT`, `FLOAT[]`, ... */
export function sqlType(dtype: FeatureDtype): string {
  const element = elementDtype(dtype);
  return element === undefined ? SCALAR_SQL[dtype as FeatureScalarDtype] : `${SCALAR_SQL[element]}[]`;
}

export function duckdbType(dtype: FeatureDtype): DuckDBType {
  const element = elementDtype(dtype);
  return element === undefined ? SCALAR_TYPE[dtype as FeatureScalarDtype] : LIST(SCALAR_TYPE[element]);
}

/** Converts one cell for a column of `dtype`; throws an Error saying what is wrong with it. */
export type CellToDuckdb = (cell: OfflineCell | undefined) => DuckDBValue;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const DECIMAL_INTEGER = /^-?\d+$/;

function scalarToDuckdb(dtype: FeatureScalarDtype): (cell: OfflineCell) => DuckDBValue {
  const fail = (cell: OfflineCell): never => {
    throw new Error(`${describe(cell)} is not a valid ${dtype} value`);
  };
  switch (dtype) {
    case 'int32':
      return (cell) => (typeof cell === 'number' && Number.isInteger(cell) && cell >= INT32_MIN && cell <= INT32_MAX ? cell : fail(cell));
    case 'int64':
      return (cell) => {
        if (typeof cell === 'number' && Number.isSafeInteger(cell)) return BigInt(cell);
        if (typeof cell === 'string' && DECIMAL_INTEGER.test(cell)) {
          const value = BigInt(cell);
          if (BigInt.asIntN(64, value) === value) return value;
        }
        return fail(cell);
      };
    case 'float32':
    case 'float64':
      return (cell) => (typeof cell === 'number' ? cell : fail(cell));
    case 'string':
      return (cell) => (typeof cell === 'string' ? cell : fail(cell));
    case 'bool':
      return (cell) => (typeof cell === 'boolean' ? cell : fail(cell));
    case 'bytes':
      return (cell) => (cell instanceof Uint8Array ? new DuckDBBlobValue(cell) : fail(cell));
    case 'unix_timestamp':
      return (cell) => (typeof cell === 'number' && Number.isFinite(cell) ? new DuckDBTimestampValue(BigInt(Math.round(cell * 1000))) : fail(cell));
  }
}

export function cellToDuckdb(dtype: FeatureDtype): CellToDuckdb {
  const element = elementDtype(dtype);
  if (element === undefined) {
    const convert = scalarToDuckdb(dtype as FeatureScalarDtype);
    return (cell) => (cell == null ? null : convert(cell));
  }
  const convertItem = scalarToDuckdb(element);
  return (cell) => {
    if (cell == null) return null;
    if (!Array.isArray(cell)) throw new Error(`${describe(cell)} is not a list (${dtype})`);
    return new DuckDBListValue(cell.map((item) => (item == null ? null : convertItem(item))));
  };
}

function describe(cell: OfflineCell): string {
  if (cell instanceof Uint8Array) return `a ${cell.byteLength}-byte array`;
  if (Array.isArray(cell)) return 'a list';
  return JSON.stringify(cell);
}

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

function bigintToCell(value: bigint): OfflineCell {
  return value <= MAX_EXACT && value >= -MAX_EXACT ? Number(value) : value.toString();
}

/** Epoch ms truncated like DuckDB's epoch_ms(), so nested and top-level timestamps agree. */
const microsToMs = (micros: bigint): number => Number(micros / 1000n);

/** Any value DuckDB hands back, as a cell. */
export function duckdbToCell(value: DuckDBValue): OfflineCell {
  if (value === null || typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return bigintToCell(value);
  if (value instanceof DuckDBListValue) return value.items.map(duckdbToCell);
  if (value instanceof DuckDBBlobValue) return new Uint8Array(value.bytes.buffer, value.bytes.byteOffset, value.bytes.byteLength);
  if (value instanceof DuckDBTimestampValue || value instanceof DuckDBTimestampTZValue) return microsToMs(value.micros);
  if (value instanceof DuckDBTimestampMillisecondsValue) return Number(value.millis);
  if (value instanceof DuckDBTimestampSecondsValue) return Number(value.seconds) * 1000;
  if (value instanceof DuckDBTimestampNanosecondsValue) return Number(value.nanos / 1_000_000n);
  if (value instanceof DuckDBDateValue) return value.days * 86_400_000;
  if (value instanceof DuckDBDecimalValue) return value.toDouble();
  return value.toString();
}
