/**
 * Turns an OIP inference request body (already JSON-parsed, so `unknown`) plus, with Triton's
 * binary tensor data extension, the raw HTTP body into validated tensors. Pure: no I/O, no model
 * knowledge; checking inputs against a model's signature is the caller's next step.
 *
 * Every rejection is an OipBadRequest whose message names the input, what it needed and what
 * arrived, because the client reading the 400 has nothing else to go on.
 */
import {
  ELEMENT_BYTE_SIZE,
  elementCount,
  isOipDatatype,
  typedArrayFromLittleEndian,
  OIP_DATATYPES,
  type OipDatatype,
  type Tensor,
  type TensorData,
} from './datatypes.js';
import { describeValue, jsonToTensorData } from './json-elements.js';
import { OipBadRequest } from './oip-error.js';
import type { Parameters, RequestOutput } from './oip-types.js';

export type DecodedInput = Tensor & { parameters?: Parameters };

export interface DecodedInferenceRequest {
  id?: string;
  parameters?: Parameters;
  inputs: DecodedInput[];
  outputs?: RequestOutput[];
  /** The request's `parameters.binary_data_output` (default false): the encoder's default. */
  binaryDataOutput: boolean;
}

/**
 * The raw HTTP body when the client used the binary extension: `headerLength` is the
 * Inference-Header-Content-Length (the JSON part); tensor bytes follow it.
 */
export interface BinaryBody {
  buffer: Uint8Array;
  headerLength: number;
}

const fail = (message: string): never => {
  throw new OipBadRequest(message);
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseParameters(value: unknown, where: string): Parameters | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) return fail(`${where} parameters must be an object; got ${describeValue(value)}`);
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      fail(`${where} parameter '${key}' must be a string, number or boolean; got ${describeValue(v)}`);
    }
  }
  return value as Parameters;
}

function optionalBoolean(parameters: Parameters | undefined, key: string, where: string): boolean | undefined {
  const value = parameters?.[key];
  if (value === undefined || typeof value === 'boolean') return value;
  return fail(`${where} parameter '${key}' must be a boolean; got ${describeValue(value)}`);
}

function parseShape(value: unknown, where: string): number[] {
  const ok =
    Array.isArray(value) && value.every((d): d is number => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0);
  if (!ok) {
    return fail(`${where} shape must be an array of non-negative integers; got ${Array.isArray(value) ? JSON.stringify(value) : describeValue(value)}`);
  }
  if (!Number.isSafeInteger(elementCount(value))) fail(`${where} shape ${JSON.stringify(value)} holds too many elements`);
  return value;
}

/** Row-major flattening of arbitrarily nested arrays, iterative so deep nesting cannot overflow. */
function flatten(data: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  const stack: Array<{ items: readonly unknown[]; next: number }> = [{ items: data, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next >= top.items.length) {
      stack.pop();
      continue;
    }
    const item = top.items[top.next++];
    if (Array.isArray(item)) stack.push({ items: item, next: 0 });
    else out.push(item);
  }
  return out;
}

