/**
 * Turns the flat cells of one model input into the typed data of its OIP datatype, with the same
 * rules as the OIP JSON decoder (decode-request.ts): INT64/UINT64 only from safe integers or
 * bigints, floats finite and within range, FP16 rounded by numberToHalfBits, BOOL from booleans,
 * BYTES from strings. Two additions the tabular formats need: CSV cells arrive as text, and a
 * missing cell may stand for NaN where the signature marks its column optional.
 */
import {
  BIG_INTEGER_RANGE,
  HALF_MAX,
  SMALL_INTEGER_RANGE,
  TYPED_ARRAY_OF,
  numberToHalfBits,
  type OipDatatype,
  type TensorData,
} from '../datatypes.js';
import { describeValue } from '../decode-request.js';
import { badRequest } from './bad-request.js';

export interface ElementSource {
  /** What every message about these cells starts with, e.g. `column 'hour' (input 'hour', INT64, shape [-1,1])`. */
  readonly label: string;
  /** Where cell `index` sits, for messages: `row 2`, `element [1][3]`. */
  position(index: number): string;
  /** The cells are CSV text (see ColumnsPayload.textCells). */
  readonly textCells: boolean;
  /** Whether the column of cell `index` is optional in the signature, so it may be missing. */
  isOptional(index: number): boolean;
}

/** The quiet NaN's half-precision bits: what a missing optional FP16 cell becomes. */
const HALF_NAN = 0x7e00;

const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER_TEXT = /^[+-]?\d+$/;
/** pandas' default true_values / false_values. */
const BOOLEAN_TEXT: ReadonlyMap<string, boolean> = new Map([
  ['True', true],
  ['TRUE', true],
  ['true', true],
  ['False', false],
  ['FALSE', false],
  ['false', false],
]);

/**
 * Reads a CSV cell as the JSON value it stands for when feeding `datatype`. Text that is not a
 * number (or boolean) stays a string, so the conversion below reports it as the wrong type.
 */
function fromText(datatype: OipDatatype, text: string): unknown {
  if (datatype === 'BYTES') return text;
  const trimmed = text.trim();
  if (datatype === 'BOOL') return BOOLEAN_TEXT.get(trimmed) ?? text;
  // Text, unlike a JSON number, carries a 64-bit integer exactly.
  if ((datatype === 'INT64' || datatype === 'UINT64') && INTEGER_TEXT.test(trimmed)) return BigInt(trimmed);
  return NUMBER_TEXT.test(trimmed) ? Number(trimmed) : text;
}

export function toTensorData(datatype: OipDatatype, cells: readonly unknown[], source: ElementSource): TensorData {
  const bad = (i: number, value: unknown, needs: string): never =>
    badRequest(`${source.label}: ${source.position(i)} is ${describeValue(value)}; ${datatype} needs ${needs}`);

  const missing = (i: number): never =>
    badRequest(
      `${source.label}: ${source.position(i)} is missing (null, absent or an empty CSV field); ` +
        (source.isOptional(i)
          ? `the column is optional, but ${datatype} has no missing-value marker (only floating-point inputs take NaN)`
          : 'a value is required'),
    );

  // Every cell as the JSON value it stands for; null/undefined mark a missing one.
  const values = source.textCells ? cells.map((c) => (typeof c === 'string' ? fromText(datatype, c) : c)) : cells;

  switch (datatype) {
    case 'BOOL':
      return values.map((v, i) => (v == null ? missing(i) : typeof v === 'boolean' ? v : bad(i, v, 'a boolean (true or false)')));
    case 'BYTES':
      return values.map((v, i) => (v == null ? missing(i) : typeof v === 'string' ? v : bad(i, v, 'a string')));
    case 'INT64':
    case 'UINT64': {
      const [min, max] = BIG_INTEGER_RANGE[datatype];
      const out = new TYPED_ARRAY_OF[datatype](values.length);
      values.forEach((v, i) => {
        let n: bigint;
        if (v == null) return missing(i);
        if (typeof v === 'bigint') n = v;
        else if (typeof v === 'number' && Number.isInteger(v)) {
          if (!Number.isSafeInteger(v)) {
            badRequest(
              `${source.label}: ${source.position(i)} (${v}) is beyond 2^53, where JSON numbers lose precision; ` +
                'send it as CSV text or through the Open Inference Protocol',
            );
          }
          n = BigInt(v);
        } else return bad(i, v, 'an integer');
        if (n < min || n > max) bad(i, v, `an integer from ${min} to ${max}`);
        out[i] = n;
      });
      return out;
    }
    case 'FP16':
    case 'FP32':
    case 'FP64': {
      const out = new TYPED_ARRAY_OF[datatype](values.length);
      values.forEach((v, i) => {
        if (v == null) {
          if (!source.isOptional(i)) return missing(i);
          out[i] = datatype === 'FP16' ? HALF_NAN : NaN;
          return;
        }
        if (typeof v !== 'number' || !Number.isFinite(v)) return bad(i, v, 'a finite number');
        if (datatype === 'FP16') {
          const bits = numberToHalfBits(v);
          // Finite numbers that round to infinity in half precision are out of range.
          if ((bits & 0x7fff) === 0x7c00) bad(i, v, `a number within ±${HALF_MAX}`);
          out[i] = bits;
        } else {
          if (datatype === 'FP32' && !Number.isFinite(Math.fround(v))) bad(i, v, 'a number within the float32 range');
          out[i] = v;
        }
      });
      return out;
    }
    default: {
      const [min, max] = SMALL_INTEGER_RANGE[datatype];
      const out = new TYPED_ARRAY_OF[datatype](values.length);
      values.forEach((v, i) => {
        if (v == null) return missing(i);
        if (typeof v !== 'number' || !Number.isInteger(v)) return bad(i, v, 'an integer');
        if (v < min || v > max) bad(i, v, `an integer from ${min} to ${max}`);
        out[i] = v;
      });
      return out;
    }
  }
}
