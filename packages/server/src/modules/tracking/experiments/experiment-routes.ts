import type { FastifyInstance, FastifyRequest } from 'fastify';
import { visibleExperiments } from '../access/readable-experiments.js';
import { registerMlflowRoute } from '../http/mlflow-route.js';
import {
  objectList,
  optionalEnum,
  optionalInt64,
  optionalString,
  requiredString,
  stringList,
  type RequestInput,
} from '../http/request-fields.js';
import { LIMITS, validateMaxResults } from '../limits.js';
import { searchExperimentIds } from '../search/index.js';
import type { TrackingContext } from '../tracking-context.js';
import { ExperimentStore } from './experiment-store.js';

const VIEW_TYPES = ['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'] as const;

export function registerExperimentRoutes(app: FastifyInstance, ctx: TrackingContext): void {
  const store = new ExperimentStore(ctx);

  registerMlflowRoute(app, ctx, 'createExperiment', async (input, request) => {
    const tags = objectList(input, 'tags').map((t) => ({ key: requiredString(t, 'key'), value: optionalString(t, 'value') ?? '' }));
    const workspace = ctx.access.requestedWorkspace(request);
    const experimentId = await store.create(requiredString(input, 'name'), optionalString(input, 'artifact_location') || undefined, tags, workspace);
    await ctx.access.objectCreated(request, 'experiment', experimentId);
    ctx.access.noteChange(request, { target: `experiment:${experimentId}`, workspace, after: { name: input.name } });
    return { experiment_id: experimentId };
  });

  registerMlflowRoute(app, ctx, 'getExperiment', async (input) => ({
    experiment: await store.get(requiredString(input, 'experiment_id')),
  }));

  registerMlflowRoute(app, ctx, 'getExperimentByName', async (input) => ({
    experiment: await store.getByName(requiredString(input, 'experiment_name')),
  }));

  const search = async (input: RequestInput, request: FastifyRequest) => {
    const visible = visibleExperiments(ctx, request);
    const page = await searchExperimentIds(ctx.db, {
      ...(visible ? { visible } : {}),
      filter: optionalString(input, 'filter'),
      orderBy: stringList(input, 'order_by'),
      viewType: optionalEnum(input, 'view_type', VIEW_TYPES) ?? 'ACTIVE_ONLY',
      maxResults: validateMaxResults(optionalInt64(input, 'max_results'), LIMITS.searchExperimentsDefault, LIMITS.searchExperimentsMax),
      pageToken: optionalString(input, 'page_token') || undefined,
    });
    const experiments = await store.load(page.experimentIds);
    return {
      ...(experiments.length ? { experiments } : {}),
      ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
    };
  };
  registerMlflowRoute(app, ctx, 'searchExperiments', search);
  registerMlflowRoute(app, ctx, 'searchExperiments', search, { method: 'GET' });

  registerMlflowRoute(app, ctx, 'updateExperiment', async (input, request) => {
    const id = requiredString(input, 'experiment_id');
    const newName = optionalString(input, 'new_name');
    const before = await store.get(id);
    if (newName !== undefined) {
      await store.rename(id, newName);
      ctx.access.noteChange(request, { before: { name: before.name }, after: { name: newName } });
    }
    return {};
  });

  const lifecycle = (stage: 'active' | 'deleted') => async (input: RequestInput, request: FastifyRequest) => {
    const id = requiredString(input, 'experiment_id');
    const before = await store.get(id);
    await store.setLifecycle(id, stage);
    ctx.access.noteChange(request, { before: { lifecycle_stage: before.lifecycle_stage }, after: { lifecycle_stage: stage } });
    return {};
  };
  registerMlflowRoute(app, ctx, 'deleteExperiment', lifecycle('deleted'));
  registerMlflowRoute(app, ctx, 'restoreExperiment', lifecycle('active'));

  registerMlflowRoute(app, ctx, 'setExperimentTag', async (input) => {
    await store.setTag(requiredString(input, 'experiment_id'), requiredString(input, 'key'), optionalString(input, 'value') ?? '');
    return {};
  });

  registerMlflowRoute(app, ctx, 'deleteExperimentTag', async (input) => {
    await store.deleteTag(requiredString(input, 'experiment_id'), requiredString(input, 'key'));
    return {};
  });
}
