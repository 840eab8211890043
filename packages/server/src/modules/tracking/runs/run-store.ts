import { randomUUID } from 'node:crypto';
import type { Run, RunInfo, RunStatus } from '@capstan/contracts';
import type { Selectable } from 'kysely';
import type { CapstanError} from '../../../core/errors.js';
import { invalidParameter, notFound } from '../../../core/errors.js';
import { appendToUri, parseExperimentId } from '../experiments/experiment-store.js';
import { LIMITS, validateKey, validateLength } from '../limits.js';
import type { RunsTable } from '../tables.js';
import type { TrackingContext, TrackingDb } from '../tracking-context.js';
import { loadRuns, toRunInfo } from './run-reader.js';
import { generateRunName } from './run-name.js';

export const RUN_NAME_TAG = 'mlflow.runName';

export interface CreateRunInput {
  experimentId?: string;
  userId?: string;
  runName?: string;
  startTime?: number;
  tags: readonly { key: string; value: string }[];
}

/** Runs' identity, lifecycle and tags. Logging of metrics and params lives in run-logging.ts. */
export class RunStore {
  constructor(private readonly ctx: TrackingContext) {}

  async create(input: CreateRunInput): Promise<Run> {
    const experimentId = input.experimentId || '0';
    const numericId = parseExperimentId(experimentId);
    const experiment =
      numericId === undefined
        ? undefined
        : await this.ctx.db.selectFrom('experiments').selectAll().where('experiment_id', '=', numericId).executeTakeFirst();
    if (!experiment) throw notFound(`No Experiment with id=${experimentId} exists`);
    if (experiment.lifecycle_stage !== 'active') {
      throw invalidParameter(`The experiment ${experimentId} must be in the 'active' state. Current state is ${experiment.lifecycle_stage}.`);
    }
    const tags = new Map<string, string>();
    for (const tag of input.tags) tags.set(validateTag(tag.key, tag.value).key, tag.value);
    const tagName = tags.get(RUN_NAME_TAG);
    if (input.runName && tagName !== undefined && tagName !== input.runName) {
      throw invalidParameter(
        `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${input.runName}', mlflow.runName='${tagName}').`,
      );
    }
    const name = input.runName || tagName || generateRunName();
    tags.set(RUN_NAME_TAG, name);
    const runId = randomUUID().replaceAll('-', '');
    const row: Selectable<RunsTable> = {
      run_uuid: runId,
      experiment_id: experiment.experiment_id,
      name,
      user_id: input.userId ?? '',
      status: 'RUNNING',
      start_time: input.startTime ?? this.ctx.now(),
      end_time: null,
      deleted_time: null,
      lifecycle_stage: 'active',
      artifact_uri: appendToUri(appendToUri(experiment.artifact_location, runId), 'artifacts'),
    };
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto('runs').values(row).execute();
      await trx
        .insertInto('run_tags')
        .values([...tags].map(([key, value]) => ({ run_uuid: runId, key, value })))
        .execute();
    });
    return this.get(runId);
  }

  async get(runId: string): Promise<Run> {
    const [run] = await loadRuns(this.ctx.db, [runId]);
    if (!run) throw runNotFound(runId);
    return run;
  }

  async getRow(runId: string, db: TrackingDb = this.ctx.db): Promise<Selectable<RunsTable>> {
    const row = await db.selectFrom('runs').selectAll().where('run_uuid', '=', runId).executeTakeFirst();
    if (!row) throw runNotFound(runId);
    return row;
  }

  /** MLflow refuses writes to deleted runs with this message. */
  async getActiveRow(runId: string, db: TrackingDb = this.ctx.db): Promise<Selectable<RunsTable>> {
    const row = await this.getRow(runId, db);
    if (row.lifecycle_stage !== 'active') {
      throw invalidParameter(`The run ${runId} must be in the 'active' state. Current state is ${row.lifecycle_stage}.`);
    }
    return row;
  }

  async update(runId: string, changes: { status?: RunStatus; endTime?: number; runName?: string }): Promise<RunInfo> {
    await this.getActiveRow(runId);
    await this.ctx.db.transaction().execute(async (trx) => {
      const set: Partial<Selectable<RunsTable>> = {};
      if (changes.status) set.status = changes.status;
      if (changes.endTime !== undefined) set.end_time = changes.endTime;
      if (changes.runName) set.name = changes.runName;
      if (Object.keys(set).length > 0) await trx.updateTable('runs').set(set).where('run_uuid', '=', runId).execute();
      if (changes.runName) await upsertTags(trx, runId, [{ key: RUN_NAME_TAG, value: changes.runName }]);
    });
    return toRunInfo(await this.getRow(runId));
  }

  async setLifecycle(runId: string, stage: 'active' | 'deleted'): Promise<void> {
    await this.getRow(runId);
    await this.ctx.db
      .updateTable('runs')
      .set({ lifecycle_stage: stage, deleted_time: stage === 'deleted' ? this.ctx.now() : null })
      .where('run_uuid', '=', runId)
      .execute();
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    validateTag(key, value);
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.getActiveRow(runId, trx);
      await upsertTags(trx, runId, [{ key, value }]);
      // The run's name and its mlflow.runName tag are one fact stored twice; keep them equal.
      if (key === RUN_NAME_TAG) await trx.updateTable('runs').set({ name: value }).where('run_uuid', '=', runId).execute();
    });
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.getActiveRow(runId, trx);
      const result = await trx.deleteFrom('run_tags').where('run_uuid', '=', runId).where('key', '=', key).executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) throw notFound(`No tag with name: ${key} in run with id ${runId}`);
    });
  }
}

export function runNotFound(runId: string): CapstanError {
  return notFound(`Run with id=${runId} not found`);
}

export function validateTag(key: string, value: string): { key: string; value: string } {
  validateKey('tag', key);
  validateLength('Tag key', LIMITS.entityKeyLength, key);
  validateLength('Tag value', LIMITS.tagValueLength, value);
  return { key, value };
}

/**
 * Sets run tags in one statement; when a key repeats, the last value wins, as if set in order.
 * (PostgreSQL refuses an upsert that touches one row twice, so repeats are folded first.)
 */
export async function upsertTags(db: TrackingDb, runId: string, tags: readonly { key: string; value: string }[]): Promise<void> {
  if (tags.length === 0) return;
  const lastValues = new Map(tags.map((t) => [t.key, t.value]));
  await db
    .insertInto('run_tags')
    .values([...lastValues].map(([key, value]) => ({ run_uuid: runId, key, value })))
    .onConflict((oc) => oc.columns(['run_uuid', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
    .execute();
}
