import type { DatasetInput, Metric, Run, RunInfo } from '@capstan/contracts';
import type { Selectable } from 'kysely';
import type { RunsTable } from '../tables.js';
import type { TrackingDb } from '../tracking-context.js';
import { fromStorage, wireDouble } from './metric-order.js';
import { compareText, groupBy } from '../collections.js';

/** Turns stored runs into MLflow's wire shape, loading everything a page of runs needs in bulk. */
export function toRunInfo(row: Selectable<RunsTable>): RunInfo {
  const info: RunInfo = {
    run_id: row.run_uuid,
    run_uuid: row.run_uuid,
    run_name: row.name,
    experiment_id: String(row.experiment_id),
    user_id: row.user_id,
    status: row.status,
    start_time: row.start_time,
    artifact_uri: row.artifact_uri,
    lifecycle_stage: row.lifecycle_stage,
  };
  if (row.end_time !== null) info.end_time = row.end_time;
  return info;
}

/** Loads full runs in the order of `runIds`; ids that do not exist are skipped. */
export async function loadRuns(db: TrackingDb, runIds: readonly string[]): Promise<Run[]> {
  if (runIds.length === 0) return [];
  const ids = [...runIds];
  const [rows, params, tags, metrics, inputs, modelLinks] = await Promise.all([
    db.selectFrom('runs').selectAll().where('run_uuid', 'in', ids).execute(),
    // Sorted by key in JS, not SQL: an ORDER BY key tempts PostgreSQL without fresh statistics
    // into walking the whole (key, value) index instead of looking up these runs.
    db.selectFrom('run_params').selectAll().where('run_uuid', 'in', ids).execute().then(byKey),
    db.selectFrom('run_tags').selectAll().where('run_uuid', 'in', ids).execute().then(byKey),
    db.selectFrom('latest_metrics').selectAll().where('run_uuid', 'in', ids).execute().then(byKey),
    db
      .selectFrom('inputs')
      .innerJoin('datasets', 'datasets.dataset_uuid', 'inputs.source_id')
      .select([
        'inputs.input_uuid',
        'inputs.destination_id',
        'datasets.name',
        'datasets.digest',
        'datasets.source_type',
        'datasets.source',
        'datasets.schema',
        'datasets.profile',
      ])
      .where('inputs.source_type', '=', 'DATASET')
      .where('inputs.destination_type', '=', 'RUN')
      .where('inputs.destination_id', 'in', ids)
      .orderBy('inputs.input_uuid')
      .execute(),
    db
      .selectFrom('inputs')
      .select(['source_type', 'source_id', 'destination_id', 'step'])
      .where('source_type', 'in', ['MODEL_INPUT', 'MODEL_OUTPUT'])
      .where('destination_type', '=', 'RUN')
      .where('destination_id', 'in', ids)
      .orderBy('source_id')
      .execute(),
  ]);
  const inputTags = inputs.length
    ? await db.selectFrom('input_tags').selectAll().where('input_uuid', 'in', inputs.map((i) => i.input_uuid)).orderBy('name').execute()
    : [];

  const byRun = <T extends { run_uuid: string }>(list: T[]) => groupBy(list, (x) => x.run_uuid);
  const paramsByRun = byRun(params);
  const tagsByRun = byRun(tags);
  const metricsByRun = byRun(metrics);
  const inputsByRun = groupBy(inputs, (x) => x.destination_id);
  const modelsByRun = groupBy(modelLinks, (x) => x.destination_id);
  const tagsByInput = groupBy(inputTags, (x) => x.input_uuid);
  const rowsById = new Map(rows.map((r) => [r.run_uuid, r]));

  return ids.flatMap((id) => {
    const row = rowsById.get(id);
    if (!row) return [];
    const run: Run = { info: toRunInfo(row), data: {}, inputs: {}, outputs: {} };
    const runMetrics = metricsByRun.get(id);
    if (runMetrics) run.data.metrics = runMetrics.map(toWireMetric);
    const runParams = paramsByRun.get(id);
    if (runParams) run.data.params = runParams.map(({ key, value }) => ({ key, value }));
    const runTags = tagsByRun.get(id);
    if (runTags) run.data.tags = runTags.map(({ key, value }) => ({ key, value }));
    const datasetInputs = inputsByRun.get(id);
    if (datasetInputs) {
      run.inputs!.dataset_inputs = datasetInputs.map((d): DatasetInput => {
        const dataset: DatasetInput['dataset'] = { name: d.name, digest: d.digest, source_type: d.source_type, source: d.source };
        if (d.schema !== null) dataset.schema = d.schema;
        if (d.profile !== null) dataset.profile = d.profile;
        const input: DatasetInput = { dataset };
        const itags = tagsByInput.get(d.input_uuid);
        if (itags) input.tags = itags.map((t) => ({ key: t.name, value: t.value }));
        return input;
      });
    }
    const models = modelsByRun.get(id) ?? [];
    const modelInputs = models.filter((m) => m.source_type === 'MODEL_INPUT');
    const modelOutputs = models.filter((m) => m.source_type === 'MODEL_OUTPUT');
    if (modelInputs.length) run.inputs!.model_inputs = modelInputs.map((m) => ({ model_id: m.source_id }));
    if (modelOutputs.length) run.outputs!.model_outputs = modelOutputs.map((m) => ({ model_id: m.source_id, step: m.step }));
    return [run];
  });
}

export function toWireMetric(m: { key: string; value: number; is_nan: number; timestamp: number; step: number }): Metric {
  return { key: m.key, value: wireDouble(fromStorage(m.value, m.is_nan)), timestamp: m.timestamp, step: m.step };
}

function byKey<T extends { key: string }>(rows: T[]): T[] {
  return rows.sort((a, b) => compareText(a.key, b.key));
}
