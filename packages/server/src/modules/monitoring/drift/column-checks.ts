import { DriftError } from './errors.js';
import type { ColumnType, TestableColumnType } from './types.js';

/** A threshold given by the caller must be a finite number. */
export function checkThreshold(name: string, value: number | undefined): void {
  if (value !== undefined && !Number.isFinite(value)) throw new DriftError(`${name} must be a finite number, got ${value}.`);
}

/** A column type a test can run on: text is refused, anything unknown too. */
export function testableType(column: string, columnType: ColumnType): TestableColumnType {
  if (columnType === 'text') {
    // Evidently scores text columns with a domain classifier (TF-IDF + SGD), which is not part of
    // this statistics library.
    throw new DriftError(`Column '${column}' is a text column; text drift is not supported.`);
  }
  if (columnType !== 'numerical' && columnType !== 'categorical') {
    throw new DriftError(`Column '${column}' has an unknown column type '${String(columnType)}'.`);
  }
  return columnType;
}
