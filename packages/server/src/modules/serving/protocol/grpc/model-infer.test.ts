import { status } from '@grpc/grpc-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Tensor } from '../datatypes.js';
import {
  ABOVE_2_53,
  GrpcHarness,
  INT64_MAX,
  bytesElements,
  fp16Bytes,
  fp32Bytes,
  int64Bytes,
  rpcError,
  type InferReply,
  inputsOf,
} from './test-support/oip-grpc-harness.js';

let harness: GrpcHarness;

beforeEach(async () => {
  harness = new GrpcHarness();
  await harness.start();
});

afterEach(() => harness.stop());

describe('OIP gRPC: ModelInfer with typed contents', () => {
  it('decodes each typed field into its tensor and replies with raw little-endian outputs', async () => {
    const { response } = await harness.rpc<InferReply>('ModelInfer', {
      model_name: 'echo',
      inputs: [
        { name: 'f', datatype: 'FP32', shape: [2], contents: { fp32_contents: [0.5, -1.25] } },
        { name: 'i', datatype: 'INT64', shape: [2], contents: { int64_contents: [ABOVE_2_53.toString(), '-7'] } },
        { name: 's', datatype: 'BYTES', shape: [2], contents: { bytes_contents: [Buffer.from('héllo'), Buffer.from('🚀')] } },
        { name: 'b', datatype: 'BOOL', shape: [1, 3], contents: { bool_contents: [true, false, true] } },
        { name: 'u', datatype: 'UINT16', shape: [1], contents: { uint_contents: [65535] } },
        { name: 'n', datatype: 'INT8', shape: [1], contents: { int_contents: [-128] } },
        { name: 'd', datatype: 'FP64', shape: [1], contents: { fp64_contents: [0.1] } },
        { name: 'w', datatype: 'UINT64', shape: [1], contents: { uint64_contents: ['18446744073709551615'] } },
      ],
    });
    expect(harness.engine.calls[0]!.inputs).toEqual([
      { name: 'f', datatype: 'FP32', shape: [2], data: new Float32Array([0.5, -1.25]) },
      { name: 'i', datatype: 'INT64', shape: [2], data: new BigInt64Array([ABOVE_2_53, -7n]) },
      { name: 's', datatype: 'BYTES', shape: [2], data: ['héllo', '🚀'] },
      { name: 'b', datatype: 'BOOL', shape: [1, 3], data: [true, false, true] },
      { name: 'u', datatype: 'UINT16', shape: [1], data: new Uint16Array([65535]) },
      { name: 'n', datatype: 'INT8', shape: [1], data: new Int8Array([-128]) },
      { name: 'd', datatype: 'FP64', shape: [1], data: new Float64Array([0.1]) },
      { name: 'w', datatype: 'UINT64', shape: [1], data: new BigUint64Array([2n ** 64n - 1n]) },
    ]);
    expect(response.model_name).toBe('echo');
    expect(response.model_version).toBe('2');
    expect(response.outputs.map((o) => [o.name, o.datatype, o.shape])).toEqual([
      ['f', 'FP32', ['2']],
      ['i', 'INT64', ['2']],
      ['s', 'BYTES', ['2']],
      ['b', 'BOOL', ['1', '3']],
      ['u', 'UINT16', ['1']],
      ['n', 'INT8', ['1']],
      ['d', 'FP64', ['1']],
      ['w', 'UINT64', ['1']],
    ]);
    const raw = response.raw_output_contents;
    expect(raw[0]).toEqual(fp32Bytes([0.5, -1.25]));
    expect(raw[1]!.readBigInt64LE(0)).toBe(ABOVE_2_53);
    expect(raw[1]!.readBigInt64LE(8)).toBe(-7n);
    expect(raw[2]).toEqual(bytesElements('héllo', '🚀'));
    expect([...raw[3]!]).toEqual([1, 0, 1]);
    expect(raw[4]!.readUInt16LE(0)).toBe(65535);
    expect(raw[5]!.readInt8(0)).toBe(-128);
    expect(raw[6]!.readDoubleLE(0)).toBe(0.1);
    expect(raw[7]!.readBigUInt64LE(0)).toBe(2n ** 64n - 1n);
  });

  it('rejects a typed element count that does not match the shape, naming the input', async () => {
    const error = await rpcError(
      harness.rpc('ModelInfer', {
        model_name: 'echo',
        inputs: [{ name: 'x', datatype: 'FP32', shape: [2, 2], contents: { fp32_contents: [1, 2, 3] } }],
      }),
    );
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toBe(
      "input 'x' (FP32, shape [2,2]) needs 4 elements in contents.fp32_contents; got 3 (or send every input in raw_input_contents)",
    );
    expect(harness.engine.calls).toEqual([]);
  });

  it('rejects FP16 in typed contents, pointing to raw contents', async () => {
    const error = await rpcError(
      harness.rpc('ModelInfer', { model_name: 'echo', inputs: [{ name: 'h', datatype: 'FP16', shape: [1], contents: { fp32_contents: [1] } }] }),
    );
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toMatch(/^input 'h' \(FP16, shape \[1\]\): FP16 has no typed contents field.*raw_input_contents/);
  });
});

