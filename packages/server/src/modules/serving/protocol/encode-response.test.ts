import { describe, expect, it } from 'vitest';
import type { Tensor } from './datatypes.js';
import { decodeInferenceRequest } from './decode-request.js';
import { encodeInferenceResponse, type EncodedResponse } from './encode-response.js';
import { OipBadRequest } from './oip-error.js';

const ALL: Tensor[] = [
  { name: 'bool', datatype: 'BOOL', shape: [3], data: [true, false, true] },
  { name: 'u8', datatype: 'UINT8', shape: [2], data: new Uint8Array([0, 255]) },
  { name: 'u16', datatype: 'UINT16', shape: [2], data: new Uint16Array([0, 65535]) },
  { name: 'u32', datatype: 'UINT32', shape: [2], data: new Uint32Array([0, 4294967295]) },
  { name: 'u64', datatype: 'UINT64', shape: [2], data: new BigUint64Array([0n, 9007199254740991n]) },
  { name: 'i8', datatype: 'INT8', shape: [2], data: new Int8Array([-128, 127]) },
  { name: 'i16', datatype: 'INT16', shape: [2], data: new Int16Array([-32768, 32767]) },
  { name: 'i32', datatype: 'INT32', shape: [2], data: new Int32Array([-2147483648, 2147483647]) },
  { name: 'i64', datatype: 'INT64', shape: [2], data: new BigInt64Array([-9007199254740991n, 9007199254740991n]) },
  { name: 'f16', datatype: 'FP16', shape: [3], data: new Uint16Array([0x3c00, 0xc000, 0x2e66]) },
  { name: 'f32', datatype: 'FP32', shape: [2, 2], data: new Float32Array([1, 1.5, -2.25, 1e-3]) },
  { name: 'f64', datatype: 'FP64', shape: [2], data: new Float64Array([0.1, -1e300]) },
  { name: 'str', datatype: 'BYTES', shape: [3], data: ['', 'héllo', '数据 🚀'] },
];

function binaryOf(encoded: EncodedResponse) {
  if (encoded.kind !== 'binary') throw new Error('expected a binary response');
  return encoded;
}
function jsonOf(encoded: EncodedResponse) {
  if (encoded.kind !== 'json') throw new Error('expected a JSON response');
  return encoded.body;
}

/** Reads a response as if it were a request: the same tensor fields, the same binary layout. */
function decodeResponse(encoded: EncodedResponse) {
  if (encoded.kind === 'json') {
    // Through real JSON text, as a client would receive it.
    return decodeInferenceRequest({ inputs: JSON.parse(JSON.stringify(encoded.body)).outputs }).inputs;
  }
  const header = JSON.parse(encoded.body.subarray(0, encoded.headerLength).toString('utf8'));
  const inputs = decodeInferenceRequest({ inputs: header.outputs }, { buffer: encoded.body, headerLength: encoded.headerLength }).inputs;
  // binary_data_size was transport detail; compare the tensors alone.
  return inputs.map(({ parameters: _parameters, ...tensor }) => tensor);
}

