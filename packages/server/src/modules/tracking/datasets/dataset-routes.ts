import type { FastifyInstance } from 'fastify';
import { readableExperimentIds } from '../access/readable-experiments.js';
import type { DatasetSummary } from '@capstan/contracts';
import { parseExperimentId } from '../experiments/experiment-store.js';
import { registerMlflowRoute } from '../http/mlflow-route.js';
import { stringList } from '../http/request-fields.js';
import type { TrackingContext } from '../tracking-context.js';

/** MLflow's store returns at most this many summaries (`_MAX_DATASET_SUMMARIES_RESULTS`). */
export const MAX_DATASET_SUMMARIES = 1000;

const CONTEXT_TAG = 'mlflow.data.context';

/**
 * experiments/search-datasets: the distinct (experiment, name, digest, context) of datasets that
 * runs of the given experiments used, newest links first — what MLflow's UI lists as filters.
 */
export function registerDatasetRoutes(app: FastifyInstance, ctx: TrackingContext): void {
  registerMlflowRoute(app, ctx, 'searchDatasets', async (input, request) => {
    const requested = stringList(input, 'experiment_ids').flatMap((id) => parseExperimentId(id) ?? []);
    const experimentIds = await readableExperimentIds(ctx, request, requested);
    if (experimentIds.length === 0) return {};
    const rows = await ctx.db
      .selectFrom('datasets')
      .innerJoin('inputs', (join) => join.onRef('inputs.source_id', '=', 'datasets.dataset_uuid').on('inputs.source_type', '=', 'DATASET'))
      .leftJoin('input_tags', (join) => join.onRef('input_tags.input_uuid', '=', 'inputs.input_uuid').on('input_tags.name', '=', CONTEXT_TAG))
      .select(['datasets.experiment_id', 'datasets.name', 'datasets.digest', 'input_tags.value as context'])
      .where('datasets.experiment_id', 'in', experimentIds)
      .distinct()
      .orderBy('datasets.experiment_id')
      .orderBy('datasets.name')
      .orderBy('datasets.digest')
      .limit(MAX_DATASET_SUMMARIES)
      .execute();
    const summaries = rows.map((r): DatasetSummary => {
      const summary: DatasetSummary = { experiment_id: String(r.experiment_id), name: r.name, digest: r.digest };
      if (r.context !== null) summary.context = r.context;
      return summary;
    });
    return summaries.length ? { dataset_summaries: summaries } : {};
  });
}
