import type { Experiment } from '@capstan/contracts';
import { CapstanError, alreadyExists, invalidParameter, notFound } from '../../../core/errors.js';
import { LIMITS, validateExperimentName, validateKey, validateLength } from '../limits.js';
import type { TrackingContext } from '../tracking-context.js';

/** Experiment ids are integers in storage and decimal strings on the wire. */
export function parseExperimentId(id: string): number | undefined {
  return /^\d{1,15}$/.test(id) ? Number(id) : undefined;
}

/** Joins an artifact root and a child path without doubling slashes (`mlflow-artifacts:/` + `1`). */
export function appendToUri(root: string, child: string): string {
  return root.endsWith('/') ? `${root}${child}` : `${root}/${child}`;
}

export class ExperimentStore {
  constructor(private readonly ctx: TrackingContext) {}

  /** Gives the Default experiment its artifact location under the configured root. */
  async initDefaultExperiment(): Promise<void> {
    await this.ctx.db
      .updateTable('experiments')
      .set({ artifact_location: appendToUri(this.ctx.defaultArtifactRoot, '0') })
      .where('experiment_id', '=', 0)
      .where('artifact_location', '=', '')
      .execute();
  }

  async create(name: string, artifactLocation: string | undefined, tags: readonly { key: string; value: string }[], workspace?: string): Promise<string> {
    validateExperimentName(name);
    if (artifactLocation?.startsWith('runs:')) {
      throw invalidParameter(`Artifact location cannot be a runs:/ URI. Given: '${artifactLocation}'`);
    }
    for (const tag of tags) validateExperimentTag(tag.key, tag.value);
    const now = this.ctx.now();
    try {
      return await this.ctx.db.transaction().execute(async (trx) => {
        const clash = await trx.selectFrom('experiments').select('lifecycle_stage').where('name', '=', name).executeTakeFirst();
        if (clash) throw duplicateName(name, clash.lifecycle_stage);
        const { experiment_id: id } = await trx
          .insertInto('experiments')
          .values({ name, artifact_location: artifactLocation ?? '', lifecycle_stage: 'active', creation_time: now, last_update_time: now, ...(workspace ? { workspace } : {}) })
          .returning('experiment_id')
          .executeTakeFirstOrThrow();
        if (!artifactLocation) {
          await trx
            .updateTable('experiments')
            .set({ artifact_location: appendToUri(this.ctx.defaultArtifactRoot, String(id)) })
            .where('experiment_id', '=', id)
            .execute();
        }
        if (tags.length > 0) {
          await trx.insertInto('experiment_tags').values(dedupeTags(tags).map((t) => ({ experiment_id: id, ...t }))).execute();
        }
        return String(id);
      });
    } catch (err) {
      if (err instanceof CapstanError) throw err;
      // A concurrent create with the same name won the unique constraint.
      if (isUniqueViolation(err)) throw duplicateName(name, 'active');
      throw err;
    }
  }

  async get(experimentId: string): Promise<Experiment> {
    const id = parseExperimentId(experimentId);
    const [experiment] = id === undefined ? [] : await this.load([id]);
    if (!experiment) throw notFound(`No Experiment with id=${experimentId} exists`);
    return experiment;
  }

  /** Prefers the active experiment when an active and a deleted one share the name (names are unique here). */
  async getByName(name: string): Promise<Experiment> {
    const row = await this.ctx.db.selectFrom('experiments').select('experiment_id').where('name', '=', name).executeTakeFirst();
    if (!row) throw notFound(`Could not find experiment with name '${name}'`);
    return this.get(String(row.experiment_id));
  }

  /** Loads full experiments (with tags) in the order of `ids`. */
  async load(ids: readonly number[]): Promise<Experiment[]> {
    if (ids.length === 0) return [];
    const [rows, tags] = await Promise.all([
      this.ctx.db.selectFrom('experiments').selectAll().where('experiment_id', 'in', ids).execute(),
      this.ctx.db.selectFrom('experiment_tags').selectAll().where('experiment_id', 'in', ids).orderBy('key').execute(),
    ]);
    const byId = new Map(rows.map((r) => [r.experiment_id, r]));
    return ids.flatMap((id) => {
      const r = byId.get(id);
      if (!r) return [];
      const own = tags.filter((t) => t.experiment_id === id).map((t) => ({ key: t.key, value: t.value }));
      const experiment: Experiment = {
        experiment_id: String(r.experiment_id),
        name: r.name,
        artifact_location: r.artifact_location,
        lifecycle_stage: r.lifecycle_stage,
        last_update_time: r.last_update_time,
        creation_time: r.creation_time,
      };
      if (own.length > 0) experiment.tags = own;
      return [experiment];
    });
  }

