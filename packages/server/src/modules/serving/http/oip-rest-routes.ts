import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccessRule } from '../../security/index.js';
import type { InferenceEngine } from '../engine/inference-engine.js';
import type { FeatureEnricher } from '../features/feature-enricher.js';
import { decodeInferenceRequest, type BinaryBody } from '../protocol/decode-request.js';
import { encodeInferenceResponse } from '../protocol/encode-response.js';
import { OipBadRequest } from '../protocol/oip-error.js';
import type { ModelMetadataResponse, ServerMetadataResponse } from '../protocol/oip-types.js';
import { headerReader } from './request-header.js';
import { quietRequestLog } from './request-logging.js';
import { sendServingError } from './serving-errors.js';

export interface OipRestDeps {
  engine: InferenceEngine;
  serverName: string;
  serverVersion: string;
  /** Largest inference request body. */
  bodyLimitBytes: number;
  /** The rule for model-level routes (metadata, ready, infer): an infer token for the deployment when auth is on. */
  modelRule: AccessRule;
  /** Fetches a feature-backed deployment's features when a request's inputs are columns (absent: requests go as sent). */
  features?: FeatureEnricher;
}

const HEADER_LENGTH = 'inference-header-content-length';
type ModelParams = { name: string; version?: string };

/**
 * The Open Inference Protocol over HTTP/REST (KServe v2, Triton, Seldon MLServer): server
 * live/ready/metadata, model metadata/ready/infer with and without `/versions/{v}`, JSON tensors
 * and Triton's binary tensor data extension. The protocol's model name is the deployment's name.
 * Registered in its own scope so the raw-body parser the binary extension needs applies only here.
 */
export function registerOipRestRoutes(app: FastifyInstance, deps: OipRestDeps): void {
  const { engine } = deps;
  void app.register(async (scope) => {
    quietRequestLog(scope);
    // The binary extension sends JSON followed by raw tensor bytes, whatever content type the
    // client library sets (tritonclient sends none); only JSON bodies go to the JSON parser.
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    const server = { errorShape: 'oip' as const, access: { kind: 'public' as const } };
    const model = { errorShape: 'oip' as const, access: deps.modelRule };

    scope.get('/v2', { config: server, schema: { tags: ['inference'] } }, async (): Promise<ServerMetadataResponse> => ({
      name: deps.serverName,
      version: deps.serverVersion,
      extensions: ['binary_tensor_data'],
    }));
    scope.get('/v2/health/live', { config: server, schema: { tags: ['inference'] } }, async (_request, reply) => reply.code(engine.live() ? 200 : 503).send({ live: engine.live() }));
    scope.get('/v2/health/ready', { config: server, schema: { tags: ['inference'] } }, async (_request, reply) => reply.code(engine.ready() ? 200 : 503).send({ ready: engine.ready() }));

    const metadata = async (request: FastifyRequest<{ Params: ModelParams }>, reply: FastifyReply) => {
      try {
        const { name, version } = request.params;
        const view = engine.version(name, version);
        const body: ModelMetadataResponse = {
          name,
          versions: version === undefined ? engine.deployment(name).versions.map((v) => v.version) : [view.version],
          platform: 'onnxruntime_onnx',
          inputs: [...view.inputs],
          outputs: [...view.outputs],
        };
        return await reply.send(body);
      } catch (err) {
        return sendServingError(request, reply, err, 'oip');
      }
    };
    const ready = async (request: FastifyRequest<{ Params: ModelParams }>, reply: FastifyReply) => {
      try {
        const { name, version } = request.params;
        engine.version(name, version);
        return await reply.send({ name, ready: true });
      } catch (err) {
        return sendServingError(request, reply, err, 'oip');
      }
    };
    const infer = async (request: FastifyRequest<{ Params: ModelParams }>, reply: FastifyReply) => {
      try {
        const { name, version } = request.params;
        const decoded = decodeInferenceRequest(...jsonAndBinary(request));
        const result = await engine.infer({
          deployment: name,
          ...(version === undefined ? {} : { version }),
          inputs: deps.features?.fetchesFeatures(name) ? await deps.features.oipInputs(name, decoded.inputs) : decoded.inputs,
          ...(decoded.outputs ? { outputNames: decoded.outputs.map((o) => o.name) } : {}),
          ...(decoded.parameters ? { parameters: decoded.parameters } : {}),
          requestId: request.id,
          header: headerReader(request),
          protocol: 'oip-rest',
        });
        const encoded = encodeInferenceResponse({
          modelName: name,
          modelVersion: result.version,
          ...(decoded.id === undefined ? {} : { id: decoded.id }),
          outputs: result.outputs,
          ...(decoded.outputs ? { requestedOutputs: decoded.outputs } : {}),
          binaryOutputs: decoded.binaryDataOutput,
        });
        if (encoded.kind === 'json') return await reply.send(encoded.body);
        return await reply.header(HEADER_LENGTH, String(encoded.headerLength)).type('application/octet-stream').send(encoded.body);
      } catch (err) {
        return sendServingError(request, reply, err, 'oip');
      }
    };
    const inferOptions = { config: model, bodyLimit: deps.bodyLimitBytes, schema: { tags: ['inference'] } };
    for (const base of ['/v2/models/:name', '/v2/models/:name/versions/:version']) {
      scope.get(base, { config: model, schema: { tags: ['inference'] } }, metadata);
      scope.get(`${base}/ready`, { config: model, schema: { tags: ['inference'] } }, ready);
      scope.post(`${base}/infer`, inferOptions, infer);
    }
  });
}

/** The JSON part of the request and, with the binary extension, the raw body it sits in. */
function jsonAndBinary(request: FastifyRequest): [unknown, BinaryBody?] {
  const body = request.body;
  if (!Buffer.isBuffer(body)) return [body];
  const given = request.headers[HEADER_LENGTH];
  const headerLength = given === undefined ? body.length : Number(given);
  if (!Number.isSafeInteger(headerLength) || headerLength < 0 || headerLength > body.length) {
    throw new OipBadRequest(`Inference-Header-Content-Length must be a byte count within the body (${body.length} bytes); got ${String(given)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(body.subarray(0, headerLength).toString('utf8'));
  } catch (err) {
    throw new OipBadRequest(`the inference request header is not valid JSON: ${(err as Error).message}`);
  }
  return given === undefined ? [json] : [json, { buffer: body, headerLength }];
}
