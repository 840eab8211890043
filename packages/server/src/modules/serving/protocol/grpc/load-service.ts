/**
 * Loads the Open Inference Protocol's gRPC service from the .proto at runtime, so the wire
 * contract is the published file itself rather than generated code that could drift from it.
 */
import type { ServiceDefinition } from '@grpc/grpc-js';
import { load, type Options } from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';

/**
 * packages/server/proto/grpc_predict_v2.proto. This file sits five folders below
 * packages/server both as src/modules/serving/protocol/grpc/*.ts and as its compiled
 * dist/modules/serving/protocol/grpc/*.js, so one relative URL serves both.
 */
export const PREDICT_V2_PROTO_PATH = fileURLToPath(new URL('../../../../../proto/grpc_predict_v2.proto', import.meta.url));

/** How messages look in JavaScript; wire-types.ts describes the result. */
export const PREDICT_V2_LOADER_OPTIONS: Options = {
  keepCase: true,
  // int64 as decimal strings: a JS number would silently round values beyond 2^53.
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

export const INFERENCE_SERVICE_NAME = 'inference.GRPCInferenceService';

export async function loadInferenceService(): Promise<ServiceDefinition> {
  const definition = await load(PREDICT_V2_PROTO_PATH, PREDICT_V2_LOADER_OPTIONS);
  // proto-loader's map also holds message types; the service entry is a ServiceDefinition.
  return definition[INFERENCE_SERVICE_NAME] as ServiceDefinition;
}