describe('OIP gRPC: ModelInfer with raw contents', () => {
  it('round-trips FP32, INT64 beyond 2^53, BYTES, BOOL and FP16 exactly', async () => {
    const raw = [
      fp32Bytes([1.5, -2, 3.25]),
      int64Bytes([ABOVE_2_53, INT64_MAX, -(2n ** 63n)]),
      bytesElements('a', '', 'ünï'),
      Buffer.from([1, 0, 0]),
      fp16Bytes([0x3c00, 0xc000, 0x7bff]),
    ];
    const { response } = await harness.rpc<InferReply>('ModelInfer', {
      model_name: 'echo',
      inputs: [
        { name: 'f', datatype: 'FP32', shape: [3] },
        { name: 'i', datatype: 'INT64', shape: [3] },
        { name: 's', datatype: 'BYTES', shape: [3] },
        { name: 'b', datatype: 'BOOL', shape: [3] },
        { name: 'h', datatype: 'FP16', shape: [3] },
      ],
      raw_input_contents: raw,
    });
    expect(inputsOf(harness.engine.calls[0]!).map((t) => t.data)).toEqual([
      new Float32Array([1.5, -2, 3.25]),
      new BigInt64Array([ABOVE_2_53, INT64_MAX, -(2n ** 63n)]),
      ['a', '', 'ünï'],
      [true, false, false],
      new Uint16Array([0x3c00, 0xc000, 0x7bff]),
    ]);
    expect(response.raw_output_contents).toEqual(raw);
    expect(response.raw_output_contents[1]!.readBigInt64LE(0)).toBe(ABOVE_2_53);
  });

  it('rejects raw contents whose size does not match the shape, naming the input', async () => {
    const error = await rpcError(
      harness.rpc('ModelInfer', {
        model_name: 'echo',
        inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 3] }],
        raw_input_contents: [fp32Bytes([1, 2])],
      }),
    );
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toBe("input 'x' (FP32, shape [1,3]) needs 12 bytes of raw contents (3 elements × 4); got 8");
  });

  it('rejects a request that mixes raw and typed contents', async () => {
    const error = await rpcError(
      harness.rpc('ModelInfer', {
        model_name: 'echo',
        inputs: [
          { name: 'a', datatype: 'FP32', shape: [1] },
          { name: 'b', datatype: 'FP32', shape: [1], contents: { fp32_contents: [1] } },
        ],
        raw_input_contents: [fp32Bytes([1]), fp32Bytes([2])],
      }),
    );
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toBe(
      "input 'b' has typed contents but the request uses raw_input_contents; send every input one way or the other",
    );
  });

  it('rejects raw contents that do not cover every input', async () => {
    const error = await rpcError(
      harness.rpc('ModelInfer', {
        model_name: 'echo',
        inputs: [
          { name: 'a', datatype: 'FP32', shape: [1] },
          { name: 'b', datatype: 'FP32', shape: [1], contents: { fp32_contents: [1] } },
        ],
        raw_input_contents: [fp32Bytes([1])],
      }),
    );
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toMatch(/^raw_input_contents holds 1 entries but the request has 2 inputs/);
  });

  it('refuses a message larger than maxMessageBytes', async () => {
    const elements = 300_000; // 1.2 MB of FP32, above the 1 MiB limit
    const error = await rpcError(
      harness.rpc('ModelInfer', {
        model_name: 'echo',
        inputs: [{ name: 'x', datatype: 'FP32', shape: [elements] }],
        raw_input_contents: [Buffer.alloc(elements * 4)],
      }),
    );
    expect(error.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(harness.engine.calls).toEqual([]);
  });
});

