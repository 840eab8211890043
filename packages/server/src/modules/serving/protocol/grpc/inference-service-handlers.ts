/**
 * The six RPCs of GRPCInferenceService over an InferenceEngine. Each call is authorized first
 * (before its request is validated, so a refused caller learns nothing about the model), then
 * answered; every failure becomes a gRPC status through toServiceError.
 */
import {
  Metadata,
  type ServerUnaryCall,
  type UntypedServiceImplementation,
  type sendUnaryData,
} from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import type { InferenceEngine, ServedVersionView } from '../../engine/inference-engine.js';
import { OipBadRequest } from '../oip-error.js';
import type { MetadataTensor } from '../oip-types.js';
import { decodeModelInferRequest } from './decode-infer-request.js';
import { encodeModelInferResponse } from './encode-infer-response.js';
import { toServiceError } from './grpc-status.js';
import type {
  ModelInferRequest,
  ModelInferResponse,
  ModelMetadataResponse,
  ModelRequest,
  ServerMetadataResponse,
  TensorMetadata,
} from './wire-types.js';

/** What the caller presented, as far as authorization cares. */
export interface CallCredentials {
  authorization?: string;
}

export interface InferenceHandlerOptions {
  engine: InferenceEngine;
  serverName: string;
  serverVersion: string;
  /** Protocol extensions ServerMetadata lists; none by default. */
  extensions?: readonly string[];
  /**
   * Called before every RPC with the call's metadata and the model it names (undefined for
   * server-level RPCs); throws to refuse, with `status` 401 or 403 for UNAUTHENTICATED or
   * PERMISSION_DENIED.
   */
  authorize?(metadata: CallCredentials, model: string | undefined, rpc: string): Promise<void>;
  /** Id for a ModelInfer call whose request carries none; randomUUID by default. */
  requestId?(): string;
}

/** Every ONNX model Capstan serves runs on onnxruntime (the OIP platform name for it). */
const PLATFORM = 'onnxruntime_onnx';

function credentialsOf(metadata: Metadata): CallCredentials {
  const [authorization] = metadata.get('authorization');
  return typeof authorization === 'string' ? { authorization } : {};
}

function tensorMetadata(tensors: readonly MetadataTensor[]): TensorMetadata[] {
  return tensors.map(({ name, datatype, shape }) => ({ name, datatype, shape: [...shape] }));
}

type Answer<Req, Res> = (request: Req, call: ServerUnaryCall<Req, Res>) => Res | Promise<Res>;

export function createInferenceHandlers(options: InferenceHandlerOptions): UntypedServiceImplementation {
  const { engine } = options;
  const newRequestId = options.requestId ?? randomUUID;

  /** Wraps one RPC: authorize, answer, and turn any throw into a status. */
  function unary<Req, Res>(rpc: string, modelOf: (request: Req) => string | undefined, answer: Answer<Req, Res>) {
    return async (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): Promise<void> => {
      try {
        const model = modelOf(call.request);
        if (model === '') throw new OipBadRequest(`${rpc} needs a model name`);
        await options.authorize?.(credentialsOf(call.metadata), model, rpc);
        callback(null, await answer(call.request, call));
      } catch (error) {
        callback(toServiceError(error));
      }
    };
  }

  const serverLevel = (): undefined => undefined;
  const named = (request: ModelRequest): string => request.name;

  return {
    ServerLive: unary('ServerLive', serverLevel, () => ({ live: engine.live() })),

    ServerReady: unary('ServerReady', serverLevel, () => ({ ready: engine.ready() })),

    ServerMetadata: unary(
      'ServerMetadata',
      serverLevel,
      (): ServerMetadataResponse => ({
        name: options.serverName,
        version: options.serverVersion,
        extensions: [...(options.extensions ?? [])],
      }),
    ),

    ModelReady: unary('ModelReady', named, ({ name, version }: ModelRequest) => ({
      ready: version === '' ? engine.deployment(name).ready : engine.version(name, version).ready,
    })),

    ModelMetadata: unary('ModelMetadata', named, ({ name, version }: ModelRequest): ModelMetadataResponse => {
      const view: ServedVersionView = engine.version(name, version === '' ? undefined : version);
      return {
        name,
        versions: engine.deployment(name).versions.map((v) => v.version),
        platform: PLATFORM,
        inputs: tensorMetadata(view.inputs),
        outputs: tensorMetadata(view.outputs),
      };
    }),

    ModelInfer: unary(
      'ModelInfer',
      (request: ModelInferRequest) => request.model_name,
      async (request: ModelInferRequest, call): Promise<ModelInferResponse> => {
        const decoded = decodeModelInferRequest(request);
        const requestId = decoded.id ?? newRequestId();
        // The id joins logged predictions to later labels; a client that sent none learns it here.
        const headers = new Metadata();
        headers.set('x-request-id', requestId);
        call.sendMetadata(headers);
        const result = await engine.infer({
          deployment: request.model_name,
          ...(request.model_version !== '' ? { version: request.model_version } : {}),
          inputs: decoded.inputs,
          ...(decoded.outputNames !== undefined ? { outputNames: decoded.outputNames } : {}),
          ...(decoded.parameters !== undefined ? { parameters: decoded.parameters } : {}),
          requestId,
          protocol: 'oip-grpc',
        });
        return encodeModelInferResponse({
          modelName: result.deployment,
          modelVersion: result.version,
          ...(decoded.id !== undefined ? { id: decoded.id } : {}),
          outputs: result.outputs,
          ...(decoded.outputNames !== undefined ? { outputNames: decoded.outputNames } : {}),
        });
      },
    ),
  };
}