describe('encodeInferenceResponse: JSON', () => {
  it('renders flat row-major data and echoes model, version and id', () => {
    const body = jsonOf(
      encodeInferenceResponse({
        modelName: 'mymodel',
        modelVersion: '3',
        id: '42',
        outputs: [{ name: 'output0', datatype: 'FP32', shape: [3, 2], data: new Float32Array([1, 1.5, 2, 2.5, 3, 3.5]) }],
      }),
    );
    expect(body).toEqual({
      model_name: 'mymodel',
      model_version: '3',
      id: '42',
      outputs: [{ name: 'output0', datatype: 'FP32', shape: [3, 2], data: [1, 1.5, 2, 2.5, 3, 3.5] }],
    });
  });

  it('leaves out id and model_version when the request had none', () => {
    const body = jsonOf(encodeInferenceResponse({ modelName: 'm', outputs: [] }));
    expect(body).toEqual({ model_name: 'm', outputs: [] });
  });

  it('round-trips every datatype through JSON text', () => {
    const decoded = decodeResponse(encodeInferenceResponse({ modelName: 'm', outputs: ALL }));
    expect(decoded).toEqual(ALL);
  });

  it('renders FP16 as numbers and 64-bit integers as safe JSON numbers', () => {
    const body = jsonOf(encodeInferenceResponse({ modelName: 'm', outputs: ALL }));
    const byName = new Map(body.outputs.map((o) => [o.name, o.data]));
    expect(byName.get('f16')).toEqual([1, -2, 0.0999755859375]);
    expect(byName.get('i64')).toEqual([-9007199254740991, 9007199254740991]);
    expect(byName.get('bool')).toEqual([true, false, true]);
  });

  it('refuses to round a 64-bit integer beyond 2^53 into JSON and says how to get it exactly', () => {
    const outputs: Tensor[] = [{ name: 'ids', datatype: 'INT64', shape: [1], data: new BigInt64Array([2n ** 62n + 1n]) }];
    expect(() => encodeInferenceResponse({ modelName: 'm', outputs })).toThrow(OipBadRequest);
    expect(() => encodeInferenceResponse({ modelName: 'm', outputs })).toThrow(/output 'ids' holds the integer 4611686018427387905.*binary_data = true/);
  });
});