describe('OIP gRPC: ModelInfer call and reply', () => {
  const one = (name: string) => ({ name, datatype: 'FP32', shape: [1], contents: { fp32_contents: [1] } });

  it('returns the requested outputs only, in the requested order, and tells the engine which it wants', async () => {
    harness.engine.outputsFor = () => ['a', 'b', 'c'].map((name, i): Tensor => ({ name, datatype: 'INT32', shape: [1], data: new Int32Array([i]) }));
    const { response } = await harness.rpc<InferReply>('ModelInfer', {
      model_name: 'echo',
      inputs: [one('x')],
      outputs: [{ name: 'c' }, { name: 'a' }],
    });
    expect(harness.engine.calls[0]!.outputNames).toEqual(['c', 'a']);
    expect(response.outputs.map((o) => o.name)).toEqual(['c', 'a']);
    expect(response.raw_output_contents.map((b) => b.readInt32LE(0))).toEqual([2, 0]);
  });

  it('rejects a requested output the model does not have', async () => {
    const error = await rpcError(harness.rpc('ModelInfer', { model_name: 'echo', inputs: [one('x')], outputs: [{ name: 'zz' }] }));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toBe("requested output 'zz' is not an output of this model; it has 'x'");
  });

  it('echoes the request id and uses it as the engine request id', async () => {
    const { response, headers } = await harness.rpc<InferReply>('ModelInfer', { model_name: 'echo', id: 'req-7', inputs: [one('x')] });
    expect(response.id).toBe('req-7');
    expect(harness.engine.calls[0]!.requestId).toBe('req-7');
    expect(headers.get('x-request-id')).toEqual(['req-7']);
  });

  it('generates a request id when the request has none, and tells the client in a header', async () => {
    const { response, headers } = await harness.rpc<InferReply>('ModelInfer', { model_name: 'echo', inputs: [one('x')] });
    expect(response.id).toBe('');
    expect(harness.engine.calls[0]!.requestId).toBe('generated-1');
    expect(headers.get('x-request-id')).toEqual(['generated-1']);
  });

  it('passes model, version, parameters and the protocol to the engine', async () => {
    const { response } = await harness.rpc<InferReply>('ModelInfer', {
      model_name: 'echo',
      model_version: '1',
      parameters: {
        temperature: { double_param: 0.5 },
        greedy: { bool_param: true },
        mode: { string_param: 'fast' },
        top_k: { int64_param: '40' },
      },
      inputs: [one('x')],
    });
    expect(harness.engine.calls[0]).toMatchObject({
      deployment: 'echo',
      version: '1',
      parameters: { temperature: 0.5, greedy: true, mode: 'fast', top_k: 40 },
      protocol: 'oip-grpc',
    });
    expect(response.model_version).toBe('1');
  });

  it('leaves version, outputs and parameters unset when the request does not name them', async () => {
    await harness.rpc('ModelInfer', { model_name: 'echo', inputs: [one('x')] });
    const call = harness.engine.calls[0]!;
    expect('version' in call || 'outputNames' in call || 'parameters' in call).toBe(false);
  });
});
