import type { RuntimeTensor, RuntimeTensorType, TensorInfo } from '../../../ports/inference-runtime.js';
import { isRuntimeTensorType } from '../../../ports/inference-runtime.js';

/**
 * Feeds for one warm-up run: for every input, a tensor of zeros (empty strings for `string`) whose
 * variable dimensions are 1 and fixed ones as declared. One row is enough for the runtime to do its
 * first-run work (allocations, kernel selection) before a real request arrives. Throws for an input
 * no feed can be built for (a sequence, a map, a packed 4-bit type): such a model cannot be served
 * through `RuntimeTensor` feeds anyway.
 */
export function warmupFeeds(inputs: readonly TensorInfo[]): Record<string, RuntimeTensor> {
  const feeds: Record<string, RuntimeTensor> = {};
  for (const input of inputs) {
    if (!isRuntimeTensorType(input.type)) {
      throw new Error(`input ${JSON.stringify(input.name)} has type ${input.type}, for which no warm-up feed can be built`);
    }
    // A name or a negative number marks a dimension the caller chooses.
    const dims = input.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : 1));
    feeds[input.name] = zeros(input.type, dims);
  }
  return feeds;
}

function zeros(type: RuntimeTensorType, dims: readonly number[]): RuntimeTensor {
  const n = dims.reduce((a, b) => a * b, 1);
  switch (type) {
    case 'float32': return { type, dims, data: new Float32Array(n) };
    case 'float64': return { type, dims, data: new Float64Array(n) };
    case 'float16': return { type, dims, data: new Uint16Array(n) };
    case 'int8': return { type, dims, data: new Int8Array(n) };
    case 'uint8': return { type, dims, data: new Uint8Array(n) };
    case 'int16': return { type, dims, data: new Int16Array(n) };
    case 'uint16': return { type, dims, data: new Uint16Array(n) };
    case 'int32': return { type, dims, data: new Int32Array(n) };
    case 'uint32': return { type, dims, data: new Uint32Array(n) };
    case 'int64': return { type, dims, data: new BigInt64Array(n) };
    case 'uint64': return { type, dims, data: new BigUint64Array(n) };
    case 'bool': return { type, dims, data: new Uint8Array(n) };
    case 'string': return { type, dims, data: new Array<string>(n).fill('') };
  }
}
