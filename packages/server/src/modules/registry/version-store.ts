import type { ModelVersionStage } from '@capstan/contracts';
import { invalidParameter, notFound } from '../../core/errors.js';
import type { ModelRow, ModelStore } from './model-store.js';
import type { RegistryContext } from './registry-context.js';
import { ACTIVE_STAGES, parseStage, parseVersion, validateAlias, validateTag } from './validation.js';

export interface VersionKey {
  modelId: number;
  version: number;
}

const versionNotFound = (name: string, version: number | string) => notFound(`Model Version (name=${name}, version=${version}) not found`);

/** Model versions: numbering, stages, aliases and tags, with MLflow's rules. */
export class VersionStore {
  constructor(
    private readonly ctx: RegistryContext,
    private readonly models: ModelStore,
  ) {}

  async require(name: string | undefined, version: string | undefined): Promise<ModelRow & { version: number; stage: ModelVersionStage }> {
    const model = await this.models.require(name);
    const number = parseVersion(version);
    const row = await this.ctx.db
      .selectFrom('model_versions')
      .select(['version', 'current_stage'])
      .where('model_id', '=', model.modelId)
      .where('version', '=', number)
      .where('deleted', '=', 0)
      .executeTakeFirst();
    if (!row) throw versionNotFound(model.name, number);
    return { ...model, version: number, stage: row.current_stage as ModelVersionStage };
  }

