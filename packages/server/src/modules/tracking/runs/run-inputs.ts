import { randomUUID } from 'node:crypto';
import { invalidParameter } from '../../../core/errors.js';
import { LIMITS, validateBatchLimit, validateLength } from '../limits.js';
import type { TrackingContext, TrackingDb } from '../tracking-context.js';
import { RunStore } from './run-store.js';

export interface DatasetInputRecord {
  dataset: { name: string; digest: string; sourceType: string; source: string; schema?: string; profile?: string };
  tags: readonly { key: string; value: string }[];
}

/**
 * What a run consumed (datasets, logged models) and produced (logged models). A dataset is stored
 * once per experiment by (name, digest) and linked to every run that used it.
 */
export class RunInputs {
  private readonly runs: RunStore;

  constructor(private readonly ctx: TrackingContext) {
    this.runs = new RunStore(ctx);
  }

  async logInputs(runId: string, datasets: readonly DatasetInputRecord[], modelIds: readonly string[]): Promise<void> {
    validateBatchLimit('datasets', LIMITS.datasetsPerBatch, datasets.length);
    for (const d of datasets) validateDatasetInput(d);
    await this.ctx.db.transaction().execute(async (trx) => {
      const run = await this.runs.getActiveRow(runId, trx);
      await linkDatasets(trx, run.experiment_id, runId, datasets);
      await requireLoggedModels(trx, modelIds);
      for (const modelId of modelIds) await link(trx, 'MODEL_INPUT', modelId, runId, 0);
    });
  }

  async logOutputs(runId: string, models: readonly { modelId: string; step: number }[]): Promise<void> {
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.runs.getActiveRow(runId, trx);
      await requireLoggedModels(trx, models.map((m) => m.modelId));
      for (const m of models) await link(trx, 'MODEL_OUTPUT', m.modelId, runId, m.step);
    });
  }
}

/** Checks and links dataset inputs to a run (the caller checked the run is active, in this transaction). */
export async function linkDatasets(db: TrackingDb, experimentId: number, runId: string, datasets: readonly DatasetInputRecord[]): Promise<void> {
  for (const d of datasets) validateDatasetInput(d);
  for (const input of datasets) await linkDataset(db, experimentId, runId, input);
}

function validateDatasetInput({ dataset, tags }: DatasetInputRecord): void {
  if (!dataset.name) throw invalidParameter('Dataset name must be provided');
  if (!dataset.digest) throw invalidParameter('Dataset digest must be provided');
  if (!dataset.sourceType) throw invalidParameter('Dataset source_type must be provided');
  if (!dataset.source) throw invalidParameter('Dataset source must be provided');
  validateLength('Dataset name', LIMITS.datasetNameLength, dataset.name);
  validateLength('Dataset digest', LIMITS.datasetDigestLength, dataset.digest);
  validateLength('Dataset source', LIMITS.datasetSourceLength, dataset.source);
  if (dataset.schema !== undefined) validateLength('Dataset schema', LIMITS.datasetSchemaLength, dataset.schema);
  if (dataset.profile !== undefined) validateLength('Dataset profile', LIMITS.datasetProfileLength, dataset.profile);
  for (const tag of tags) {
    if (!tag.key) throw invalidParameter('Input tag key must be provided');
    validateLength('Input tag key', LIMITS.inputTagKeyLength, tag.key);
    validateLength('Input tag value', LIMITS.inputTagValueLength, tag.value);
  }
}

async function linkDataset(db: TrackingDb, experimentId: number, runId: string, { dataset, tags }: DatasetInputRecord): Promise<void> {
  const existing = await db
    .selectFrom('datasets')
    .select('dataset_uuid')
    .where('experiment_id', '=', experimentId)
    .where('name', '=', dataset.name)
    .where('digest', '=', dataset.digest)
    .executeTakeFirst();
  const datasetId = existing?.dataset_uuid ?? randomUUID().replaceAll('-', '');
  if (!existing) {
    await db
      .insertInto('datasets')
      .values({
        dataset_uuid: datasetId,
        experiment_id: experimentId,
        name: dataset.name,
        digest: dataset.digest,
        source_type: dataset.sourceType,
        source: dataset.source,
        schema: dataset.schema ?? null,
        profile: dataset.profile ?? null,
      })
      .execute();
  }
  const inputId = await link(db, 'DATASET', datasetId, runId, 0);
  if (inputId && tags.length > 0) {
    const unique = new Map(tags.map((t) => [t.key, t.value]));
    await db.insertInto('input_tags').values([...unique].map(([name, value]) => ({ input_uuid: inputId, name, value }))).execute();
  }
}

/** Links a source to a run once; returns the new link's id, or undefined when it already existed. */
async function link(
  db: TrackingDb,
  sourceType: 'DATASET' | 'MODEL_INPUT' | 'MODEL_OUTPUT',
  sourceId: string,
  runId: string,
  step: number,
): Promise<string | undefined> {
  const inputId = randomUUID().replaceAll('-', '');
  const inserted = await db
    .insertInto('inputs')
    .values({ input_uuid: inputId, source_type: sourceType, source_id: sourceId, destination_type: 'RUN', destination_id: runId, step })
    .onConflict((oc) => oc.columns(['source_type', 'source_id', 'destination_type', 'destination_id']).doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0 ? inputId : undefined;
}

async function requireLoggedModels(db: TrackingDb, modelIds: readonly string[]): Promise<void> {
  if (modelIds.length === 0) return;
  const found = await db.selectFrom('logged_models').select('model_id').where('model_id', 'in', [...modelIds]).execute();
  const known = new Set(found.map((f) => f.model_id));
  const missing = modelIds.find((id) => !known.has(id));
  if (missing) throw invalidParameter(`Logged model with ID '${missing}' not found.`);
}
