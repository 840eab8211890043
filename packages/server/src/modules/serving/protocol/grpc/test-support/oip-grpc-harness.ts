/**
 * Shared by the gRPC server tests: a small in-memory InferenceEngine (one deployment, 'echo',
 * whose model returns its inputs), a real @grpc/grpc-js client over the same proto, and helpers
 * that write raw little-endian tensor contents the way tritonclient does.
 */
import { Client, Metadata, credentials, type ServiceDefinition, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { expect } from 'vitest';
import {
  ServingError,
  type DeploymentView,
  type InferenceCall,
  type InferenceEngine,
  type InferenceResult,
  type ServedVersionView,
} from '../../../engine/inference-engine.js';
import type { Tensor } from '../../datatypes.js';
import { INFERENCE_SERVICE_NAME, PREDICT_V2_LOADER_OPTIONS, PREDICT_V2_PROTO_PATH } from '../load-service.js';
import { startOipGrpcServer, type OipGrpcServer, type OipGrpcServerOptions } from '../oip-grpc-server.js';

const tensorMeta = { name: 'x', datatype: 'FP32', shape: [-1, 4] };
const versionOne: ServedVersionView = { name: 'echo', version: '1', ready: false, inputs: [tensorMeta], outputs: [{ ...tensorMeta, name: 'y' }] };
const versionTwo: ServedVersionView = { name: 'echo', version: '2', ready: true, inputs: [{ ...tensorMeta, shape: [-1, 8] }], outputs: [] };

export class FakeEngine implements InferenceEngine {
  isReady = false;
  readonly calls: InferenceCall[] = [];
  /** Thrown by infer when set. */
  failure: unknown;
  /** infer waits for this before answering (to hold a call in flight). */
  gate: Promise<void> = Promise.resolve();
  /** The model's outputs; by default it echoes its inputs. */
  outputsFor: (call: InferenceCall) => Tensor[] = (call) => [...inputsOf(call)];

  live(): boolean {
    return true;
  }

  ready(): boolean {
    return this.isReady;
  }

  deployment(name: string): DeploymentView {
    if (name !== 'echo') throw new ServingError(404, `no deployment named '${name}'`);
    return { name, ready: true, versions: [versionOne, versionTwo], primary: versionTwo };
  }

  version(name: string, version?: string): ServedVersionView {
    const deployment = this.deployment(name);
    if (version === undefined) return deployment.primary!;
    const found = deployment.versions.find((v) => v.version === version);
    if (found === undefined) throw new ServingError(404, `deployment '${name}' serves no version ${version}`);
    return found;
  }

  async infer(call: InferenceCall): Promise<InferenceResult> {
    this.calls.push(call);
    await this.gate;
    if (this.failure !== undefined) throw this.failure;
    const version = this.version(call.deployment, call.version);
    return { deployment: call.deployment, version: version.version, outputs: this.outputsFor(call) };
  }
}

// --- a real @grpc/grpc-js client over the same proto ---

const service = loadSync(PREDICT_V2_PROTO_PATH, PREDICT_V2_LOADER_OPTIONS)[INFERENCE_SERVICE_NAME] as ServiceDefinition;

export interface Reply<T> {
  response: T;
  headers: Metadata;
}

export function rpc<T>(client: Client, method: string, request: object, metadata = new Metadata()): Promise<Reply<T>> {
  const definition = service[method]!;
  return new Promise((resolve, reject) => {
    let headers = new Metadata();
    const call = client.makeUnaryRequest(
      definition.path,
      definition.requestSerialize,
      definition.responseDeserialize,
      request,
      metadata,
      (error, response) => (error ? reject(error) : resolve({ response: response as T, headers })),
    );
    call.on('metadata', (received: Metadata) => {
      headers = received;
    });
  });
}

export async function rpcError(promise: Promise<unknown>): Promise<ServiceError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome, 'the call should have failed').toBeInstanceOf(Error);
  return outcome as ServiceError;
}

export interface OutputTensor {
  name: string;
  datatype: string;
  shape: string[];
}

export interface InferReply {
  model_name: string;
  model_version: string;
  id: string;
  outputs: OutputTensor[];
  raw_output_contents: Buffer[];
}

function le(values: readonly number[], width: 2 | 4, write: (buffer: Buffer, value: number, at: number) => void): Buffer {
  const out = Buffer.alloc(values.length * width);
  values.forEach((v, i) => write(out, v, i * width));
  return out;
}
export const fp32Bytes = (values: number[]) => le(values, 4, (b, v, at) => b.writeFloatLE(v, at));
export const fp16Bytes = (bits: number[]) => le(bits, 2, (b, v, at) => b.writeUInt16LE(v, at));
export function int64Bytes(values: bigint[]): Buffer {
  const out = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => out.writeBigInt64LE(v, i * 8));
  return out;
}
export function bytesElements(...values: string[]): Buffer {
  return Buffer.concat(
    values.flatMap((v) => {
      const bytes = Buffer.from(v, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32LE(bytes.length);
      return [length, bytes];
    }),
  );
}

export const ABOVE_2_53 = 2n ** 53n + 1n;
export const INT64_MAX = 2n ** 63n - 1n;

/** One server on 127.0.0.1 (a free port) over a fresh FakeEngine, and a client connected to it. */
export class GrpcHarness {
  readonly engine = new FakeEngine();
  server!: OipGrpcServer;
  client!: Client;

  async start(overrides: Partial<OipGrpcServerOptions> = {}): Promise<void> {
    this.server = await startOipGrpcServer({
      engine: this.engine,
      host: '127.0.0.1',
      port: 0,
      maxMessageBytes: 1024 * 1024,
      serverName: 'capstan',
      serverVersion: '0.1.0',
      extensions: ['parameters'],
      requestId: () => 'generated-1',
      ...overrides,
    });
    this.client = new Client(`127.0.0.1:${this.server.port}`, credentials.createInsecure());
  }

  async stop(): Promise<void> {
    this.client.close();
    await this.server.close();
  }

  rpc<T>(method: string, request: object, metadata?: Metadata): Promise<Reply<T>> {
    return rpc<T>(this.client, method, request, metadata);
  }
}

/** The tensors of a call: gRPC always passes them as decoded, never as a function of the version. */
export function inputsOf(call: InferenceCall): readonly Tensor[] {
  if (typeof call.inputs === 'function') throw new Error('the gRPC surface passed inputs as a function');
  return call.inputs;
}
