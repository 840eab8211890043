import { describe, expect, it } from 'vitest';
import { OipBadRequest } from '../oip-error.js';
import { decodeModelInferRequest } from './decode-infer-request.js';
import { NO_CONTENTS } from './typed-contents.js';
import type { InferInputTensor, InferTensorContents, ModelInferRequest } from './wire-types.js';

/** Messages as proto-loader delivers them (defaults filled in); tests give only what matters. */
function contents(fields: Partial<InferTensorContents>): InferTensorContents {
  return { ...NO_CONTENTS, ...fields };
}

function input(name: string, datatype: string, shape: number[], typed?: Partial<InferTensorContents>): InferInputTensor {
  return { name, datatype, shape: shape.map(String), parameters: {}, contents: typed === undefined ? null : contents(typed) };
}

function request(fields: Partial<ModelInferRequest>): ModelInferRequest {
  return { model_name: 'm', model_version: '', id: '', parameters: {}, inputs: [], outputs: [], raw_input_contents: [], ...fields };
}

function rejects(fields: Partial<ModelInferRequest>, message: string | RegExp): void {
  let thrown: unknown;
  try {
    decodeModelInferRequest(request(fields));
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(OipBadRequest);
  if (typeof message === 'string') expect((thrown as Error).message).toBe(message);
  else expect((thrown as Error).message).toMatch(message);
}

describe('decodeModelInferRequest: typed contents', () => {
  it('reads each datatype from its own field', () => {
    const cases: Array<[string, Partial<InferTensorContents>, unknown]> = [
      ['INT16', { int_contents: [-32768, 32767] }, new Int16Array([-32768, 32767])],
      ['INT32', { int_contents: [-2147483648, 7] }, new Int32Array([-2147483648, 7])],
      ['UINT8', { uint_contents: [0, 255] }, new Uint8Array([0, 255])],
      ['UINT32', { uint_contents: [0, 4294967295] }, new Uint32Array([0, 4294967295])],
      ['INT64', { int64_contents: ['-9223372036854775808', '9223372036854775807'] }, new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n])],
    ];
    for (const [datatype, typed, expected] of cases) {
      const decoded = decodeModelInferRequest(request({ inputs: [input('x', datatype, [2], typed)] }));
      expect(decoded.inputs[0]!.data, datatype).toEqual(expected);
    }
  });

  it('accepts an absent contents message for an input with no elements', () => {
    const decoded = decodeModelInferRequest(request({ inputs: [input('x', 'FP32', [0, 3])] }));
    expect(decoded.inputs[0]).toEqual({ name: 'x', datatype: 'FP32', shape: [0, 3], data: new Float32Array(0) });
  });

  it('rejects an integer outside its datatype range', () => {
    rejects(
      { inputs: [input('x', 'INT8', [2], { int_contents: [1, 128] })] },
      "input 'x' (INT8, shape [2]): element 1 of contents.int_contents is 128; INT8 needs an integer from -128 to 127",
    );
    rejects({ inputs: [input('x', 'UINT16', [1], { uint_contents: [65536] })] }, /UINT16 needs an integer from 0 to 65535/);
  });

  it('names the field to use when elements sit in the wrong one', () => {
    rejects(
      { inputs: [input('x', 'INT32', [1], { fp32_contents: [1] })] },
      "input 'x' (INT32, shape [1]) carries elements in contents.fp32_contents; INT32 data goes in contents.int_contents",
    );
  });

  it('rejects BYTES elements that are not UTF-8', () => {
    rejects(
      { inputs: [input('s', 'BYTES', [1], { bytes_contents: [Buffer.from([0xff, 0xfe])] })] },
      "input 's' (BYTES, shape [1]): element 0 of contents.bytes_contents is not valid UTF-8; BYTES elements are served as text",
    );
  });
});

describe('decodeModelInferRequest: raw contents', () => {
  it('rejects a BOOL byte other than 0 or 1', () => {
    rejects(
      { inputs: [input('b', 'BOOL', [2])], raw_input_contents: [Buffer.from([1, 2])] },
      "input 'b' (BOOL, shape [2]): raw element 1 is byte 2; BOOL needs 0 or 1",
    );
  });

  it('rejects BYTES elements whose length prefixes do not fit', () => {
    const declaresTen = Buffer.from([10, 0, 0, 0, 0x61]);
    rejects(
      { inputs: [input('s', 'BYTES', [1])], raw_input_contents: [declaresTen] },
      "input 's' (BYTES, shape [1]): raw element 0 declares 10 bytes but only 1 remain",
    );
    rejects(
      { inputs: [input('s', 'BYTES', [2])], raw_input_contents: [Buffer.from([1, 0, 0, 0, 0x61])] },
      /raw contents end inside the length prefix of element 1/,
    );
    rejects(
      { inputs: [input('s', 'BYTES', [1])], raw_input_contents: [Buffer.from([1, 0, 0, 0, 0x61, 0x62])] },
      "input 's' (BYTES, shape [1]): raw contents hold 6 bytes but its 1 elements use 5",
    );
  });

  it('decodes raw little-endian integers of every width', () => {
    const raw = Buffer.alloc(8);
    raw.writeInt16LE(-2, 0);
    raw.writeUInt16LE(65535, 2);
    raw.writeUInt32LE(4294967295, 4);
    const decoded = decodeModelInferRequest(
      request({
        inputs: [input('a', 'INT16', [2]), input('b', 'UINT32', [1])],
        raw_input_contents: [raw.subarray(0, 4), raw.subarray(4)],
      }),
    );
    expect(decoded.inputs.map((t) => t.data)).toEqual([new Int16Array([-2, -1]), new Uint32Array([4294967295])]);
  });
});

describe('decodeModelInferRequest: the request around the tensors', () => {
  it('rejects an unknown datatype, a negative dimension and a missing name', () => {
    rejects(
      { inputs: [input('x', 'FLOAT', [1])] },
      "input 'x' datatype must be one of BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES; got the string \"FLOAT\"",
    );
    rejects({ inputs: [input('x', 'FP32', [-1, 2])] }, "input 'x' shape must hold non-negative integers; got [-1,2]");
    rejects({ inputs: [input('', 'FP32', [0])] }, 'inputs[0] needs a name');
  });

  it('rejects duplicate inputs and duplicate requested outputs', () => {
    rejects({ inputs: [input('x', 'FP32', [0]), input('x', 'FP32', [0])] }, "input 'x' appears more than once");
    rejects(
      { outputs: [{ name: 'y', parameters: {} }, { name: 'y', parameters: {} }] },
      "requested output 'y' appears more than once",
    );
  });

  it('converts parameters, refusing integers a JS number would round and parameters with no value', () => {
    const decoded = decodeModelInferRequest(
      request({ parameters: { big_ok: { uint64_param: '9007199254740991', parameter_choice: 'uint64_param' } } }),
    );
    expect(decoded.parameters).toEqual({ big_ok: 9007199254740991 });
    rejects(
      { parameters: { seed: { int64_param: '9007199254740993', parameter_choice: 'int64_param' } } },
      "request parameter 'seed' is the integer 9007199254740993, beyond 2^53 where Capstan's parameters lose precision; send it as string_param",
    );
    rejects({ parameters: { empty: {} } }, /^request parameter 'empty' has no value/);
  });

  it('leaves id, parameters and outputs out when the request has none', () => {
    expect(decodeModelInferRequest(request({}))).toEqual({ inputs: [] });
  });
});
