/**
 * The typed form of an input: InferTensorContents, one repeated field per family of datatypes.
 * Each datatype reads exactly one field; elements in any other field are a client mistake worth
 * naming rather than silently ignoring. FP16 has no field: it travels only as raw contents.
 */
import { SMALL_INTEGER_RANGE, TYPED_ARRAY_OF, type OipDatatype, type TensorData } from '../datatypes.js';
import { OipBadRequest } from '../oip-error.js';
import type { InferTensorContents } from './wire-types.js';

type ContentsField = keyof InferTensorContents;

const FIELD_OF: Readonly<Record<Exclude<OipDatatype, 'FP16'>, ContentsField>> = {
  BOOL: 'bool_contents',
  INT8: 'int_contents',
  INT16: 'int_contents',
  INT32: 'int_contents',
  INT64: 'int64_contents',
  UINT8: 'uint_contents',
  UINT16: 'uint_contents',
  UINT32: 'uint_contents',
  UINT64: 'uint64_contents',
  FP32: 'fp32_contents',
  FP64: 'fp64_contents',
  BYTES: 'bytes_contents',
};

const ALL_FIELDS: readonly ContentsField[] = [
  'bool_contents',
  'int_contents',
  'int64_contents',
  'uint_contents',
  'uint64_contents',
  'fp32_contents',
  'fp64_contents',
  'bytes_contents',
];

/** What an absent `contents` message means: no elements in any field. */
export const NO_CONTENTS: InferTensorContents = {
  bool_contents: [],
  int_contents: [],
  int64_contents: [],
  uint_contents: [],
  uint64_contents: [],
  fp32_contents: [],
  fp64_contents: [],
  bytes_contents: [],
};

const fail = (message: string): never => {
  throw new OipBadRequest(message);
};

/** Whether the client put any element in `contents` (an empty or absent message holds none). */
export function holdsTypedElements(contents: InferTensorContents | null): boolean {
  return contents !== null && ALL_FIELDS.some((field) => contents[field].length > 0);
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes one input's `contents` into its in-memory form; `where` labels the input in messages.
 * The proto's field types already bound INT64/UINT64/FP64 (and int32/uint32 for the narrower
 * integers, whose own ranges are checked here); FP32 arrives as a float.
 */
export function tensorDataFromContents(
  datatype: OipDatatype,
  received: InferTensorContents | null,
  count: number,
  where: string,
): TensorData {
  const contents = received ?? NO_CONTENTS;
  if (datatype === 'FP16') {
    return fail(`${where}: FP16 has no typed contents field in the protocol; send it in raw_input_contents (2 bytes per element, little-endian)`);
  }
  const field = FIELD_OF[datatype];
  const stray = ALL_FIELDS.find((f) => f !== field && contents[f].length > 0);
  if (stray !== undefined) fail(`${where} carries elements in contents.${stray}; ${datatype} data goes in contents.${field}`);
  const length = contents[field].length;
  if (length !== count) {
    fail(`${where} needs ${count} elements in contents.${field}; got ${length} (or send every input in raw_input_contents)`);
  }

  switch (datatype) {
    case 'BOOL':
      return [...contents.bool_contents];
    case 'BYTES':
      return contents.bytes_contents.map((bytes, i) => {
        try {
          return utf8Decoder.decode(bytes);
        } catch {
          return fail(`${where}: element ${i} of contents.bytes_contents is not valid UTF-8; BYTES elements are served as text`);
        }
      });
    case 'INT64':
      // Decimal strings (see wire-types.ts), so BigInt keeps every digit.
      return BigInt64Array.from(contents.int64_contents, (text) => BigInt(text));
    case 'UINT64':
      return BigUint64Array.from(contents.uint64_contents, (text) => BigInt(text));
    case 'FP32':
      return Float32Array.from(contents.fp32_contents);
    case 'FP64':
      return Float64Array.from(contents.fp64_contents);
    default: {
      const [min, max] = SMALL_INTEGER_RANGE[datatype];
      const values = field === 'uint_contents' ? contents.uint_contents : contents.int_contents;
      const out = new TYPED_ARRAY_OF[datatype](values.length);
      values.forEach((v, i) => {
        if (v < min || v > max) fail(`${where}: element ${i} of contents.${field} is ${v}; ${datatype} needs an integer from ${min} to ${max}`);
        out[i] = v;
      });
      return out;
    }
  }
}
