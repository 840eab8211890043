import { randomUUID } from 'node:crypto';
import type { LoggedModel } from '@capstan/contracts';
import type { Selectable } from 'kysely';
import { invalidParameter, notFound } from '../../../core/errors.js';
import { appendToUri, parseExperimentId } from '../experiments/experiment-store.js';
import { generateRunName } from '../runs/run-name.js';
import type { LoggedModelsTable } from '../tables.js';
import type { TrackingContext, TrackingDb } from '../tracking-context.js';
import { loadLoggedModels } from './logged-model-reader.js';
import {
  modelNotFound,
  requireUniqueKeys,
  validateLoggedModelName,
  validateModelParams,
  validateModelTags,
  type KeyValue,
} from './logged-model-validation.js';

export interface CreateLoggedModelInput {
  experimentId: string;
  /** Generated (`<adjective>-<noun>-<n>`, like run names) when absent. */
  name?: string;
  modelType?: string;
  sourceRunId?: string;
  params: readonly KeyValue[];
  tags: readonly KeyValue[];
}

/** The statuses a model may be finalized to (proto: "Valid values in this message"). */
export type FinalStatus = 'LOGGED_MODEL_READY' | 'LOGGED_MODEL_UPLOAD_FAILED';

export interface ReadOptions {
  /** MLflow's `allow_deleted`: soft-deleted models are otherwise not found. */
  allowDeleted?: boolean;
}

/**
 * Logged models' identity and lifecycle (MLflow 3). Tags and params live in
 * logged-model-metadata.ts; metrics arrive through runs/log-batch with a model_id.
 */
export class LoggedModelStore {
  constructor(private readonly ctx: TrackingContext) {}

  async create(input: CreateLoggedModelInput): Promise<LoggedModel> {
    if (input.name !== undefined) validateLoggedModelName(input.name);
    requireUniqueKeys('params', input.params);
    requireUniqueKeys('tags', input.tags);
    validateModelParams(input.params);
    validateModelTags(input.tags);
    const experiment = await this.activeExperiment(input.experimentId);
    const modelId = `m-${randomUUID().replaceAll('-', '')}`;
    const now = this.ctx.now();
    const row: Selectable<LoggedModelsTable> = {
      model_id: modelId,
      experiment_id: experiment.experiment_id,
      name: input.name ?? generateRunName(),
      artifact_location: appendToUri(appendToUri(appendToUri(experiment.artifact_location, 'models'), modelId), 'artifacts'),
      creation_timestamp_ms: now,
      last_updated_timestamp_ms: now,
      status: 'LOGGED_MODEL_PENDING',
      status_message: null,
      lifecycle_stage: 'active',
      model_type: input.modelType || null,
      source_run_id: input.sourceRunId || null,
    };
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto('logged_models').values(row).execute();
      if (input.params.length > 0) {
        await trx.insertInto('logged_model_params').values(input.params.map((p) => ({ model_id: modelId, ...p }))).execute();
      }
      if (input.tags.length > 0) {
        await trx.insertInto('logged_model_tags').values(input.tags.map((t) => ({ model_id: modelId, ...t }))).execute();
      }
    });
    return this.get(modelId);
  }

  async get(modelId: string, options: ReadOptions = {}): Promise<LoggedModel> {
    await findModelRow(this.ctx.db, modelId, options);
    const [model] = await loadLoggedModels(this.ctx.db, [modelId]);
    if (!model) throw modelNotFound(modelId);
    return model;
  }

  /** As in MLflow, finalizing works on any stored model, deleted or not, and may be repeated. */
  async finalize(modelId: string, status: FinalStatus): Promise<LoggedModel> {
    await findModelRow(this.ctx.db, modelId, { allowDeleted: true });
    await this.ctx.db
      .updateTable('logged_models')
      .set({ status, last_updated_timestamp_ms: this.ctx.now() })
      .where('model_id', '=', modelId)
      .execute();
    return this.get(modelId, { allowDeleted: true });
  }

  /** Soft delete: the model leaves get and search but keeps its rows (and its run links). */
  async delete(modelId: string): Promise<void> {
    await findModelRow(this.ctx.db, modelId, { allowDeleted: true });
    await this.ctx.db
      .updateTable('logged_models')
      .set({ lifecycle_stage: 'deleted', last_updated_timestamp_ms: this.ctx.now() })
      .where('model_id', '=', modelId)
      .execute();
  }

  /** MLflow's create_logged_model checks the experiment exists and is active, with run creation's wording. */
  private async activeExperiment(experimentId: string) {
    const id = parseExperimentId(experimentId);
    const experiment =
      id === undefined
        ? undefined
        : await this.ctx.db.selectFrom('experiments').select(['experiment_id', 'artifact_location', 'lifecycle_stage']).where('experiment_id', '=', id).executeTakeFirst();
    if (!experiment) throw notFound(`No Experiment with id=${experimentId} exists`);
    if (experiment.lifecycle_stage !== 'active') {
      throw invalidParameter(`The experiment ${experimentId} must be in the 'active' state. Current state is ${experiment.lifecycle_stage}.`);
    }
    return experiment;
  }
}

/** The stored row, or RESOURCE_DOES_NOT_EXIST; deleted models count only with `allowDeleted`. */
export async function findModelRow(db: TrackingDb, modelId: string, options: ReadOptions = {}): Promise<Selectable<LoggedModelsTable>> {
  const row = await db.selectFrom('logged_models').selectAll().where('model_id', '=', modelId).executeTakeFirst();
  if (!row || (row.lifecycle_stage === 'deleted' && !options.allowDeleted)) throw modelNotFound(modelId);
  return row;
}
