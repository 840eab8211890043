import type { FastifyInstance } from 'fastify';
import { MLFLOW_ROUTES } from '@capstan/contracts';
import { registerMlflowRoute } from '../http/mlflow-route.js';
import { optionalInt64, optionalString, requiredRunId, requiredString, stringList } from '../http/request-fields.js';
import type { TrackingContext } from '../tracking-context.js';
import { getMetricHistory, getMetricHistoryBulkInterval, historyPageJson } from './metric-history.js';

export function registerMetricRoutes(app: FastifyInstance, ctx: TrackingContext): void {
  registerMlflowRoute(app, MLFLOW_ROUTES.getMetricHistory, async (input, _request, reply) => {
    const page = await getMetricHistory(ctx.db, requiredRunId(input), requiredString(input, 'metric_key'), {
      maxResults: optionalInt64(input, 'max_results'),
      pageToken: optionalString(input, 'page_token') || undefined,
    });
    return reply.type('application/json; charset=utf-8').send(historyPageJson(page));
  });

  registerMlflowRoute(app, MLFLOW_ROUTES.getMetricHistoryBulkInterval, async (input) => {
    const metrics = await getMetricHistoryBulkInterval(ctx.db, stringList(input, 'run_ids'), requiredString(input, 'metric_key'), {
      startStep: optionalInt64(input, 'start_step'),
      endStep: optionalInt64(input, 'end_step'),
      maxResults: optionalInt64(input, 'max_results'),
    });
    return metrics.length ? { metrics } : {};
  });
}