describe('encodeInferenceResponse: output selection', () => {
  const outputs: Tensor[] = [
    { name: 'a', datatype: 'INT32', shape: [1], data: new Int32Array([1]) },
    { name: 'b', datatype: 'INT32', shape: [1], data: new Int32Array([2]) },
    { name: 'c', datatype: 'INT32', shape: [1], data: new Int32Array([3]) },
  ];

  it('returns only the requested outputs, in request order', () => {
    const body = jsonOf(encodeInferenceResponse({ modelName: 'm', outputs, requestedOutputs: [{ name: 'c' }, { name: 'a' }] }));
    expect(body.outputs.map((o) => o.name)).toEqual(['c', 'a']);
  });

  it('returns all outputs when none are requested', () => {
    expect(jsonOf(encodeInferenceResponse({ modelName: 'm', outputs })).outputs.map((o) => o.name)).toEqual(['a', 'b', 'c']);
  });

  it('rejects an unknown requested output with a 400 naming it', () => {
    let thrown: unknown;
    try {
      encodeInferenceResponse({ modelName: 'm', outputs, requestedOutputs: [{ name: 'a' }, { name: 'zz' }] });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(OipBadRequest);
    expect((thrown as OipBadRequest).status).toBe(400);
    expect((thrown as OipBadRequest).message).toBe("requested output 'zz' is not an output of this model; it has 'a', 'b', 'c'");
  });

  it('treats a model output inconsistent with its shape or datatype as a server fault', () => {
    const wrongCount: Tensor[] = [{ name: 'y', datatype: 'FP32', shape: [3], data: new Float32Array(2) }];
    expect(() => encodeInferenceResponse({ modelName: 'm', outputs: wrongCount })).toThrow(/model output 'y' \(FP32, shape \[3\]\) holds 2 elements, not 3/);
    const wrongKind = [{ name: 'y', datatype: 'FP32', shape: [2], data: new Float64Array(2) }] as unknown as Tensor[];
    expect(() => encodeInferenceResponse({ modelName: 'm', outputs: wrongKind })).toThrow(/wrong kind for FP32/);
    expect(() => encodeInferenceResponse({ modelName: 'm', outputs: wrongKind })).not.toThrow(OipBadRequest);
  });
});

describe('encodeInferenceResponse: binary tensor data extension', () => {
  it('lays out the Triton example exactly: JSON header, then the raw tensor with binary_data_size', () => {
    const values = [1, 1.5, 2, 2.5, 3, 3.5];
    const encoded = binaryOf(
      encodeInferenceResponse({
        modelName: 'mymodel',
        outputs: [{ name: 'output0', datatype: 'FP32', shape: [3, 2], data: new Float32Array(values) }],
        requestedOutputs: [{ name: 'output0', parameters: { binary_data: true } }],
      }),
    );
    const expectedHeader = {
      model_name: 'mymodel',
      outputs: [{ name: 'output0', datatype: 'FP32', shape: [3, 2], parameters: { binary_data_size: 24 } }],
    };
    expect(encoded.header).toEqual(expectedHeader);
    const headerText = JSON.stringify(expectedHeader);
    expect(encoded.headerLength).toBe(Buffer.byteLength(headerText));
    expect(encoded.body.length).toBe(encoded.headerLength + 24);
    expect(encoded.body.subarray(0, encoded.headerLength).toString('utf8')).toBe(headerText);
    const tensor = encoded.body.subarray(encoded.headerLength);
    expect(values.map((_, i) => tensor.readFloatLE(i * 4))).toEqual(values);
  });

  it('concatenates binary outputs in output order and leaves JSON ones inline', () => {
    const encoded = binaryOf(
      encodeInferenceResponse({
        modelName: 'm',
        id: 'req-7',
        binaryOutputs: true,
        outputs: [
          { name: 'flags', datatype: 'BOOL', shape: [3], data: [true, false, true] },
          { name: 'label', datatype: 'BYTES', shape: [2], data: ['ok', 'ü'] },
          { name: 'score', datatype: 'FP64', shape: [1], data: new Float64Array([0.25]) },
        ],
        requestedOutputs: [{ name: 'label' }, { name: 'score', parameters: { binary_data: false } }, { name: 'flags' }],
      }),
    );
    expect(encoded.header.id).toBe('req-7');
    expect(encoded.header.outputs).toEqual([
      { name: 'label', datatype: 'BYTES', shape: [2], parameters: { binary_data_size: 4 + 2 + 4 + 2 } },
      { name: 'score', datatype: 'FP64', shape: [1], data: [0.25] },
      { name: 'flags', datatype: 'BOOL', shape: [3], parameters: { binary_data_size: 3 } },
    ]);
    // BYTES: 4-byte little-endian length then UTF-8 bytes, per element; then the BOOL bytes.
    expect([...encoded.body.subarray(encoded.headerLength)]).toEqual([2, 0, 0, 0, 0x6f, 0x6b, 2, 0, 0, 0, 0xc3, 0xbc, 1, 0, 1]);
  });

  it('stays JSON when every requested output opts out of the request-wide default', () => {
    const encoded = encodeInferenceResponse({
      modelName: 'm',
      binaryOutputs: true,
      outputs: [{ name: 'a', datatype: 'INT8', shape: [1], data: new Int8Array([5]) }],
      requestedOutputs: [{ name: 'a', parameters: { binary_data: false } }],
    });
    expect(jsonOf(encoded).outputs[0]!.data).toEqual([5]);
  });

  it('round-trips every datatype through the binary layout, INT64/UINT64 beyond 2^53 included', () => {
    const outputs: Tensor[] = [
      ...ALL,
      { name: 'big', datatype: 'INT64', shape: [2], data: new BigInt64Array([2n ** 63n - 1n, -(2n ** 63n)]) },
      { name: 'ubig', datatype: 'UINT64', shape: [1], data: new BigUint64Array([2n ** 64n - 1n]) },
    ];
    expect(decodeResponse(encodeInferenceResponse({ modelName: 'm', outputs, binaryOutputs: true }))).toEqual(outputs);
  });

  it('works with the decoder: binary_data_output on the request becomes the default', () => {
    const request = decodeInferenceRequest({
      id: 'abc',
      parameters: { binary_data_output: true },
      inputs: [{ name: 'x', shape: [2], datatype: 'FP32', data: [1, 2] }],
      outputs: [{ name: 'y' }],
    });
    const encoded = binaryOf(
      encodeInferenceResponse({
        modelName: 'm',
        id: request.id,
        outputs: [{ name: 'y', datatype: 'FP32', shape: [2], data: new Float32Array([2, 4]) }],
        requestedOutputs: request.outputs,
        binaryOutputs: request.binaryDataOutput,
      }),
    );
    expect(encoded.header.id).toBe('abc');
    expect(encoded.body.length).toBe(encoded.headerLength + 8);
  });
});
