import type { FastifyInstance } from 'fastify';
import { MLFLOW_ROUTES } from '@capstan/contracts';
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

  registerMlflowRoute(app, MLFLOW_ROUTES.createExperiment, async (input) => {
    const tags = objectList(input, 'tags').map((t) => ({ key: requiredString(t, 'key'), value: optionalString(t, 'value') ?? '' }));
    const experimentId = await store.create(requiredString(input, 'name'), optionalString(input, 'artifact_location') || undefined, tags);
    return { experiment_id: experimentId };
  });

  registerMlflowRoute(app, MLFLOW_ROUTES.getExperiment, async (input) => ({
    experiment: await store.get(requiredString(input, 'experiment_id')),
  }));

  registerMlflowRoute(app, MLFLOW_ROUTES.getExperimentByName, async (input) => ({
    experiment: await store.getByName(requiredString(input, 'experiment_name')),
  }));

  const search = async (input: RequestInput) => {
    const page = await searchExperimentIds(ctx.db, {
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
  registerMlflowRoute(app, MLFLOW_ROUTES.searchExperiments, search);
  registerMlflowRoute(app, { ...MLFLOW_ROUTES.searchExperiments, method: 'GET' }, search);

  registerMlflowRoute(app, MLFLOW_ROUTES.updateExperiment, async (input) => {
    const id = requiredString(input, 'experiment_id');
    const newName = optionalString(input, 'new_name');
    if (newName !== undefined) await store.rename(id, newName);
    else await store.get(id);
    return {};
  });

  registerMlflowRoute(app, MLFLOW_ROUTES.deleteExperiment, async (input) => {
    await store.setLifecycle(requiredString(input, 'experiment_id'), 'deleted');
    return {};
  });

  registerMlflowRoute(app, MLFLOW_ROUTES.restoreExperiment, async (input) => {
    await store.setLifecycle(requiredString(input, 'experiment_id'), 'active');
    return {};
  });

  registerMlflowRoute(app, MLFLOW_ROUTES.setExperimentTag, async (input) => {
    await store.setTag(requiredString(input, 'experiment_id'), requiredString(input, 'key'), optionalString(input, 'value') ?? '');
    return {};
  });

  registerMlflowRoute(app, MLFLOW_ROUTES.deleteExperimentTag, async (input) => {
    await store.deleteTag(requiredString(input, 'experiment_id'), requiredString(input, 'key'));
    return {};
  });
}