/** Label used in every message about one input: `input 'x' (FP32, shape [2,2])`. */
function label(name: string, datatype: OipDatatype, shape: readonly number[]): string {
  return `input '${name}' (${datatype}, shape ${JSON.stringify(shape)})`;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function binaryToTensorData(datatype: OipDatatype, count: number, bytes: Uint8Array, where: string): TensorData {
  if (datatype === 'BYTES') {
    // Each element: 4-byte little-endian unsigned length, then that many bytes.
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out: string[] = [];
    let at = 0;
    for (let i = 0; i < count; i++) {
      if (at + 4 > bytes.length) {
        fail(`${where}: binary data ends inside the length prefix of element ${i} (${bytes.length} bytes for ${count} elements)`);
      }
      const length = view.getUint32(at, true);
      at += 4;
      if (at + length > bytes.length) {
        fail(`${where}: binary element ${i} declares ${length} bytes but only ${bytes.length - at} remain in its binary_data_size`);
      }
      try {
        out.push(utf8.decode(bytes.subarray(at, at + length)));
      } catch {
        fail(`${where}: binary element ${i} is not valid UTF-8; BYTES elements are served as text`);
      }
      at += length;
    }
    if (at !== bytes.length) {
      fail(`${where}: binary_data_size is ${bytes.length} bytes but its ${count} elements use ${at}`);
    }
    return out;
  }
  const expected = count * ELEMENT_BYTE_SIZE[datatype];
  if (bytes.length !== expected) {
    fail(`${where}: binary_data_size must be ${expected} bytes (${count} × ${ELEMENT_BYTE_SIZE[datatype]}); got ${bytes.length}`);
  }
  if (datatype === 'BOOL') {
    return Array.from(bytes, (b, i) => (b === 0 ? false : b === 1 ? true : fail(`${where}: binary element ${i} is byte ${b}; BOOL needs 0 or 1`)));
  }
  return typedArrayFromLittleEndian(datatype, bytes);
}

/** Reads consecutive binary tensors from the body after the JSON header. */
class BinaryCursor {
  private at: number;

  constructor(private readonly body: BinaryBody | undefined) {
    if (body !== undefined) {
      const { buffer, headerLength } = body;
      if (!Number.isSafeInteger(headerLength) || headerLength < 0 || headerLength > buffer.length) {
        fail(`Inference-Header-Content-Length ${headerLength} does not fit the ${buffer.length}-byte body`);
      }
    }
    this.at = body?.headerLength ?? 0;
  }

  take(size: number, where: string): Uint8Array {
    if (this.body === undefined) {
      return fail(`${where} has parameters.binary_data_size but the request carries no binary data (no Inference-Header-Content-Length)`);
    }
    const remaining = this.body.buffer.length - this.at;
    if (size > remaining) {
      fail(`${where}: binary_data_size is ${size} bytes but only ${remaining} remain in the body`);
    }
    const bytes = this.body.buffer.subarray(this.at, this.at + size);
    this.at += size;
    return bytes;
  }

  finish(): void {
    if (this.body === undefined) return;
    const extra = this.body.buffer.length - this.at;
    if (extra > 0) fail(`the body carries ${extra} bytes beyond the tensors its inputs' binary_data_size declare`);
  }
}

function decodeInput(value: unknown, index: number, cursor: BinaryCursor): DecodedInput {
  if (!isRecord(value)) return fail(`inputs[${index}] must be an object; got ${describeValue(value)}`);
  const { name, datatype } = value;
  if (typeof name !== 'string' || name === '') {
    return fail(`inputs[${index}] needs a non-empty string name; got ${describeValue(name)}`);
  }
  const where = `input '${name}'`;
  if (!isOipDatatype(datatype)) {
    return fail(`${where} datatype must be one of ${OIP_DATATYPES.join(', ')}; got ${describeValue(datatype)}`);
  }
  const shape = parseShape(value.shape, where);
  const parameters = parseParameters(value.parameters, where);
  const count = elementCount(shape);
  const full = label(name, datatype, shape);

  const binarySize = parameters?.binary_data_size;
  let data: TensorData;
  if (binarySize !== undefined) {
    if (typeof binarySize !== 'number' || !Number.isSafeInteger(binarySize) || binarySize < 0) {
      return fail(`${where} parameter binary_data_size must be a non-negative integer; got ${describeValue(binarySize)}`);
    }
    if (value.data !== undefined) fail(`${full} has both JSON data and binary_data_size; send one`);
    data = binaryToTensorData(datatype, count, cursor.take(binarySize, full), full);
  } else {
    if (value.data === undefined) fail(`${full} has no data (neither a data array nor parameters.binary_data_size)`);
    if (!Array.isArray(value.data)) fail(`${full}: data must be an array (flat or nested); got ${describeValue(value.data)}`);
    const flat = flatten(value.data as unknown[]);
    if (flat.length !== count) fail(`${full} needs ${count} data elements; got ${flat.length}`);
    data = jsonToTensorData(datatype, flat, {
      at: (i) => `${full}: data element ${i}`,
      raise: fail,
      beyondSafeIntegers: 'send this tensor with the binary tensor data extension',
    });
  }
  // The switch-by-datatype above guarantees data matches datatype; TypeScript cannot follow it.
  const tensor = { name, datatype, shape, data } as Tensor;
  return parameters === undefined ? tensor : { ...tensor, parameters };
}

function decodeRequestedOutput(value: unknown, index: number): RequestOutput {
  if (!isRecord(value)) return fail(`outputs[${index}] must be an object; got ${describeValue(value)}`);
  const { name } = value;
  if (typeof name !== 'string' || name === '') {
    return fail(`outputs[${index}] needs a non-empty string name; got ${describeValue(name)}`);
  }
  const parameters = parseParameters(value.parameters, `output '${name}'`);
  optionalBoolean(parameters, 'binary_data', `output '${name}'`);
  return parameters === undefined ? { name } : { name, parameters };
}

function rejectDuplicates(names: string[], what: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) fail(`${what} '${name}' appears more than once`);
    seen.add(name);
  }
}

export function decodeInferenceRequest(body: unknown, binary?: BinaryBody): DecodedInferenceRequest {
  if (!isRecord(body)) return fail(`the inference request must be a JSON object; got ${describeValue(body)}`);
  const { id } = body;
  if (id !== undefined && typeof id !== 'string') fail(`id must be a string; got ${describeValue(id)}`);
  const parameters = parseParameters(body.parameters, 'request');
  const binaryDataOutput = optionalBoolean(parameters, 'binary_data_output', 'request') ?? false;

  if (!Array.isArray(body.inputs)) return fail(`inputs must be an array of tensors; got ${describeValue(body.inputs)}`);
  const cursor = new BinaryCursor(binary);
  const inputs = body.inputs.map((input: unknown, i) => decodeInput(input, i, cursor));
  cursor.finish();
  rejectDuplicates(inputs.map((i) => i.name), 'input');

  let outputs: RequestOutput[] | undefined;
  if (body.outputs !== undefined) {
    if (!Array.isArray(body.outputs)) return fail(`outputs must be an array; got ${describeValue(body.outputs)}`);
    outputs = body.outputs.map((o: unknown, i) => decodeRequestedOutput(o, i));
    rejectDuplicates(outputs.map((o) => o.name), 'requested output');
  }

  return {
    ...(typeof id === 'string' ? { id } : {}),
    ...(parameters !== undefined ? { parameters } : {}),
    inputs,
    ...(outputs !== undefined ? { outputs } : {}),
    binaryDataOutput,
  };
}
