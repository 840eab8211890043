/**
 * Turns a ModelInferRequest off the wire into validated tensors, the gRPC counterpart of
 * ../decode-request.ts. Every input arrives either typed (`contents`) or raw
 * (`raw_input_contents[i]`); the spec allows one form per request, not a mix. Every rejection is
 * an OipBadRequest (INVALID_ARGUMENT) whose message names the input and what was wrong.
 */
import { OIP_DATATYPES, elementCount, isOipDatatype, type OipDatatype, type Tensor, type TensorData } from '../datatypes.js';
import { describeValue } from '../json-elements.js';
import { OipBadRequest } from '../oip-error.js';
import type { Parameters } from '../oip-types.js';
import { parametersFromWire } from './infer-parameters.js';
import { tensorDataFromRaw } from './raw-contents.js';
import { holdsTypedElements, tensorDataFromContents } from './typed-contents.js';
import type { InferInputTensor, ModelInferRequest } from './wire-types.js';

export interface DecodedModelInferRequest {
  /** The client's id; undefined when it sent none (proto3 sends an empty string). */
  id?: string;
  parameters?: Parameters;
  inputs: Tensor[];
  /** The outputs the client asked for, in its order; undefined means all. */
  outputNames?: string[];
}

const fail = (message: string): never => {
  throw new OipBadRequest(message);
};

/** Label used in every message about one input: `input 'x' (FP32, shape [2,2])`. */
function label(name: string, datatype: OipDatatype, shape: readonly number[]): string {
  return `input '${name}' (${datatype}, shape ${JSON.stringify(shape)})`;
}

/** int64 dimensions arrive as decimal strings; a request's dimensions are all known (no -1). */
function parseShape(dimensions: readonly string[], where: string): number[] {
  const shape = dimensions.map(Number);
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    fail(`${where} shape must hold non-negative integers; got [${dimensions.join(',')}]`);
  }
  if (!Number.isSafeInteger(elementCount(shape))) fail(`${where} shape ${JSON.stringify(shape)} holds too many elements`);
  return shape;
}

function decodeInput(input: InferInputTensor, index: number, raw: Buffer | undefined): Tensor {
  const { name, datatype } = input;
  if (name === '') fail(`inputs[${index}] needs a name`);
  const where = `input '${name}'`;
  if (!isOipDatatype(datatype)) {
    return fail(`${where} datatype must be one of ${OIP_DATATYPES.join(', ')}; got ${describeValue(datatype)}`);
  }
  const shape = parseShape(input.shape, where);
  const count = elementCount(shape);
  const full = label(name, datatype, shape);
  const data: TensorData =
    raw === undefined ? tensorDataFromContents(datatype, input.contents, count, full) : tensorDataFromRaw(datatype, raw, count, full);
  // Both decoders produce the form `datatype` calls for; TypeScript cannot follow the switch.
  return { name, datatype, shape, data } as Tensor;
}

/** When raw contents are used they must cover every input and no input may also be typed. */
function checkRawUse(request: ModelInferRequest): boolean {
  const raw = request.raw_input_contents;
  if (raw.length === 0) return false;
  if (raw.length !== request.inputs.length) {
    fail(
      `raw_input_contents holds ${raw.length} entries but the request has ${request.inputs.length} inputs; ` +
        'when raw contents are used, send one entry per input in the order of inputs',
    );
  }
  const typed = request.inputs.find((input) => holdsTypedElements(input.contents));
  if (typed !== undefined) {
    fail(`input '${typed.name}' has typed contents but the request uses raw_input_contents; send every input one way or the other`);
  }
  return true;
}

function rejectDuplicates(names: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) fail(`${what} '${name}' appears more than once`);
    seen.add(name);
  }
}

export function decodeModelInferRequest(request: ModelInferRequest): DecodedModelInferRequest {
  const usesRaw = checkRawUse(request);
  const inputs = request.inputs.map((input, i) => decodeInput(input, i, usesRaw ? request.raw_input_contents[i] : undefined));
  rejectDuplicates(inputs.map((input) => input.name), 'input');

  let outputNames: string[] | undefined;
  if (request.outputs.length > 0) {
    outputNames = request.outputs.map((output, i) => (output.name === '' ? fail(`outputs[${i}] needs a name`) : output.name));
    rejectDuplicates(outputNames, 'requested output');
  }
  const parameters = parametersFromWire(request.parameters, 'request');

  return {
    ...(request.id !== '' ? { id: request.id } : {}),
    ...(parameters !== undefined ? { parameters } : {}),
    inputs,
    ...(outputNames !== undefined ? { outputNames } : {}),
  };
}
