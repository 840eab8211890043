import type { FastifyInstance, FastifyRequest } from 'fastify';
import { readableExperimentIds } from '../access/readable-experiments.js';
import type { RunStatus } from '@capstan/contracts';
import { invalidParameter } from '../../../core/errors.js';
import { registerMlflowRoute } from '../http/mlflow-route.js';
import {
  missing,
  objectList,
  optionalObject,
  optionalEnum,
  optionalInt64,
  optionalString,
  parseDouble,
  requiredDouble,
  requiredInt64,
  requiredRunId,
  requiredString,
  stringList,
  type RequestInput,
} from '../http/request-fields.js';
import { parseExperimentId } from '../experiments/experiment-store.js';
import { LIMITS, validateMaxResults } from '../limits.js';
import { searchRunIds } from '../search/index.js';
import type { TrackingContext } from '../tracking-context.js';
import { recordLoggedModel } from './log-model-history.js';
import { RunInputs, type DatasetInputRecord } from './run-inputs.js';
import { RunLogging, type LoggedMetric } from './run-logging.js';
import { loadRuns } from './run-reader.js';
import { RunStore } from './run-store.js';

const RUN_STATUSES: readonly RunStatus[] = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'];
const VIEW_TYPES = ['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'] as const;

export function registerRunRoutes(app: FastifyInstance, ctx: TrackingContext): void {
  const runs = new RunStore(ctx);
  const logging = new RunLogging(ctx);

  registerMlflowRoute(app, ctx, 'createRun', async (input) => ({
    run: await runs.create({
      experimentId: optionalString(input, 'experiment_id'),
      userId: optionalString(input, 'user_id'),
      runName: optionalString(input, 'run_name'),
      startTime: optionalInt64(input, 'start_time'),
      tags: keyValues(input, 'tags'),
    }),
  }));

  registerMlflowRoute(app, ctx, 'getRun', async (input) => ({ run: await runs.get(requiredRunId(input)) }));

  registerMlflowRoute(app, ctx, 'updateRun', async (input, request) => {
    const runId = requiredRunId(input);
    const before = (await runs.get(runId)).info;
    const after = await runs.update(runId, {
      status: optionalEnum(input, 'status', RUN_STATUSES),
      endTime: optionalInt64(input, 'end_time'),
      runName: optionalString(input, 'run_name'),
    });
    const summary = (info: typeof after) => ({ status: info.status, run_name: info.run_name, end_time: info.end_time ?? null });
    ctx.access.noteChange(request, { target: `run:${runId}`, before: summary(before), after: summary(after) });
    return { run_info: after };
  });

  const lifecycle = (stage: 'active' | 'deleted') => async (input: RequestInput, request: FastifyRequest) => {
    const runId = requiredRunId(input);
    const before = (await runs.get(runId)).info.lifecycle_stage;
    await runs.setLifecycle(runId, stage);
    ctx.access.noteChange(request, { target: `run:${runId}`, before: { lifecycle_stage: before }, after: { lifecycle_stage: stage } });
    return {};
  };
  registerMlflowRoute(app, ctx, 'deleteRun', lifecycle('deleted'));
  registerMlflowRoute(app, ctx, 'restoreRun', lifecycle('active'));

  registerMlflowRoute(app, ctx, 'logMetric', async (input) => {
    await logging.logBatch(requiredRunId(input), { metrics: [readMetric(input)], params: [], tags: [] });
    return {};
  });

  registerMlflowRoute(app, ctx, 'logParam', async (input) => {
    const param = { key: requiredString(input, 'key'), value: optionalString(input, 'value') ?? '' };
    await logging.logBatch(requiredRunId(input), { metrics: [], params: [param], tags: [] });
    return {};
  });

  registerMlflowRoute(app, ctx, 'setTag', async (input) => {
    await runs.setTag(requiredRunId(input), requiredString(input, 'key'), optionalString(input, 'value') ?? '');
    return {};
  });

  registerMlflowRoute(app, ctx, 'deleteTag', async (input) => {
    await runs.deleteTag(requiredRunId(input), requiredString(input, 'key'));
    return {};
  });

  registerMlflowRoute(app, ctx, 'logBatch', async (input, request) => {
    const size = Number(request.headers['content-length'] ?? 0);
    if (size > LIMITS.batchRequestBytes) {
      throw invalidParameter(`Batched logging API requests must be at most ${LIMITS.batchRequestBytes} bytes, got a request of size ${size}.`);
    }
    await logging.logBatch(requiredRunId(input), {
      metrics: objectList(input, 'metrics').map(readMetric),
      params: keyValues(input, 'params'),
      tags: keyValues(input, 'tags'),
    });
    return {};
  });

  registerMlflowRoute(app, ctx, 'logModel', async (input) => {
    await recordLoggedModel(ctx, requiredString(input, 'run_id'), requiredString(input, 'model_json'));
    return {};
  });

  registerMlflowRoute(app, ctx, 'searchRuns', async (input, request) => {
    const requested = stringList(input, 'experiment_ids').flatMap((id) => parseExperimentId(id) ?? []);
    const page = await searchRunIds(ctx.db, {
      experimentIds: await readableExperimentIds(ctx, request, requested),
      filter: optionalString(input, 'filter'),
      runViewType: optionalEnum(input, 'run_view_type', VIEW_TYPES) ?? 'ACTIVE_ONLY',
      orderBy: stringList(input, 'order_by'),
      maxResults: validateMaxResults(optionalInt64(input, 'max_results'), LIMITS.searchRunsDefault, LIMITS.searchRunsMax),
      pageToken: optionalString(input, 'page_token') || undefined,
    });
    const found = await loadRuns(ctx.db, page.runIds);
    return { ...(found.length ? { runs: found } : {}), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
  });
}

function keyValues(input: RequestInput, field: string): { key: string; value: string }[] {
  return objectList(input, field).map((kv) => ({ key: requiredString(kv, 'key'), value: optionalString(kv, 'value') ?? '' }));
}

function readMetric(input: RequestInput): LoggedMetric {
  const key = requiredString(input, 'key');
  const raw = input.value;
  const value = parseDouble(raw);
  if (value === undefined) {
    if (raw === undefined || raw === null) requiredDouble(input, 'value');
    throw invalidParameter(
      `Got invalid value ${String(raw)} for metric '${key}' (timestamp=${String(input.timestamp)}). Please specify value as a valid double (64-bit floating point)`,
    );
  }
  const metric: LoggedMetric = { key, value, timestamp: requiredInt64(input, 'timestamp'), step: optionalInt64(input, 'step') ?? 0 };
  const modelId = optionalString(input, 'model_id');
  if (modelId) metric.modelId = modelId;
  const datasetName = optionalString(input, 'dataset_name');
  if (datasetName) metric.datasetName = datasetName;
  const datasetDigest = optionalString(input, 'dataset_digest');
  if (datasetDigest) metric.datasetDigest = datasetDigest;
  return metric;
}

export function registerRunInputRoutes(app: FastifyInstance, ctx: TrackingContext): void {
  const inputs = new RunInputs(ctx);

  registerMlflowRoute(app, ctx, 'logInputs', async (input) => {
    const datasets = objectList(input, 'datasets').map((d): DatasetInputRecord => {
      const dataset = optionalObject(d, 'dataset');
      if (!dataset) throw missing('dataset');
      return {
        dataset: {
          name: requiredString(dataset, 'name'),
          digest: requiredString(dataset, 'digest'),
          sourceType: requiredString(dataset, 'source_type'),
          source: requiredString(dataset, 'source'),
          ...optionalField('schema', optionalString(dataset, 'schema')),
          ...optionalField('profile', optionalString(dataset, 'profile')),
        },
        tags: keyValues(d, 'tags'),
      };
    });
    const models = objectList(input, 'models').map((m) => requiredString(m, 'model_id'));
    await inputs.logInputs(requiredRunId(input), datasets, models);
    return {};
  });

  registerMlflowRoute(app, ctx, 'logOutputs', async (input) => {
    const models = objectList(input, 'models').map((m) => ({ modelId: requiredString(m, 'model_id'), step: optionalInt64(m, 'step') ?? 0 }));
    await inputs.logOutputs(requiredRunId(input), models);
    return {};
  });
}

function optionalField<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
