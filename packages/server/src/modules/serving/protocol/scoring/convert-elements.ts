/**
 * Turns the flat cells of one model input into the typed data of its OIP datatype, with the
 * rules every JSON protocol shares (json-elements.ts): INT64/UINT64 only from safe integers or
 * bigints, floats finite and within range, FP16 rounded by numberToHalfBits, BOOL from booleans,
 * BYTES from strings. Two additions the tabular formats need: CSV cells arrive as text, and a
 * missing cell may stand for NaN where the signature marks its column optional.
 */
import type { OipDatatype, TensorData } from '../datatypes.js';
import { jsonToTensorData } from '../json-elements.js';
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
  // Every cell as the JSON value it stands for; null/undefined mark a missing one.
  const values = source.textCells ? cells.map((c) => (typeof c === 'string' ? fromText(datatype, c) : c)) : cells;
  return jsonToTensorData(datatype, values, {
    at: (i) => `${source.label}: ${source.position(i)}`,
    raise: badRequest,
    beyondSafeIntegers: 'send it as CSV text or through the Open Inference Protocol',
    missing(i, floating) {
      if (floating && source.isOptional(i)) return 'nan';
      return badRequest(
        `${source.label}: ${source.position(i)} is missing (null, absent or an empty CSV field); ` +
          (source.isOptional(i)
            ? `the column is optional, but ${datatype} has no missing-value marker (only floating-point inputs take NaN)`
            : 'a value is required'),
      );
    },
  });
}
