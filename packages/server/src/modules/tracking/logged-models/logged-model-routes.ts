import type { FastifyInstance } from 'fastify';
import { readableExperimentIds } from '../access/readable-experiments.js';
import { registerMlflowRoute } from '../http/mlflow-route.js';
import { optionalString, requiredString, type RequestInput } from '../http/request-fields.js';
import { searchLoggedModelIds } from '../search/index.js';
import type { TrackingContext } from '../tracking-context.js';
import { registerLoggedModelArtifactFile } from './logged-model-artifact-file.js';
import { listLoggedModelArtifacts, parseArtifactDirectory } from './logged-model-artifacts.js';
import { LoggedModelMetadata } from './logged-model-metadata.js';
import { loadLoggedModels } from './logged-model-reader.js';
import { readFinalStatus, readKeyValues, readSearchQuery } from './logged-model-requests.js';
import { findModelRow, LoggedModelStore } from './logged-model-store.js';

/**
 * MLflow 3's logged-model RPCs (`/logged-models...`), plus the UI's download of one model file.
 * `model_id` and `tag_key` come from the path; responses follow MLflow's handlers, including the
 * ones that answer `{}`.
 */
export function registerLoggedModelRoutes(app: FastifyInstance, ctx: TrackingContext): void {
  const store = new LoggedModelStore(ctx);
  const metadata = new LoggedModelMetadata(ctx);
  const modelId = (input: RequestInput) => requiredString(input, 'model_id');

  registerMlflowRoute(app, ctx, 'createLoggedModel', async (input) => ({
    model: await store.create({
      experimentId: requiredString(input, 'experiment_id'),
      // MLflow's handler passes `name or None`: an empty name is generated like an absent one.
      name: optionalString(input, 'name') || undefined,
      modelType: optionalString(input, 'model_type') || undefined,
      sourceRunId: optionalString(input, 'source_run_id') || undefined,
      params: readKeyValues(input, 'params'),
      tags: readKeyValues(input, 'tags'),
    }),
  }));

  registerMlflowRoute(app, ctx, 'getLoggedModel', async (input) => ({
    // MLflow reads this flag straight from the query string, case-insensitively.
    model: await store.get(modelId(input), { allowDeleted: String(input.allow_deleted ?? 'false').toLowerCase() === 'true' }),
  }));

  registerMlflowRoute(app, ctx, 'finalizeLoggedModel', async (input) => ({
    model: await store.finalize(modelId(input), readFinalStatus(input)),
  }));

  registerMlflowRoute(app, ctx, 'deleteLoggedModel', async (input) => {
    await store.delete(modelId(input));
    return {};
  });

  // MLflow's handler answers an empty SetLoggedModelTags.Response, without the model.
  registerMlflowRoute(app, ctx, 'setLoggedModelTags', async (input) => {
    await metadata.setTags(modelId(input), readKeyValues(input, 'tags'));
    return {};
  });

  registerMlflowRoute(app, ctx, 'deleteLoggedModelTag', async (input) => {
    await metadata.deleteTag(modelId(input), requiredString(input, 'tag_key'));
    return {};
  });

  registerMlflowRoute(app, ctx, 'logLoggedModelParams', async (input) => {
    await metadata.logParams(modelId(input), readKeyValues(input, 'params'));
    return {};
  });

  registerMlflowRoute(app, ctx, 'searchLoggedModels', async (input, request) => {
    const query = readSearchQuery(input);
    query.experimentIds = await readableExperimentIds(ctx, request, query.experimentIds);
    const page = await searchLoggedModelIds(ctx.db, query);
    const models = await loadLoggedModels(ctx.db, page.modelIds);
    return { ...(models.length ? { models } : {}), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
  });

  registerMlflowRoute(app, ctx, 'listLoggedModelArtifacts', async (input) => {
    const relative = parseArtifactDirectory(optionalString(input, 'artifact_directory_path'));
    const row = await findModelRow(ctx.db, modelId(input));
    return listLoggedModelArtifacts(ctx, row.artifact_location, relative);
  });

  registerLoggedModelArtifactFile(app, ctx);
}
