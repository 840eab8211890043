import type { FastifyInstance } from 'fastify';
import { registerMlflowRoute } from '../http/mlflow-route.js';
import { optionalInt64, optionalString, requiredRunId, requiredString, stringList } from '../http/request-fields.js';
import type { TrackingContext } from '../tracking-context.js';
import { historyItemsJson } from './history-json.js';
import { getMetricHistory, getMetricHistoryBulkInterval, historyPageJson, requireRun } from './metric-history.js';

export function registerMetricRoutes(app: FastifyInstance, ctx: TrackingContext): void {
  registerMlflowRoute(app, ctx, 'getMetricHistory', async (input, _request, reply) => {
    const runId = requiredRunId(input);
    const key = requiredString(input, 'metric_key');
    const maxResults = optionalInt64(input, 'max_results');
    const pageToken = optionalString(input, 'page_token') || undefined;
    reply.type('application/json; charset=utf-8');
    // The whole history of a long metric is the expensive request; the database writes it.
    if (maxResults === undefined && pageToken === undefined) {
      await requireRun(ctx.db, runId);
      const items = await historyItemsJson(ctx.db, ctx.dialect, runId, key);
      return reply.send(items === undefined ? '{}' : `{"metrics":[${items}]}`);
    }
    return reply.send(historyPageJson(await getMetricHistory(ctx.db, runId, key, { maxResults, pageToken })));
  });

  registerMlflowRoute(app, ctx, 'getMetricHistoryBulkInterval', async (input) => {
    const metrics = await getMetricHistoryBulkInterval(ctx.db, stringList(input, 'run_ids'), requiredString(input, 'metric_key'), {
      startStep: optionalInt64(input, 'start_step'),
      endStep: optionalInt64(input, 'end_step'),
      maxResults: optionalInt64(input, 'max_results'),
    });
    return metrics.length ? { metrics } : {};
  });
}
