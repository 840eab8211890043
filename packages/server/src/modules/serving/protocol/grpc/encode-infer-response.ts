/**
 * Builds the ModelInferResponse from the engine's output tensors, the gRPC counterpart of
 * ../encode-response.ts: the outputs the client asked for, in its order (all otherwise), each
 * as raw little-endian bytes in raw_output_contents, the form tritonclient reads by default and
 * the only one that carries FP16 and every INT64 exactly.
 */
import { TYPED_ARRAY_OF, elementCount, isNumericDatatype, type Tensor } from '../datatypes.js';
import { OipBadRequest } from '../oip-error.js';
import { rawBytesOf } from './raw-contents.js';
import type { ModelInferResponse } from './wire-types.js';

export interface EncodeModelInferResponseOptions {
  modelName: string;
  modelVersion: string;
  /** The request's id, echoed as the spec requires; empty when it had none. */
  id?: string;
  outputs: readonly Tensor[];
  /** The request's output names: when given, only these are returned, in this order. */
  outputNames?: readonly string[];
}

/** The model produced something inconsistent: a server fault (INTERNAL), not the client's. */
function checkTensor(tensor: Tensor): void {
  const { name, datatype, shape, data } = tensor;
  const problem = (what: string): never => {
    throw new Error(`model output '${name}' ${what}`);
  };
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) problem(`has an invalid shape ${JSON.stringify(shape)}`);
  const expected = elementCount(shape);
  if (data.length !== expected) problem(`(${datatype}, shape ${JSON.stringify(shape)}) holds ${data.length} elements, not ${expected}`);
  const fits = isNumericDatatype(datatype) ? data instanceof TYPED_ARRAY_OF[datatype] : Array.isArray(data);
  if (!fits) problem(`holds data of the wrong kind for ${datatype}`);
}

function selectOutputs(outputs: readonly Tensor[], names: readonly string[] | undefined): readonly Tensor[] {
  if (names === undefined) return outputs;
  const byName = new Map(outputs.map((t) => [t.name, t]));
  return names.map((name) => {
    const tensor = byName.get(name);
    if (tensor === undefined) {
      throw new OipBadRequest(
        `requested output '${name}' is not an output of this model; it has ${outputs.map((t) => `'${t.name}'`).join(', ') || 'none'}`,
      );
    }
    return tensor;
  });
}

export function encodeModelInferResponse(options: EncodeModelInferResponseOptions): ModelInferResponse {
  const selected = selectOutputs(options.outputs, options.outputNames);
  selected.forEach(checkTensor);
  return {
    model_name: options.modelName,
    model_version: options.modelVersion,
    id: options.id ?? '',
    outputs: selected.map(({ name, datatype, shape }) => ({ name, datatype, shape: [...shape] })),
    raw_output_contents: selected.map(rawBytesOf),
  };
}
