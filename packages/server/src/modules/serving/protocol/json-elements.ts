/**
 * JSON values to the typed data of an OIP datatype, with one set of rules for every protocol that
 * carries tensors as JSON (OIP REST, KServe v1, MLflow scoring): INT64/UINT64 only from safe
 * integers or bigints (beyond 2^53 JSON.parse has already rounded), floats finite and within their
 * type's range, FP16 rounded by numberToHalfBits, small integers within range, BOOL from booleans,
 * BYTES from strings. Each protocol words where an element sits and raises its own error.
 */
import {
  BIG_INTEGER_RANGE,
  HALF_MAX,
  SMALL_INTEGER_RANGE,
  TYPED_ARRAY_OF,
  numberToHalfBits,
  type OipDatatype,
  type TensorData,
} from './datatypes.js';

/** A short, readable account of a value a client sent, for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
    case 'number':
      return `the number ${value}`;
    case 'bigint':
      return `the integer ${value}`;
    case 'boolean':
      return `the boolean ${value}`;
    default:
      return 'an object';
  }
}

export interface ElementRules {
  /** Where element `index` is, starting every message: `input 'x' (FP32, shape [2]): data element 1`. */
  at(index: number): string;
  /** Throws the protocol's bad-request error. */
  raise(message: string): never;
  /** What to do instead of sending a JSON number beyond 2^53 (e.g. use the binary extension). */
  beyondSafeIntegers: string;
  /**
   * A null or absent element: for a floating-point input returns 'nan' where NaN may stand for
   * it, otherwise throws. Without it, such an element is simply of the wrong type.
   */
  missing?(index: number, floating: boolean): 'nan';
}

/** The quiet NaN's half-precision bits. */
const HALF_NAN = 0x7e00;

export function jsonToTensorData(datatype: OipDatatype, values: readonly unknown[], rules: ElementRules): TensorData {
  const bad = (i: number, needs: string): never => rules.raise(`${rules.at(i)} is ${describeValue(values[i])}; ${datatype} needs ${needs}`);
  // Throws for a missing element the rules refuse; true where NaN stands for it.
  const absent = (i: number, floating: boolean): boolean => values[i] == null && rules.missing?.(i, floating) === 'nan';

  switch (datatype) {
    case 'BOOL':
      return values.map((v, i) => (!absent(i, false) && typeof v === 'boolean' ? v : bad(i, 'a boolean (true or false)')));
    case 'BYTES':
      return values.map((v, i) => (!absent(i, false) && typeof v === 'string' ? v : bad(i, 'a string')));
    case 'INT64':
    case 'UINT64': {
      const [min, max] = BIG_INTEGER_RANGE[datatype];
      const out = new TYPED_ARRAY_OF[datatype](values.length);
      values.forEach((v, i) => {
        absent(i, false);
        let n: bigint;
        if (typeof v === 'bigint') n = v;
        else if (typeof v === 'number' && Number.isInteger(v)) {
          if (!Number.isSafeInteger(v)) rules.raise(`${rules.at(i)} (${v}) is beyond 2^53, where JSON numbers lose precision; ${rules.beyondSafeIntegers}`);
          n = BigInt(v);
        } else return bad(i, 'an integer');
        if (n < min || n > max) bad(i, `an integer from ${min} to ${max}`);
        out[i] = n;
      });
      return out;
    }
    case 'FP16':
    case 'FP32':
    case 'FP64': {
      const out = new TYPED_ARRAY_OF[datatype](values.length);
      values.forEach((v, i) => {
        if (absent(i, true)) {
          out[i] = datatype === 'FP16' ? HALF_NAN : NaN;
          return;
        }
        if (typeof v !== 'number' || !Number.isFinite(v)) return bad(i, 'a finite number');
        if (datatype === 'FP16') {
          const bits = numberToHalfBits(v);
          // Finite numbers that round to infinity in half precision are out of range.
          if ((bits & 0x7fff) === 0x7c00) bad(i, `a number within ±${HALF_MAX}`);
          out[i] = bits;
        } else {
          if (datatype === 'FP32' && !Number.isFinite(Math.fround(v))) bad(i, 'a number within the float32 range');
          out[i] = v;
        }
      });
      return out;
    }
    default: {
      const [min, max] = SMALL_INTEGER_RANGE[datatype];
      const out = new TYPED_ARRAY_OF[datatype](values.length);
      values.forEach((v, i) => {
        absent(i, false);
        if (typeof v !== 'number' || !Number.isInteger(v)) return bad(i, 'an integer');
        if (v < min || v > max) bad(i, `an integer from ${min} to ${max}`);
        out[i] = v;
      });
      return out;
    }
  }
}
