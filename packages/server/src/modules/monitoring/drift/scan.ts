/**
 * One pass over one side of a column that tells everything the pipeline needs to know about its
 * cells before a test runs: what kinds of cells it holds (for the pandas dtype of column-type.ts),
 * whether one is not a JSON scalar, how many survive cleaning, and the surviving values as a
 * Float64Array when they can be read as numbers (samples.ts).
 *
 * Plain arrays are read with for...of, never by index. V8 optimises an indexed read that has seen
 * arrays of unboxed doubles and arrays of boxed values (a column with a null, or strings) into code
 * that first converts the double arrays to boxed ones: the caller's million-number columns would
 * each grow from 8 to 24 bytes per value, be rewritten, and make every later garbage collection
 * slower. for...of reads every kind of array without that conversion (drift-fast-paths.test.ts
 * checks it). Array.prototype.every does too, and measured the same here (12-17 ms per million
 * cells, most of it boxing each double for the loop).
 */
import type { DriftInputColumn } from './types.js';
import type { Workspace } from './workspace.js';

export interface CellScan {
  /** The side as given. */
  readonly values: DriftInputColumn;
  /** A Float64Array: a float64 column whatever its values. */
  readonly typed: boolean;
  /** Neither an array nor a Float64Array. */
  readonly notArray: boolean;
  /** A cell that is not a number, string, boolean or null (the scan stops there). */
  readonly badCell: boolean;
  readonly sawNumber: boolean;
  readonly sawBoolean: boolean;
  readonly sawString: boolean;
  readonly sawNull: boolean;
  /** Every number cell is a whole finite number (JavaScript's stand-in for an integer dtype). */
  readonly allWhole: boolean;
  /** Cells left after dropping null, NaN and +-Infinity. */
  readonly kept: number;
  /**
   * The kept cells as numbers in their original order (booleans as 0/1), when every kept cell is a
   * number or every cell is a boolean (pandas' numeric dtypes); otherwise undefined. May be the
   * caller's Float64Array itself or a workspace buffer: read it, never write it.
   */
  readonly numbers: Float64Array | undefined;
}

/** Where a scan writes the numbers it keeps; `slot` names a reusable workspace buffer. */
export interface ScanTarget {
  readonly workspace: Workspace;
  readonly slot: string;
}

const NOTHING = {
  badCell: false,
  sawNumber: false,
  sawBoolean: false,
  sawString: false,
  sawNull: false,
  allWhole: true,
} as const;

function scanTyped(values: Float64Array, target: ScanTarget | undefined): CellScan {
  const n = values.length;
  let kept = 0;
  let out: Float64Array | undefined;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    // v - v is 0 for a finite number and NaN for NaN and +-Infinity.
    if (v - v === 0) {
      if (out) out[kept] = v;
      kept++;
    } else if (!out && target) {
      // The first dropped value: from here on the kept values need their own array.
      out = target.workspace.float64(target.slot, n);
      out.set(values.subarray(0, kept));
    }
  }
  const numbers = !target ? undefined : out ? out.subarray(0, kept) : values;
  // The dtype of a Float64Array is float64 whatever its values (column-type.ts does not ask).
  return { ...NOTHING, values, typed: true, notArray: false, sawNumber: n > 0, allWhole: false, kept, numbers };
}

/** Scans one side; without a target only the kinds and counts are gathered (numbers stays undefined). */
export function scanCells(values: DriftInputColumn, target?: ScanTarget): CellScan {
  if (values instanceof Float64Array) return scanTyped(values, target);
  if (!Array.isArray(values)) return { ...NOTHING, values, typed: false, notArray: true, kept: 0, numbers: undefined };
  const n = values.length;
  let out: Float64Array | undefined;
  let kept = 0;
  let sawNumber = false;
  let sawBoolean = false;
  let sawString = false;
  let sawNull = false;
  let badCell = false;
  let allWhole = true;
  for (const v of values as readonly unknown[]) {
    if (typeof v === 'number') {
      sawNumber = true;
      if (v - v === 0) {
        if (target) {
          out ??= target.workspace.float64(target.slot, n);
          out[kept] = v;
        }
        kept++;
        if (allWhole && Math.floor(v) !== v) allWhole = false;
      } else allWhole = false;
    } else if (v === null) sawNull = true;
    else if (typeof v === 'boolean') {
      sawBoolean = true;
      if (target) {
        out ??= target.workspace.float64(target.slot, n);
        out[kept] = v ? 1 : 0;
      }
      kept++;
    } else if (typeof v === 'string') {
      sawString = true;
      kept++;
    } else {
      badCell = true;
      break;
    }
  }
  // pandas' numeric dtypes: numbers (nulls allowed, they made it float64), or booleans with no
  // null at all (a null makes a boolean column object dtype). Numbers mixed with booleans or
  // strings are object dtype.
  const allBoolean = sawBoolean && !sawNull && !sawNumber && !sawString;
  const numeric = !badCell && !sawString && (!sawBoolean || allBoolean) && kept > 0;
  return {
    values,
    typed: false,
    notArray: false,
    badCell,
    sawNumber,
    sawBoolean,
    sawString,
    sawNull,
    allWhole,
    kept,
    numbers: numeric && out ? out.subarray(0, kept) : undefined,
  };
}
