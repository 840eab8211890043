import type { LoggedModel, LoggedModelData, LoggedModelInfo, Metric } from '@capstan/contracts';
import type { Selectable } from 'kysely';
import { fromStorage, wireDouble } from '../runs/metric-order.js';
import type { LoggedModelMetricsTable, LoggedModelsTable } from '../tables.js';
import type { TrackingDb } from '../tracking-context.js';
import { compareText, groupBy } from '../collections.js';

/**
 * Turns stored logged models into MLflow's wire shape (`LoggedModel.to_proto()`), loading a page's
 * tags, params and metrics in bulk. As in MLflow, `data` is always present (`{}` when empty),
 * empty lists are left out, and optional strings appear only when set. Tags and params are sorted
 * by key, metrics by key and then by when they were logged.
 */
export async function loadLoggedModels(db: TrackingDb, modelIds: readonly string[]): Promise<LoggedModel[]> {
  if (modelIds.length === 0) return [];
  const ids = [...modelIds];
  const [rows, tags, params, metrics] = await Promise.all([
    db.selectFrom('logged_models').selectAll().where('model_id', 'in', ids).execute(),
    db.selectFrom('logged_model_tags').selectAll().where('model_id', 'in', ids).execute(),
    db.selectFrom('logged_model_params').selectAll().where('model_id', 'in', ids).execute(),
    db.selectFrom('logged_model_metrics').selectAll().where('model_id', 'in', ids).execute(),
  ]);
  // Sorted here rather than in SQL so the order does not depend on a PostgreSQL collation.
  tags.sort((a, b) => compareText(a.key, b.key));
  params.sort((a, b) => compareText(a.key, b.key));
  metrics.sort(compareMetrics);
  const rowsById = new Map(rows.map((r) => [r.model_id, r]));
  const tagsById = groupBy(tags, (t) => t.model_id);
  const paramsById = groupBy(params, (p) => p.model_id);
  const metricsById = groupBy(metrics, (m) => m.model_id);

  return ids.flatMap((id) => {
    const row = rowsById.get(id);
    if (!row) return [];
    const info = toLoggedModelInfo(row);
    const ownTags = tagsById.get(id);
    if (ownTags) info.tags = ownTags.map(({ key, value }) => ({ key, value }));
    const data: LoggedModelData = {};
    const ownParams = paramsById.get(id);
    if (ownParams) data.params = ownParams.map(({ key, value }) => ({ key, value }));
    const ownMetrics = metricsById.get(id);
    if (ownMetrics) data.metrics = ownMetrics.map(toWireModelMetric);
    return [{ info, data }];
  });
}

/** Info fields in proto field order; tags are added by the caller. */
export function toLoggedModelInfo(row: Selectable<LoggedModelsTable>): LoggedModelInfo {
  const info: LoggedModelInfo = {
    model_id: row.model_id,
    experiment_id: String(row.experiment_id),
    name: row.name,
    creation_timestamp_ms: row.creation_timestamp_ms,
    last_updated_timestamp_ms: row.last_updated_timestamp_ms,
    artifact_uri: row.artifact_location,
    status: row.status,
  };
  if (row.model_type) info.model_type = row.model_type;
  if (row.source_run_id) info.source_run_id = row.source_run_id;
  if (row.status_message) info.status_message = row.status_message;
  return info;
}

/** MLflow's `Metric.to_proto()`: dataset fields only when set; the model and run always are here. */
export function toWireModelMetric(m: Selectable<LoggedModelMetricsTable>): Metric {
  const metric: Metric = { key: m.key, value: wireDouble(fromStorage(m.value, m.is_nan)), timestamp: m.timestamp, step: m.step };
  if (m.dataset_name) metric.dataset_name = m.dataset_name;
  if (m.dataset_digest) metric.dataset_digest = m.dataset_digest;
  metric.model_id = m.model_id;
  metric.run_id = m.run_id;
  return metric;
}

/** By key, then in logging order (timestamp, step), then by the rest of the primary key. */
function compareMetrics(a: Selectable<LoggedModelMetricsTable>, b: Selectable<LoggedModelMetricsTable>): number {
  return (
    compareText(a.key, b.key) ||
    a.timestamp - b.timestamp ||
    a.step - b.step ||
    compareText(a.run_id, b.run_id) ||
    compareText(a.dataset_name, b.dataset_name) ||
    compareText(a.dataset_digest, b.dataset_digest)
  );
}
