/**
 * The "raw" tensor form of raw_input_contents / raw_output_contents: flat, row-major,
 * little-endian elements with no padding; BOOL one byte (0 or 1) per element; BYTES a 4-byte
 * little-endian length before each element's bytes. It is the form tritonclient sends and
 * expects by default, and the only one that can carry FP16.
 */
import { binaryTensorBytes } from '../tensor-wire.js';
import {
  ELEMENT_BYTE_SIZE,
  typedArrayFromLittleEndian,
  type OipDatatype,
  type TensorData,
} from '../datatypes.js';
import { OipBadRequest } from '../oip-error.js';

const fail = (message: string): never => {
  throw new OipBadRequest(message);
};

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

function bytesElementsFromRaw(bytes: Uint8Array, count: number, where: string): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: string[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 4 > bytes.length) {
      fail(`${where}: raw contents end inside the length prefix of element ${i} (${bytes.length} bytes for ${count} elements)`);
    }
    const length = view.getUint32(at, true);
    at += 4;
    if (at + length > bytes.length) {
      fail(`${where}: raw element ${i} declares ${length} bytes but only ${bytes.length - at} remain`);
    }
    try {
      out.push(utf8Decoder.decode(bytes.subarray(at, at + length)));
    } catch {
      fail(`${where}: raw element ${i} is not valid UTF-8; BYTES elements are served as text`);
    }
    at += length;
  }
  if (at !== bytes.length) fail(`${where}: raw contents hold ${bytes.length} bytes but its ${count} elements use ${at}`);
  return out;
}

/** Decodes one input's raw_input_contents entry; `where` labels the input in messages. */
export function tensorDataFromRaw(datatype: OipDatatype, bytes: Uint8Array, count: number, where: string): TensorData {
  if (datatype === 'BYTES') return bytesElementsFromRaw(bytes, count, where);
  const width = ELEMENT_BYTE_SIZE[datatype];
  if (bytes.length !== count * width) {
    fail(`${where} needs ${count * width} bytes of raw contents (${count} elements × ${width}); got ${bytes.length}`);
  }
  if (datatype === 'BOOL') {
    return Array.from(bytes, (b, i) => (b === 0 ? false : b === 1 ? true : fail(`${where}: raw element ${i} is byte ${b}; BOOL needs 0 or 1`)));
  }
  return typedArrayFromLittleEndian(datatype, bytes);
}

/** The raw_output_contents entry for a tensor whose data already matches its datatype (the REST binary extension's bytes). */
export const rawBytesOf = binaryTensorBytes;
