/**
 * Builds the OIP inference response from a model's output tensors: picks the outputs the client
 * asked for (in its order), echoes its id, and renders each tensor either as flat JSON `data` or,
 * with Triton's binary tensor data extension, as raw little-endian bytes after the JSON header.
 * Pure: the route decides headers and status from what this returns.
 */
import { halfBitsToNumber, type Tensor } from './datatypes.js';
import { OipBadRequest } from './oip-error.js';
import { binaryTensorBytes, checkOutputTensor } from './tensor-wire.js';
import type { InferenceResponse, JsonTensorElement, Parameters, RequestOutput, ResponseOutput } from './oip-types.js';

export interface EncodeResponseOptions {
  modelName: string;
  modelVersion?: string;
  /** The request's id, echoed when present (the spec requires it). */
  id?: string;
  parameters?: Parameters;
  /** Everything the model produced, flat row-major as the decoder's tensors are. */
  outputs: readonly Tensor[];
  /** The request's `outputs`: when given, only these are returned, in this order. */
  requestedOutputs?: readonly RequestOutput[];
  /**
   * Default for every output: the request's `parameters.binary_data_output` (the decoder exposes
   * it as `binaryDataOutput`). A requested output's `parameters.binary_data` overrides it.
   */
  binaryOutputs?: boolean;
}

export type EncodedResponse =
  | { kind: 'json'; body: InferenceResponse }
  | {
      kind: 'binary';
      /** The JSON part, as serialized at the front of `body`. */
      header: InferenceResponse;
      /** JSON header bytes followed by each binary output's bytes, in output order. */
      body: Buffer;
      /**
       * Byte length of the JSON header: send as Inference-Header-Content-Length, with
       * content-type application/octet-stream.
       */
      headerLength: number;
    };

/**
 * JSON cannot carry every 64-bit integer exactly; rather than round silently (corrupting ids and
 * hashes), the client is told to ask for this output as binary data.
 */
function bigToJson(name: string, value: bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) {
    throw new OipBadRequest(
      `output '${name}' holds the integer ${value}, which JSON numbers cannot carry exactly; ` +
        `request it with parameters.binary_data = true`,
    );
  }
  return n;
}

function jsonData(tensor: Tensor): JsonTensorElement[] {
  switch (tensor.datatype) {
    case 'BOOL':
    case 'BYTES':
      return [...tensor.data];
    case 'INT64':
    case 'UINT64':
      return Array.from(tensor.data, (v) => bigToJson(tensor.name, v));
    case 'FP16':
      return Array.from(tensor.data, halfBitsToNumber);
    default:
      return Array.from(tensor.data);
  }
}

function selectOutputs(
  outputs: readonly Tensor[],
  requested: readonly RequestOutput[] | undefined,
  defaultBinary: boolean,
): Array<{ tensor: Tensor; binary: boolean }> {
  if (requested === undefined) return outputs.map((tensor) => ({ tensor, binary: defaultBinary }));
  const byName = new Map(outputs.map((t) => [t.name, t]));
  return requested.map((r) => {
    const tensor = byName.get(r.name);
    if (tensor === undefined) {
      throw new OipBadRequest(
        `requested output '${r.name}' is not an output of this model; it has ${outputs.map((t) => `'${t.name}'`).join(', ') || 'none'}`,
      );
    }
    const flag = r.parameters?.binary_data;
    return { tensor, binary: typeof flag === 'boolean' ? flag : defaultBinary };
  });
}

export function encodeInferenceResponse(options: EncodeResponseOptions): EncodedResponse {
  const selected = selectOutputs(options.outputs, options.requestedOutputs, options.binaryOutputs ?? false);
  const chunks: Uint8Array[] = [];
  const rendered: ResponseOutput[] = selected.map(({ tensor, binary }) => {
    checkOutputTensor(tensor);
    const head = { name: tensor.name, datatype: tensor.datatype, shape: [...tensor.shape] };
    if (!binary) return { ...head, data: jsonData(tensor) };
    const bytes = binaryTensorBytes(tensor);
    chunks.push(bytes);
    return { ...head, parameters: { binary_data_size: bytes.length } };
  });

  const response: InferenceResponse = {
    model_name: options.modelName,
    ...(options.modelVersion !== undefined ? { model_version: options.modelVersion } : {}),
    ...(options.id !== undefined ? { id: options.id } : {}),
    ...(options.parameters !== undefined ? { parameters: options.parameters } : {}),
    outputs: rendered,
  };
  if (chunks.length === 0) return { kind: 'json', body: response };

  const header = Buffer.from(JSON.stringify(response), 'utf8');
  return { kind: 'binary', header: response, body: Buffer.concat([header, ...chunks]), headerLength: header.length };
}
