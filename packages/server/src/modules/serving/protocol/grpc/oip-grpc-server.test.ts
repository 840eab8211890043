import { Metadata, status } from '@grpc/grpc-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServingError } from '../../engine/inference-engine.js';
import { startOipGrpcServer, type OipGrpcServerOptions } from './oip-grpc-server.js';
import { GrpcHarness, rpcError, type InferReply } from './test-support/oip-grpc-harness.js';

let harness: GrpcHarness;

beforeEach(async () => {
  harness = new GrpcHarness();
  await harness.start();
});

afterEach(() => harness.stop());

describe('OIP gRPC: server and model metadata', () => {
  it('answers ServerLive and ServerReady from the engine', async () => {
    expect((await harness.rpc('ServerLive', {})).response).toEqual({ live: true });
    expect((await harness.rpc('ServerReady', {})).response).toEqual({ ready: false });
    harness.engine.isReady = true;
    expect((await harness.rpc('ServerReady', {})).response).toEqual({ ready: true });
  });

  it('describes the server', async () => {
    const { response } = await harness.rpc('ServerMetadata', {});
    expect(response).toEqual({ name: 'capstan', version: '0.1.0', extensions: ['parameters'] });
  });

  it('describes the primary version by default and a named version on request, listing every served version', async () => {
    const primary = await harness.rpc('ModelMetadata', { name: 'echo' });
    expect(primary.response).toEqual({
      name: 'echo',
      versions: ['1', '2'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'x', datatype: 'FP32', shape: ['-1', '8'] }],
      outputs: [],
    });
    const named = await harness.rpc<{ inputs: unknown; outputs: unknown }>('ModelMetadata', { name: 'echo', version: '1' });
    expect(named.response.inputs).toEqual([{ name: 'x', datatype: 'FP32', shape: ['-1', '4'] }]);
    expect(named.response.outputs).toEqual([{ name: 'y', datatype: 'FP32', shape: ['-1', '4'] }]);
  });

  it('answers ModelReady for the deployment or the version named', async () => {
    expect((await harness.rpc('ModelReady', { name: 'echo' })).response).toEqual({ ready: true });
    expect((await harness.rpc('ModelReady', { name: 'echo', version: '1' })).response).toEqual({ ready: false });
    expect((await harness.rpc('ModelReady', { name: 'echo', version: '2' })).response).toEqual({ ready: true });
  });

  it('answers NOT_FOUND for an unknown model or version', async () => {
    const unknownModel = await rpcError(harness.rpc('ModelMetadata', { name: 'nope' }));
    expect(unknownModel.code).toBe(status.NOT_FOUND);
    expect(unknownModel.details).toBe("no deployment named 'nope'");
    const unknownVersion = await rpcError(harness.rpc('ModelReady', { name: 'echo', version: '9' }));
    expect(unknownVersion.code).toBe(status.NOT_FOUND);
    expect(unknownVersion.details).toMatch(/no version 9/);
  });

  it('refuses a model RPC without a model name', async () => {
    const error = await rpcError(harness.rpc('ModelReady', {}));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toBe('ModelReady needs a model name');
  });
});

describe('OIP gRPC: errors', () => {
  const infer = () => harness.rpc('ModelInfer', { model_name: 'echo', inputs: [{ name: 'x', datatype: 'BOOL', shape: [0] }] });

  it.each([
    [400, status.INVALID_ARGUMENT],
    [404, status.NOT_FOUND],
    [429, status.RESOURCE_EXHAUSTED],
    [503, status.UNAVAILABLE],
    [504, status.DEADLINE_EXCEEDED],
    [500, status.INTERNAL],
  ] as const)('maps ServingError %i to gRPC code %i with its message', async (httpStatus, code) => {
    harness.engine.failure = new ServingError(httpStatus, `failed with ${httpStatus}`);
    const error = await rpcError(infer());
    expect(error.code).toBe(code);
    expect(error.details).toBe(`failed with ${httpStatus}`);
  });

  it('sends retry-after in the trailers when the engine says when to retry', async () => {
    harness.engine.failure = new ServingError(429, 'queue full', 3);
    const error = await rpcError(infer());
    expect(error.metadata.get('retry-after')).toEqual(['3']);
  });

  it('maps any other failure to INTERNAL with its message', async () => {
    harness.engine.failure = new Error('onnxruntime exploded');
    const error = await rpcError(infer());
    expect(error.code).toBe(status.INTERNAL);
    expect(error.details).toBe('onnxruntime exploded');
  });
});