  async rename(experimentId: string, newName: string): Promise<void> {
    validateExperimentName(newName);
    const current = await this.get(experimentId);
    if (current.lifecycle_stage !== 'active') throw new CapstanError('INVALID_STATE', 'Cannot rename a non-active experiment.');
    if (current.name === newName) return;
    const clash = await this.ctx.db.selectFrom('experiments').select('lifecycle_stage').where('name', '=', newName).executeTakeFirst();
    if (clash) throw duplicateName(newName, clash.lifecycle_stage);
    try {
      await this.ctx.db
        .updateTable('experiments')
        .set({ name: newName, last_update_time: this.ctx.now() })
        .where('experiment_id', '=', Number(experimentId))
        .execute();
    } catch (err) {
      // A concurrent create or rename took the name between the check and the update.
      if (isUniqueViolation(err)) throw duplicateName(newName, 'active');
      throw err;
    }
  }

  /** Soft delete: the experiment and its runs move to the `deleted` lifecycle stage, as in MLflow. */
  async setLifecycle(experimentId: string, stage: 'active' | 'deleted'): Promise<void> {
    const current = await this.get(experimentId);
    if (stage === 'active' && current.lifecycle_stage === 'active') {
      throw new CapstanError('INVALID_STATE', `Cannot restore an active experiment. Experiment id ${experimentId}`);
    }
    const now = this.ctx.now();
    const id = Number(experimentId);
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.updateTable('experiments').set({ lifecycle_stage: stage, last_update_time: now }).where('experiment_id', '=', id).execute();
      await trx
        .updateTable('runs')
        .set({ lifecycle_stage: stage, deleted_time: stage === 'deleted' ? now : null })
        .where('experiment_id', '=', id)
        .where('lifecycle_stage', '!=', stage)
        .execute();
    });
  }

  async setTag(experimentId: string, key: string, value: string): Promise<void> {
    validateExperimentTag(key, value);
    const current = await this.get(experimentId);
    if (current.lifecycle_stage !== 'active') {
      throw new CapstanError('INVALID_STATE', `The experiment ${experimentId} must be in the 'active' state. Current state is deleted.`);
    }
    const id = Number(experimentId);
    await this.ctx.db
      .insertInto('experiment_tags')
      .values({ experiment_id: id, key, value })
      .onConflict((oc) => oc.columns(['experiment_id', 'key']).doUpdateSet({ value }))
      .execute();
  }

  async deleteTag(experimentId: string, key: string): Promise<void> {
    const current = await this.get(experimentId);
    if (current.lifecycle_stage !== 'active') {
      throw new CapstanError('INVALID_STATE', `The experiment ${experimentId} must be in the 'active' state. Current state is deleted.`);
    }
    const result = await this.ctx.db
      .deleteFrom('experiment_tags')
      .where('experiment_id', '=', Number(experimentId))
      .where('key', '=', key)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw notFound(`No tag with name: ${key} in experiment with id ${experimentId}`);
  }
}

function validateExperimentTag(key: string, value: string): void {
  validateKey('tag', key);
  validateLength('Tag key', LIMITS.experimentTagKeyLength, key);
  validateLength('Tag value', LIMITS.experimentTagValueLength, value);
}

function duplicateName(name: string, stage: string): CapstanError {
  const hint = stage === 'deleted' ? ` (the experiment with this name is deleted; restore it or choose another name)` : '';
  return alreadyExists(`Experiment(name=${name}) already exists.${hint}`);
}

/** The last value wins when a request repeats a tag key. */
function dedupeTags(tags: readonly { key: string; value: string }[]): { key: string; value: string }[] {
  return [...new Map(tags.map((t) => [t.key, t.value])).entries()].map(([key, value]) => ({ key, value }));
}

export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