  /** The next number is one past the highest ever used, deleted versions included, so numbers are never reused. */
  async create(input: {
    name: string | undefined;
    source: string | undefined;
    runId?: string;
    runLink?: string;
    description?: string;
    tags: { key: string | undefined; value: string | undefined }[];
    userId: string | null;
    /** Checks the package at the (resolved) source before anything is written. */
    check?: (source: string) => Promise<{ flavor: string; signature: string | null } | undefined>;
  }): Promise<VersionKey> {
    const model = await this.models.require(input.name);
    if (input.source === undefined || input.source === '') throw invalidParameter("Missing value for required parameter 'source'.");
    const facts = input.check ? await input.check(input.source) : undefined;
    const tags = new Map(input.tags.map((t) => validateTag(t.key, t.value)).map((t) => [t.key, t.value]));
    const now = this.ctx.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const top = await trx.selectFrom('model_versions').select((eb) => eb.fn.max('version').as('top')).where('model_id', '=', model.modelId).executeTakeFirst();
      const version = Number(top?.top ?? 0) + 1;
      await trx
        .insertInto('model_versions')
        .values({
          model_id: model.modelId,
          version,
          creation_timestamp: now,
          last_updated_timestamp: now,
          user_id: input.userId,
          current_stage: 'None',
          description: input.description ?? null,
          source: input.source!,
          run_id: input.runId ?? null,
          run_link: input.runLink ?? null,
          status: 'READY',
          status_message: null,
          deleted: 0,
          flavor: facts?.flavor ?? null,
          signature: facts?.signature ?? null,
        })
        .execute();
      if (tags.size) await trx.insertInto('model_version_tags').values([...tags].map(([key, value]) => ({ model_id: model.modelId, version, key, value }))).execute();
      await trx.updateTable('registered_models').set({ last_updated_timestamp: now }).where('model_id', '=', model.modelId).execute();
      return { modelId: model.modelId, version };
    });
  }

  async describe(name: string | undefined, version: string | undefined, description: string | undefined): Promise<VersionKey> {
    const v = await this.require(name, version);
    await this.touch(v, { description: description ?? null });
    return v;
  }

  /** Moves a version to a stage; with archive_existing_versions, the others in that stage go to Archived. */
  async transition(name: string | undefined, version: string | undefined, stageName: string | undefined, archiveExisting: boolean): Promise<{ key: VersionKey; before: ModelVersionStage; archived: number[] }> {
    if (stageName === undefined || stageName === '') throw invalidParameter("Missing value for required parameter 'stage'.");
    const stage = parseStage(stageName);
    const v = await this.require(name, version);
    if (archiveExisting && !ACTIVE_STAGES.includes(stage)) {
      throw invalidParameter(`Model version transition cannot archive existing model versions because '${stage}' is not an Active stage. Valid stages are ${ACTIVE_STAGES.join(', ')}`);
    }
    const now = this.ctx.now();
    const archived = await this.ctx.db.transaction().execute(async (trx) => {
      let moved: number[] = [];
      if (archiveExisting) {
        const others = await trx.selectFrom('model_versions').select('version').where('model_id', '=', v.modelId).where('current_stage', '=', stage).where('version', '!=', v.version).where('deleted', '=', 0).execute();
        moved = others.map((o) => o.version);
        if (moved.length) {
          await trx.updateTable('model_versions').set({ current_stage: 'Archived', last_updated_timestamp: now }).where('model_id', '=', v.modelId).where('version', 'in', moved).execute();
        }
      }
      await trx.updateTable('model_versions').set({ current_stage: stage, last_updated_timestamp: now }).where('model_id', '=', v.modelId).where('version', '=', v.version).execute();
      await trx.updateTable('registered_models').set({ last_updated_timestamp: now }).where('model_id', '=', v.modelId).execute();
      return moved;
    });
    return { key: v, before: v.stage, archived };
  }

  /**
   * Soft delete, as MLflow's store does: the row stays (its number is never reused) with the
   * source and run redacted; its aliases and tags go.
   */
  async delete(name: string | undefined, version: string | undefined): Promise<VersionKey> {
    const v = await this.require(name, version);
    const now = this.ctx.now();
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('registered_model_aliases').where('model_id', '=', v.modelId).where('version', '=', v.version).execute();
      await trx.deleteFrom('model_version_tags').where('model_id', '=', v.modelId).where('version', '=', v.version).execute();
      await trx
        .updateTable('model_versions')
        .set({ deleted: 1, current_stage: 'Deleted_Internal', source: 'REDACTED-SOURCE-PATH', run_id: null, run_link: null, description: null, user_id: null, last_updated_timestamp: now })
        .where('model_id', '=', v.modelId)
        .where('version', '=', v.version)
        .execute();
      await trx.updateTable('registered_models').set({ last_updated_timestamp: now }).where('model_id', '=', v.modelId).execute();
    });
    return v;
  }

  async setTag(name: string | undefined, version: string | undefined, key: string | undefined, value: string | undefined): Promise<void> {
    const v = await this.require(name, version);
    const tag = validateTag(key, value);
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('model_version_tags').where('model_id', '=', v.modelId).where('version', '=', v.version).where('key', '=', tag.key).execute();
      await trx.insertInto('model_version_tags').values({ model_id: v.modelId, version: v.version, ...tag }).execute();
    });
    await this.touch(v, {});
  }

  async deleteTag(name: string | undefined, version: string | undefined, key: string | undefined): Promise<void> {
    const v = await this.require(name, version);
    const { key: k } = validateTag(key, '');
    const result = await this.ctx.db.deleteFrom('model_version_tags').where('model_id', '=', v.modelId).where('version', '=', v.version).where('key', '=', k).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw notFound(`No tag with key: ${k} in model ${v.name} version ${v.version}`);
  }

  /** Points an alias at a version, moving it if it pointed elsewhere; returns the version it left. */
  async setAlias(name: string | undefined, alias: string | undefined, version: string | undefined): Promise<{ key: VersionKey; previous: number | undefined }> {
    const valid = validateAlias(alias);
    const v = await this.require(name, version);
    const previous = await this.aliasTarget(v.modelId, valid);
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('registered_model_aliases').where('model_id', '=', v.modelId).where('alias', '=', valid).execute();
      await trx.insertInto('registered_model_aliases').values({ model_id: v.modelId, alias: valid, version: v.version }).execute();
      await trx.updateTable('registered_models').set({ last_updated_timestamp: this.ctx.now() }).where('model_id', '=', v.modelId).execute();
    });
    return { key: v, previous };
  }

  async deleteAlias(name: string | undefined, alias: string | undefined): Promise<number> {
    const model = await this.models.require(name);
    const valid = validateAlias(alias);
    const previous = await this.aliasTarget(model.modelId, valid);
    if (previous === undefined) throw notFound(`Registered model alias ${valid} not found.`);
    await this.ctx.db.deleteFrom('registered_model_aliases').where('model_id', '=', model.modelId).where('alias', '=', valid).execute();
    return previous;
  }

  async byAlias(name: string | undefined, alias: string | undefined): Promise<VersionKey> {
    const model = await this.models.require(name);
    if (alias === undefined || alias === '') throw invalidParameter("Missing value for required parameter 'alias'.");
    const version = await this.aliasTarget(model.modelId, alias);
    if (version === undefined) throw notFound(`Registered model alias ${alias} not found.`);
    return { modelId: model.modelId, version };
  }

  private async aliasTarget(modelId: number, alias: string): Promise<number | undefined> {
    const row = await this.ctx.db.selectFrom('registered_model_aliases').select('version').where('model_id', '=', modelId).where('alias', '=', alias).executeTakeFirst();
    return row?.version;
  }

  private async touch(v: VersionKey, change: { description?: string | null }): Promise<void> {
    const now = this.ctx.now();
    await this.ctx.db.updateTable('model_versions').set({ ...change, last_updated_timestamp: now }).where('model_id', '=', v.modelId).where('version', '=', v.version).execute();
  }
}
