import type { Tensor } from '../protocol/datatypes.js';
import type { MetadataTensor } from '../protocol/oip-types.js';
import { ServingError } from './inference-engine.js';

/**
 * Checks a request's tensors against what the model declares, before anything runs, so the caller
 * gets a 400 naming the input, the expected datatype and shape, and what it sent, rather than
 * onnxruntime's message from deep inside a batch. Datatypes must match exactly, as Triton and
 * KServe require: a silent FP64 -> FP32 conversion would hide a client bug.
 */
export function checkInputs(inputs: readonly Tensor[], declared: readonly MetadataTensor[], model: string): void {
  if (inputs.length !== declared.length || inputs.some((t) => !declared.some((d) => d.name === t.name))) {
    const sent = new Set(inputs.map((t) => t.name));
    const missing = declared.filter((d) => !sent.has(d.name)).map((d) => d.name);
    const extra = inputs.filter((t) => !declared.some((d) => d.name === t.name)).map((t) => t.name);
    const parts: string[] = [];
    if (missing.length) parts.push(`missing ${list(missing)}`);
    if (extra.length) parts.push(`unexpected ${list(extra)}`);
    if (!parts.length) parts.push('an input was sent more than once');
    throw new ServingError(400, `model '${model}' takes inputs ${list(declared.map((d) => `${d.name} (${d.datatype} ${shapeText(d.shape)})`))}: ${parts.join('; ')}`);
  }
  for (const tensor of inputs) {
    const want = declared.find((d) => d.name === tensor.name)!;
    if (tensor.datatype !== want.datatype) {
      throw new ServingError(400, `input '${tensor.name}' of model '${model}' must be ${want.datatype}, got ${tensor.datatype}`);
    }
    if (!shapeFits(tensor.shape, want.shape)) {
      throw new ServingError(400, `input '${tensor.name}' of model '${model}' must have shape ${shapeText(want.shape)} (-1: any size), got ${shapeText(tensor.shape)}`);
    }
  }
}

function shapeFits(shape: readonly number[], want: readonly number[]): boolean {
  return shape.length === want.length && shape.every((d, i) => want[i] === -1 || want[i] === d);
}

const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;
const list = (names: readonly string[]) => names.map((n) => `'${n}'`).join(', ');
