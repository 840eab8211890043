import { invalidParameter } from '../../../core/errors.js';
import { LIMITS, validateBatchLimit, validateKey, validateLength } from '../limits.js';
import type { SqlDialect } from '../../../ports/sql.js';
import type { TrackingContext, TrackingDb } from '../tracking-context.js';
import { insertMetricRows } from './metric-insert.js';
import { fromStorage, isLater, toStorage, type MetricPoint } from './metric-order.js';
import { RUN_NAME_TAG, RunStore, upsertTags, validateTag } from './run-store.js';

export interface LoggedMetric extends MetricPoint {
  modelId?: string;
  datasetName?: string;
  datasetDigest?: string;
}

export interface LogBatchInput {
  metrics: readonly LoggedMetric[];
  params: readonly { key: string; value: string }[];
  tags: readonly { key: string; value: string }[];
}

/**
 * Writes metrics, params and tags. Every call is one transaction: a batch that fails validation
 * or conflicts with stored params writes nothing.
 */
export class RunLogging {
  private readonly runs: RunStore;

  constructor(private readonly ctx: TrackingContext) {
    this.runs = new RunStore(ctx);
  }

  async logBatch(runId: string, batch: LogBatchInput): Promise<void> {
    validateBatch(batch);
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.runs.getActiveRow(runId, trx);
      await writeParams(trx, runId, batch.params);
      await upsertTags(trx, runId, batch.tags);
      const runName = batch.tags.findLast((t) => t.key === RUN_NAME_TAG)?.value;
      if (runName !== undefined) await trx.updateTable('runs').set({ name: runName }).where('run_uuid', '=', runId).execute();
      await writeMetrics(trx, this.ctx.dialect, runId, batch.metrics);
    });
  }
}

function validateBatch(batch: LogBatchInput): void {
  validateBatchLimit('metrics', LIMITS.metricsPerBatch, batch.metrics.length);
  validateBatchLimit('params', LIMITS.paramsTagsPerBatch, batch.params.length);
  validateBatchLimit('tags', LIMITS.paramsTagsPerBatch, batch.tags.length);
  validateBatchLimit(
    'metrics, params, and tags',
    LIMITS.entitiesPerBatch,
    batch.metrics.length + batch.params.length + batch.tags.length,
  );
  for (const m of batch.metrics) {
    validateKey('metric', m.key);
    validateLength('Metric name', LIMITS.entityKeyLength, m.key);
    if (!Number.isFinite(m.timestamp) || m.timestamp < 0) {
      throw invalidParameter(
        `Got invalid timestamp ${m.timestamp} for metric '${m.key}' (value=${m.value}). Timestamp must be a nonnegative long (64-bit integer) `,
      );
    }
  }
  const seen = new Set<string>();
  const dupes: string[] = [];
  for (const p of batch.params) {
    validateKey('parameter', p.key);
    validateLength('Param key', LIMITS.entityKeyLength, p.key);
    validateLength('Param value', LIMITS.paramValueLength, p.value);
    if (seen.has(p.key)) dupes.push(p.key);
    seen.add(p.key);
  }
  if (dupes.length > 0) {
    throw invalidParameter(
      `Duplicate parameter keys have been submitted: ${JSON.stringify(dupes)}. Please ensure the request contains only one param value per param key.`,
    );
  }
  for (const t of batch.tags) validateTag(t.key, t.value);
}

/** Params are immutable: re-logging the same value is a no-op, a different value is an error. */
async function writeParams(db: TrackingDb, runId: string, params: LogBatchInput['params']): Promise<void> {
  if (params.length === 0) return;
  const existing = await db
    .selectFrom('run_params')
    .select(['key', 'value'])
    .where('run_uuid', '=', runId)
    .where('key', 'in', params.map((p) => p.key))
    .execute();
  const stored = new Map(existing.map((p) => [p.key, p.value]));
  const fresh = params.filter((p) => {
    const old = stored.get(p.key);
    if (old === undefined) return true;
    if (old !== p.value) {
      throw invalidParameter(
        `Changing param values is not allowed. Param with key='${p.key}' was already logged with value='${old}' for run ID='${runId}'. Attempted logging new value '${p.value}'.`,
      );
    }
    return false;
  });
  if (fresh.length > 0) await db.insertInto('run_params').values(fresh.map((p) => ({ run_uuid: runId, key: p.key, value: p.value }))).execute();
}

async function writeMetrics(db: TrackingDb, dialect: SqlDialect, runId: string, metrics: readonly LoggedMetric[]): Promise<void> {
  if (metrics.length === 0) return;
  await insertMetricRows(
    db,
    dialect,
    metrics.map((m) => ({
      run_uuid: runId,
      key: m.key,
      ...toStorage(m.value),
      timestamp: m.timestamp,
      step: m.step,
      model_id: m.modelId ?? '',
      dataset_name: m.datasetName ?? '',
      dataset_digest: m.datasetDigest ?? '',
    })),
  );
  await updateLatestMetrics(db, runId, metrics);
  const modelMetrics = metrics.filter((m) => m.modelId);
  if (modelMetrics.length > 0) await writeModelMetrics(db, runId, modelMetrics);
}

/** Keeps latest_metrics equal to the winner of MLflow's (step, timestamp, value) order per key. */
async function updateLatestMetrics(db: TrackingDb, runId: string, metrics: readonly LoggedMetric[]): Promise<void> {
  const candidates = new Map<string, MetricPoint>();
  for (const m of metrics) {
    const best = candidates.get(m.key);
    if (!best || isLater(m, best)) candidates.set(m.key, m);
  }
  const current = await db
    .selectFrom('latest_metrics')
    .selectAll()
    .where('run_uuid', '=', runId)
    .where('key', 'in', [...candidates.keys()])
    .execute();
  for (const row of current) {
    const candidate = candidates.get(row.key)!;
    const stored = { key: row.key, value: fromStorage(row.value, row.is_nan), timestamp: row.timestamp, step: row.step };
    if (!isLater(candidate, stored)) candidates.delete(row.key);
  }
  if (candidates.size === 0) return;
  await db
    .insertInto('latest_metrics')
    .values(
      [...candidates.values()].map((m) => ({
        run_uuid: runId,
        key: m.key,
        ...toStorage(m.value),
        timestamp: m.timestamp,
        step: m.step,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['run_uuid', 'key']).doUpdateSet((eb) => ({
        value: eb.ref('excluded.value'),
        is_nan: eb.ref('excluded.is_nan'),
        timestamp: eb.ref('excluded.timestamp'),
        step: eb.ref('excluded.step'),
      })),
    )
    .execute();
}

/** MLflow 3: a metric logged with a model id also belongs to that logged model. */
async function writeModelMetrics(db: TrackingDb, runId: string, metrics: readonly LoggedMetric[]): Promise<void> {
  const modelIds = [...new Set(metrics.map((m) => m.modelId!))];
  const known = await db.selectFrom('logged_models').select('model_id').where('model_id', 'in', modelIds).execute();
  const knownIds = new Set(known.map((k) => k.model_id));
  const missing = modelIds.find((id) => !knownIds.has(id));
  if (missing) throw invalidParameter(`Logged model with ID '${missing}' not found.`);
  await db
    .insertInto('logged_model_metrics')
    .values(
      metrics.map((m) => ({
        model_id: m.modelId!,
        key: m.key,
        ...toStorage(m.value),
        timestamp: m.timestamp,
        step: m.step,
        run_id: runId,
        dataset_name: m.datasetName ?? '',
        dataset_digest: m.datasetDigest ?? '',
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
}