describe('OIP gRPC: authorization', () => {
  class Refusal extends Error {
    constructor(readonly status: number) {
      super(status === 401 ? 'sign in first' : 'not allowed');
    }
  }

  async function restartWith(authorize: OipGrpcServerOptions['authorize']): Promise<void> {
    await harness.stop();
    await harness.start({ authorize });
  }

  it('asks authorize with the caller credentials, the model named and the RPC, before every call', async () => {
    const authorizeCalls: Array<{ authorization?: string; model: string | undefined; rpc: string }> = [];
    await restartWith(async ({ authorization }, model, rpcName) => {
      authorizeCalls.push({ ...(authorization !== undefined ? { authorization } : {}), model, rpc: rpcName });
    });
    const metadata = new Metadata();
    metadata.set('authorization', 'Bearer t0ken');
    await harness.rpc('ServerLive', {}, metadata);
    await harness.rpc('ModelMetadata', { name: 'echo' }, metadata);
    await harness.rpc('ModelInfer', { model_name: 'echo', inputs: [] });
    expect(authorizeCalls).toEqual([
      { authorization: 'Bearer t0ken', model: undefined, rpc: 'ServerLive' },
      { authorization: 'Bearer t0ken', model: 'echo', rpc: 'ModelMetadata' },
      { model: 'echo', rpc: 'ModelInfer' },
    ]);
  });

  it.each([
    [401, status.UNAUTHENTICATED, 'sign in first'],
    [403, status.PERMISSION_DENIED, 'not allowed'],
  ] as const)('refuses with status %i as gRPC code %i, before validating or inferring', async (refusal, code, message) => {
    await restartWith(async () => {
      throw new Refusal(refusal);
    });
    // An invalid request: a refused caller must hear about the refusal, not about its input.
    const error = await rpcError(harness.rpc('ModelInfer', { model_name: 'echo', inputs: [{ name: 'x', datatype: 'NOPE', shape: [1] }] }));
    expect(error.code).toBe(code);
    expect(error.details).toBe(message);
    expect(harness.engine.calls).toEqual([]);
  });
});

describe('OIP gRPC: close', () => {
  function holdInferences(): () => void {
    let release!: () => void;
    harness.engine.gate = new Promise((resolve) => {
      release = resolve;
    });
    return release;
  }

  async function untilEngineCalled(): Promise<void> {
    while (harness.engine.calls.length === 0) await new Promise((resolve) => setImmediate(resolve));
  }

  const request = { model_name: 'echo', inputs: [{ name: 'x', datatype: 'FP32', shape: [1], contents: { fp32_contents: [4] } }] };

  it('lets an in-flight call finish, then refuses new ones', async () => {
    const release = holdInferences();
    const inFlight = harness.rpc<InferReply>('ModelInfer', request);
    await untilEngineCalled();
    const closed = harness.server.close();
    release();
    const { response } = await inFlight;
    expect(response.raw_output_contents[0]!.readFloatLE(0)).toBe(4);
    await closed;
    const refused = await rpcError(harness.rpc('ServerLive', {}));
    expect(refused.code).toBe(status.UNAVAILABLE);
  });

  it('fails to start when the port is taken', async () => {
    const taken = startOipGrpcServer({ engine: harness.engine, host: '127.0.0.1', port: harness.server.port, maxMessageBytes: 1024, serverName: 'x', serverVersion: '1' });
    await expect(taken).rejects.toThrow();
  });

  it('cancels calls still running when the grace period ends', async () => {
    await harness.stop();
    await harness.start({ shutdownGraceMs: 0 });
    holdInferences();
    const inFlight = rpcError(harness.rpc('ModelInfer', request));
    await untilEngineCalled();
    await harness.server.close();
    expect((await inFlight).code).not.toBe(status.OK);
  });
});
