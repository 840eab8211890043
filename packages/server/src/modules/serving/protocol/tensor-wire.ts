/**
 * What every protocol surface does with a model's output tensors before writing them: check they
 * are consistent, and lay a tensor out as the binary wire carries it (Triton's binary tensor data
 * extension over REST, `raw_output_contents` over gRPC: the same bytes).
 */
import { TYPED_ARRAY_OF, elementCount, isNumericDatatype, littleEndianBytesOf, type Tensor } from './datatypes.js';

/** The model produced something inconsistent: a server fault (500), not the client's. */
function badOutput(name: string, problem: string): never {
  throw new Error(`model output '${name}' ${problem}`);
}

/** Throws (a 500) when an output's shape, element count or array type is not what it claims. */
export function checkOutputTensor(tensor: Tensor): void {
  const { name, datatype, shape, data } = tensor;
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) badOutput(name, `has an invalid shape ${JSON.stringify(shape)}`);
  const expected = elementCount(shape);
  if (data.length !== expected) badOutput(name, `(${datatype}, shape ${JSON.stringify(shape)}) holds ${data.length} elements, not ${expected}`);
  const fits = isNumericDatatype(datatype) ? data instanceof TYPED_ARRAY_OF[datatype] : Array.isArray(data);
  if (!fits) badOutput(name, `holds data of the wrong kind for ${datatype}`);
}

const utf8 = new TextEncoder();

/**
 * A tensor's elements on the binary wire: little-endian numbers, BOOL one byte 0/1, BYTES each a
 * 4-byte little-endian length followed by its UTF-8 bytes.
 */
export function binaryTensorBytes(tensor: Tensor): Uint8Array {
  switch (tensor.datatype) {
    case 'BOOL':
      return Uint8Array.from(tensor.data, (b) => (b ? 1 : 0));
    case 'BYTES': {
      const parts = tensor.data.map((s) => utf8.encode(s));
      const out = new Uint8Array(parts.reduce((n, p) => n + 4 + p.length, 0));
      const view = new DataView(out.buffer);
      let at = 0;
      for (const part of parts) {
        view.setUint32(at, part.length, true);
        out.set(part, at + 4);
        at += 4 + part.length;
      }
      return out;
    }
    default:
      return littleEndianBytesOf(tensor.data);
  }
}
