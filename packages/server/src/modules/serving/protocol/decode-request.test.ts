import { describe, expect, it } from 'vitest';
import { decodeInferenceRequest, type BinaryBody } from './decode-request.js';
import { OipBadRequest } from './oip-error.js';

const one = (input: Record<string, unknown>) => decodeInferenceRequest({ inputs: [input] }).inputs[0]!;

function rejects(body: unknown, message: RegExp, binary?: BinaryBody): void {
  let thrown: unknown;
  try {
    decodeInferenceRequest(body, binary);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(OipBadRequest);
  expect((thrown as OipBadRequest).status).toBe(400);
  expect((thrown as OipBadRequest).message).toMatch(message);
}

/** A binary-extension body: the JSON header, then the given chunks. */
function withBinary(header: unknown, ...chunks: Uint8Array[]): [unknown, BinaryBody] {
  const json = Buffer.from(JSON.stringify(header));
  return [JSON.parse(json.toString()), { buffer: Buffer.concat([json, ...chunks]), headerLength: json.length }];
}

function bytesElements(...values: string[]): Uint8Array {
  return Buffer.concat(
    values.flatMap((v) => {
      const bytes = Buffer.from(v, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32LE(bytes.length);
      return [length, bytes];
    }),
  );
}

describe('decodeInferenceRequest: JSON tensors', () => {
  it('decodes the spec example, keeping id and requested outputs', () => {
    const request = decodeInferenceRequest({
      id: '42',
      inputs: [
        { name: 'input0', shape: [2, 2], datatype: 'UINT32', data: [1, 2, 3, 4] },
        { name: 'input1', shape: [3], datatype: 'BOOL', data: [true, false, true] },
      ],
      outputs: [{ name: 'output0' }],
    });
    expect(request.id).toBe('42');
    expect(request.outputs).toEqual([{ name: 'output0' }]);
    expect(request.binaryDataOutput).toBe(false);
    expect(request.inputs[0]).toEqual({ name: 'input0', datatype: 'UINT32', shape: [2, 2], data: new Uint32Array([1, 2, 3, 4]) });
    expect(request.inputs[1]!.data).toEqual([true, false, true]);
  });

  it('treats nested row-major data like the flat form', () => {
    const nested = one({ name: 'x', shape: [2, 2, 2], datatype: 'FP32', data: [[[1, 2], [3, 4]], [[5, 6], [7, 8]]] });
    const flat = one({ name: 'x', shape: [2, 2, 2], datatype: 'FP32', data: [1, 2, 3, 4, 5, 6, 7, 8] });
    expect(nested).toEqual(flat);
    expect(nested.data).toBeInstanceOf(Float32Array);
  });

  it('decodes each datatype into its in-memory form', () => {
    const cases: Array<[string, unknown[], unknown]> = [
      ['UINT8', [0, 255], new Uint8Array([0, 255])],
      ['UINT16', [0, 65535], new Uint16Array([0, 65535])],
      ['UINT32', [0, 4294967295], new Uint32Array([0, 4294967295])],
      ['UINT64', [0, 9007199254740991], new BigUint64Array([0n, 9007199254740991n])],
      ['INT8', [-128, 127], new Int8Array([-128, 127])],
      ['INT16', [-32768, 32767], new Int16Array([-32768, 32767])],
      ['INT32', [-2147483648, 2147483647], new Int32Array([-2147483648, 2147483647])],
      ['INT64', [-9007199254740991, 7], new BigInt64Array([-9007199254740991n, 7n])],
      ['FP16', [1, -2], new Uint16Array([0x3c00, 0xc000])],
      ['FP32', [0.5, -1.25], new Float32Array([0.5, -1.25])],
      ['FP64', [0.1, 1e300], new Float64Array([0.1, 1e300])],
      ['BOOL', [true, false], [true, false]],
      ['BYTES', ['héllo', '数据 🚀'], ['héllo', '数据 🚀']],
    ];
    for (const [datatype, data, expected] of cases) {
      expect(one({ name: 'x', shape: [2], datatype, data }).data, datatype).toEqual(expected);
    }
  });

  it('takes INT64 beyond 2^53 exactly when the parser hands over a bigint', () => {
    const data = one({ name: 'ids', shape: [2], datatype: 'INT64', data: [2n ** 63n - 1n, -(2n ** 63n)] }).data;
    expect(data).toEqual(new BigInt64Array([2n ** 63n - 1n, -(2n ** 63n)]));
  });

  it('accepts a scalar shape [] with one element and a zero-size tensor with none', () => {
    expect(one({ name: 's', shape: [], datatype: 'FP64', data: [3] }).data).toEqual(new Float64Array([3]));
    expect(one({ name: 'e', shape: [0, 4], datatype: 'FP32', data: [] }).data).toEqual(new Float32Array(0));
  });

  it('keeps input and request parameters and reads binary_data_output', () => {
    const request = decodeInferenceRequest({
      parameters: { binary_data_output: true, priority: 1 },
      inputs: [{ name: 'x', shape: [1], datatype: 'BYTES', parameters: { content_type: 'str' }, data: ['a'] }],
    });
    expect(request.binaryDataOutput).toBe(true);
    expect(request.parameters).toEqual({ binary_data_output: true, priority: 1 });
    expect(request.inputs[0]!.parameters).toEqual({ content_type: 'str' });
  });
});

describe('decodeInferenceRequest: rejections name the input, the expectation and what arrived', () => {
  const input = (over: Record<string, unknown>) => ({ inputs: [{ name: 'x', shape: [2], datatype: 'FP32', data: [1, 2], ...over }] });

  it('rejects a wrong element count', () => {
    rejects(input({ data: [1, 2, 3] }), /input 'x' \(FP32, shape \[2\]\) needs 2 data elements; got 3/);
    rejects(input({ shape: [2, 2], data: [[1, 2], [3]] }), /needs 4 data elements; got 3/);
  });

  it('rejects a string in FP32', () => {
    rejects(input({ data: [1, 'a'] }), /input 'x' \(FP32, shape \[2\]\): data element 1 is the string "a"; FP32 needs a finite number/);
  });

  it('rejects a float, a boolean and an out-of-range value in INT32', () => {
    rejects(input({ datatype: 'INT32', data: [1, 1.5] }), /input 'x' \(INT32, shape \[2\]\): data element 1 is the number 1.5; INT32 needs an integer/);
    rejects(input({ datatype: 'INT32', data: [true, 1] }), /element 0 is the boolean true; INT32 needs an integer/);
    rejects(input({ datatype: 'INT32', data: [2147483648, 1] }), /element 0 is the number 2147483648; INT32 needs an integer from -2147483648 to 2147483647/);
    rejects(input({ datatype: 'UINT8', data: [-1, 1] }), /UINT8 needs an integer from 0 to 255/);
  });

  it('rejects a non-boolean in BOOL and a non-string in BYTES', () => {
    rejects(input({ datatype: 'BOOL', data: [true, 1] }), /input 'x' \(BOOL, shape \[2\]\): data element 1 is the number 1; BOOL needs a boolean/);
    rejects(input({ datatype: 'BYTES', data: ['a', null] }), /element 1 is null; BYTES needs a string/);
  });

  it('rejects 64-bit values JSON cannot carry exactly, non-integers and out-of-range values', () => {
    rejects(input({ datatype: 'INT64', data: [2 ** 60, 1] }), /beyond 2\^53.*binary tensor data extension/);
    rejects(input({ datatype: 'INT64', data: [0.5, 1] }), /element 0 is the number 0.5; INT64 needs an integer/);
    rejects(input({ datatype: 'UINT64', data: [-1, 1] }), /UINT64 needs an integer from 0 to 18446744073709551615/);
    rejects(input({ datatype: 'INT64', data: [2n ** 63n, 1] }), /INT64 needs an integer from -9223372036854775808/);
  });

  it('rejects floats that overflow FP16 and FP32', () => {
    rejects(input({ datatype: 'FP16', data: [70000, 1] }), /FP16 needs a number within ±65504/);
    rejects(input({ datatype: 'FP32', data: [1e39, 1] }), /FP32 needs a number within the float32 range/);
  });

  it('rejects missing and malformed fields', () => {
    rejects(null, /must be a JSON object; got null/);
    rejects({}, /inputs must be an array of tensors; got nothing/);
    rejects({ inputs: [{ shape: [1], datatype: 'FP32', data: [1] }] }, /inputs\[0\] needs a non-empty string name; got nothing/);
    rejects(input({ datatype: 'FLOAT32' }), /input 'x' datatype must be one of BOOL, UINT8.*; got the string "FLOAT32"/);
    rejects(input({ datatype: undefined }), /datatype must be one of .*; got nothing/);
    rejects(input({ shape: undefined }), /input 'x' shape must be an array of non-negative integers; got nothing/);
    rejects(input({ data: undefined }), /input 'x' \(FP32, shape \[2\]\) has no data/);
    rejects(input({ data: 5 }), /data must be an array \(flat or nested\); got the number 5/);
    rejects({ id: 7, inputs: [] }, /id must be a string; got the number 7/);
    rejects({ inputs: [], outputs: [{}] }, /outputs\[0\] needs a non-empty string name/);
    rejects({ inputs: [], parameters: { binary_data_output: 'yes' } }, /request parameter 'binary_data_output' must be a boolean/);
    rejects({ inputs: [], outputs: [{ name: 'y', parameters: { binary_data: 1 } }] }, /output 'y' parameter 'binary_data' must be a boolean/);
    rejects({ inputs: [], parameters: { nested: {} } }, /request parameter 'nested' must be a string, number or boolean; got an object/);
  });

  it('rejects negative and non-integer shapes', () => {
    rejects(input({ shape: [-1, 2] }), /input 'x' shape must be an array of non-negative integers; got \[-1,2\]/);
    rejects(input({ shape: [1.5] }), /got \[1.5\]/);
    rejects(input({ shape: ['2'] }), /got \["2"\]/);
  });

  it('rejects duplicate input and output names', () => {
    const x = { name: 'x', shape: [1], datatype: 'FP32', data: [1] };
    rejects({ inputs: [x, x] }, /input 'x' appears more than once/);
    rejects({ inputs: [x], outputs: [{ name: 'y' }, { name: 'y' }] }, /requested output 'y' appears more than once/);
  });
});

describe('decodeInferenceRequest: binary tensor data extension', () => {
  it('reads one binary input and one JSON input from the body after the header', () => {
    const raw = Buffer.alloc(16);
    [1, 2, 3, 4].forEach((v, i) => raw.writeUInt32LE(v, i * 4));
    const [header, binary] = withBinary(
      {
        inputs: [
          { name: 'input0', shape: [2, 2], datatype: 'UINT32', parameters: { binary_data_size: 16 } },
          { name: 'input1', shape: [3], datatype: 'BOOL', data: [true, false, true] },
        ],
        outputs: [{ name: 'output0', parameters: { binary_data: true } }],
      },
      raw,
    );
    const request = decodeInferenceRequest(header, binary);
    expect(request.inputs[0]!.data).toEqual(new Uint32Array([1, 2, 3, 4]));
    expect(request.inputs[1]!.data).toEqual([true, false, true]);
    expect(request.outputs).toEqual([{ name: 'output0', parameters: { binary_data: true } }]);
  });

  it('reads binary inputs in input order: BOOL bytes, INT64 beyond 2^53, FP16 bits, BYTES', () => {
    const int64 = Buffer.alloc(8);
    int64.writeBigInt64LE(2n ** 62n + 1n);
    const fp16 = Buffer.from([0x00, 0x3c, 0x00, 0xc0]);
    const strings = bytesElements('', 'naïve ☕', 'x');
    const [header, binary] = withBinary(
      {
        inputs: [
          { name: 'b', shape: [3], datatype: 'BOOL', parameters: { binary_data_size: 3 } },
          { name: 'i', shape: [1], datatype: 'INT64', parameters: { binary_data_size: 8 } },
          { name: 'h', shape: [2], datatype: 'FP16', parameters: { binary_data_size: 4 } },
          { name: 's', shape: [3], datatype: 'BYTES', parameters: { binary_data_size: strings.length } },
        ],
      },
      Buffer.from([1, 0, 1]),
      int64,
      fp16,
      strings,
    );
    const [b, i, h, s] = decodeInferenceRequest(header, binary).inputs;
    expect(b!.data).toEqual([true, false, true]);
    expect(i!.data).toEqual(new BigInt64Array([2n ** 62n + 1n]));
    expect(h!.data).toEqual(new Uint16Array([0x3c00, 0xc000]));
    expect(s!.data).toEqual(['', 'naïve ☕', 'x']);
  });

  it('rejects a binary size that does not match the shape', () => {
    const [header, binary] = withBinary(
      { inputs: [{ name: 'x', shape: [2], datatype: 'FP32', parameters: { binary_data_size: 4 } }] },
      Buffer.alloc(4),
    );
    rejects(header, /input 'x' \(FP32, shape \[2\]\): binary_data_size must be 8 bytes \(2 × 4\); got 4/, binary);
  });

  it('rejects a body shorter or longer than the declared sizes', () => {
    const short = withBinary({ inputs: [{ name: 'x', shape: [2], datatype: 'FP32', parameters: { binary_data_size: 8 } }] }, Buffer.alloc(6));
    rejects(short[0], /binary_data_size is 8 bytes but only 6 remain in the body/, short[1]);
    const long = withBinary({ inputs: [{ name: 'x', shape: [2], datatype: 'FP32', parameters: { binary_data_size: 8 } }] }, Buffer.alloc(10));
    rejects(long[0], /the body carries 2 bytes beyond the tensors/, long[1]);
  });

  it('rejects binary_data_size without a binary body, and with JSON data too', () => {
    rejects({ inputs: [{ name: 'x', shape: [1], datatype: 'FP32', parameters: { binary_data_size: 4 } }] }, /no binary data/);
    const [header, binary] = withBinary(
      { inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [1], parameters: { binary_data_size: 4 } }] },
      Buffer.alloc(4),
    );
    rejects(header, /has both JSON data and binary_data_size/, binary);
    rejects({ inputs: [{ name: 'x', shape: [1], datatype: 'FP32', parameters: { binary_data_size: -4 } }] }, /binary_data_size must be a non-negative integer/);
  });

  it('rejects BOOL bytes other than 0 and 1, and malformed BYTES elements', () => {
    const bools = withBinary({ inputs: [{ name: 'b', shape: [2], datatype: 'BOOL', parameters: { binary_data_size: 2 } }] }, Buffer.from([1, 2]));
    rejects(bools[0], /input 'b' \(BOOL, shape \[2\]\): binary element 1 is byte 2; BOOL needs 0 or 1/, bools[1]);

    const overrun = bytesElements('abc').subarray(0, 6);
    const cut = withBinary({ inputs: [{ name: 's', shape: [1], datatype: 'BYTES', parameters: { binary_data_size: 6 } }] }, overrun);
    rejects(cut[0], /binary element 0 declares 3 bytes but only 2 remain/, cut[1]);

    const spare = bytesElements('a', 'b');
    const extra = withBinary({ inputs: [{ name: 's', shape: [1], datatype: 'BYTES', parameters: { binary_data_size: spare.length } }] }, spare);
    rejects(extra[0], /binary_data_size is 10 bytes but its 1 elements use 5/, extra[1]);

    const invalid = Buffer.concat([Buffer.from([2, 0, 0, 0]), Buffer.from([0xc3, 0x28])]);
    const notUtf8 = withBinary({ inputs: [{ name: 's', shape: [1], datatype: 'BYTES', parameters: { binary_data_size: 6 } }] }, invalid);
    rejects(notUtf8[0], /binary element 0 is not valid UTF-8/, notUtf8[1]);
  });

  it('rejects a header length that does not fit the body', () => {
    rejects({ inputs: [] }, /Inference-Header-Content-Length 50 does not fit the 10-byte body/, { buffer: new Uint8Array(10), headerLength: 50 });
  });
});
