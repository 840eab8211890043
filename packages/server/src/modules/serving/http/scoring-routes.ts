import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccessRule } from '../../security/index.js';
import type { InferenceEngine } from '../engine/inference-engine.js';
import type { FeatureEnricher } from '../features/feature-enricher.js';
import { decodeKserveV1, encodeKserveV1, kserveV1ModelStatus } from '../protocol/scoring/kserve-v1.js';
import { decodeMlflowInvocation, encodeMlflowPredictions } from '../protocol/scoring/mlflow-invocation.js';
import { toModelInputs } from '../protocol/scoring/to-model-inputs.js';
import type { ScoringPayload } from '../protocol/scoring/scoring-payload.js';
import { headerReader } from './request-header.js';
import { quietRequestLog } from './request-logging.js';
import { sendServingError } from './serving-errors.js';

export interface ScoringRouteDeps {
  engine: InferenceEngine;
  bodyLimitBytes: number;
  /** Who may call a deployment (an infer token when auth is on). */
  rule: AccessRule;
  /**
   * A standalone `capstan serve` process answers MLflow's scoring-server paths (`/invocations`,
   * `/ping`) for its one deployment, as `mlflow models serve` does.
   */
  standaloneDeployment?: string;
  /** Fetches a feature-backed deployment's features for tabular requests (absent: requests go as sent). */
  features?: FeatureEnricher;
}

type NameParams = { name: string };

/**
 * KServe v1 (`/v1/models/{name}:predict`, `/v1/models/{name}`) and MLflow scoring
 * (`/serving-endpoints/{name}/invocations`; `/invocations` on a standalone server). Their requests
 * carry no datatypes: the payload is mapped onto the inputs of the version that routing chose.
 */
export function registerScoringRoutes(app: FastifyInstance, deps: ScoringRouteDeps): void {
  const { engine } = deps;
  void app.register(async (scope) => {
    quietRequestLog(scope);
    // CSV for MLflow; anything else that is not JSON is kept as text for the decoder to refuse by name.
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    const kserve = { config: { access: deps.rule, errorShape: 'oip' as const }, schema: { tags: ['inference'] } };
    const mlflow = { config: { access: deps.rule }, bodyLimit: deps.bodyLimitBytes, schema: { tags: ['inference'] } };

    const run = async (request: FastifyRequest, name: string, payload: ScoringPayload, protocol: string) =>
      engine.infer({
        deployment: name,
        inputs: deps.features?.fetchesFeatures(name) ? await deps.features.scoringInputs(name, payload) : (view) => toModelInputs(payload, view),
        requestId: request.id,
        header: headerReader(request),
        protocol,
      });

    scope.get('/v1/models/:name', kserve, async (request: FastifyRequest<{ Params: NameParams }>, reply) => {
      try {
        const view = engine.deployment(request.params.name);
        return await reply.send(kserveV1ModelStatus({ name: view.name, ready: view.ready }));
      } catch (err) {
        return sendServingError(request, reply, err, 'oip');
      }
    });
    scope.post('/v1/models/:name(^[^:/]+)::predict', { ...kserve, bodyLimit: deps.bodyLimitBytes }, async (request: FastifyRequest<{ Params: NameParams }>, reply) => {
      try {
        const result = await run(request, request.params.name, decodeKserveV1(request.body), 'kserve-v1');
        return await reply.send(encodeKserveV1(result.outputs));
      } catch (err) {
        return sendServingError(request, reply, err, 'oip');
      }
    });

    const invocations = (nameOf: (request: FastifyRequest) => string) => async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        const { payload } = decodeMlflowInvocation(request.body, request.headers['content-type'] ?? '');
        const result = await run(request, nameOf(request), payload, 'mlflow');
        return await reply.send(encodeMlflowPredictions(result.outputs));
      } catch (err) {
        return sendServingError(request, reply, err, 'mlflow');
      }
    };
    scope.post('/serving-endpoints/:name/invocations', mlflow, invocations((request) => (request.params as NameParams).name));
    const standalone = deps.standaloneDeployment;
    if (standalone !== undefined) {
      scope.post('/invocations', { ...mlflow, config: { access: deps.rule } }, invocations(() => standalone));
      scope.get('/ping', { config: { access: { kind: 'public' } }, schema: { tags: ['inference'] } }, async (_request, reply) => reply.code(engine.ready() ? 200 : 503).send('\n'));
    }
  });
}
