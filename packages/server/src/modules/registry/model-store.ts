import { alreadyExists, notFound } from '../../core/errors.js';
import type { RegistryContext } from './registry-context.js';
import { validateModelName, validateTag } from './validation.js';

export interface ModelRow {
  modelId: number;
  name: string;
  workspace: string;
  description: string | null;
}

export const modelNotFound = (name: string) => notFound(`Registered Model with name=${name} not found`);

/** Registered models: create, rename, describe, tag, delete. */
export class ModelStore {
  constructor(private readonly ctx: RegistryContext) {}

  async find(name: string): Promise<ModelRow | undefined> {
    const row = await this.ctx.db.selectFrom('registered_models').select(['model_id', 'name', 'workspace', 'description']).where('name', '=', name).executeTakeFirst();
    return row && { modelId: Number(row.model_id), name: row.name, workspace: row.workspace, description: row.description };
  }

  /** By surrogate id: promotion requests and webhooks point at models that way, so renames follow. */
  async findById(modelId: number): Promise<ModelRow | undefined> {
    const row = await this.ctx.db.selectFrom('registered_models').select(['model_id', 'name', 'workspace', 'description']).where('model_id', '=', modelId).executeTakeFirst();
    return row && { modelId: Number(row.model_id), name: row.name, workspace: row.workspace, description: row.description };
  }

  async require(name: string | undefined): Promise<ModelRow> {
    const valid = validateModelName(name);
    const row = await this.find(valid);
    if (!row) throw modelNotFound(valid);
    return row;
  }

  async create(input: { name: string | undefined; description?: string; tags: { key: string | undefined; value: string | undefined }[]; workspace: string; createdBy: string | null }): Promise<ModelRow> {
    const name = validateModelName(input.name);
    const tags = input.tags.map((t) => validateTag(t.key, t.value));
    const now = this.ctx.now();
    await this.ctx.db.transaction().execute(async (trx) => {
      const clash = await trx.selectFrom('registered_models').select('model_id').where('name', '=', name).executeTakeFirst();
      if (clash) throw alreadyExists(`Registered Model (name=${name}) already exists.`);
      const { model_id: id } = await trx
        .insertInto('registered_models')
        .values({ name, workspace: input.workspace, description: input.description ?? null, creation_timestamp: now, last_updated_timestamp: now, created_by: input.createdBy })
        .returning('model_id')
        .executeTakeFirstOrThrow();
      const unique = new Map(tags.map((t) => [t.key, t.value]));
      if (unique.size) await trx.insertInto('registered_model_tags').values([...unique].map(([key, value]) => ({ model_id: Number(id), key, value }))).execute();
    });
    return this.require(name);
  }

  async rename(name: string | undefined, newName: string | undefined): Promise<{ before: ModelRow; after: ModelRow }> {
    const before = await this.require(name);
    const target = validateModelName(newName);
    if (target !== before.name && (await this.find(target))) throw alreadyExists(`Registered Model (name=${target}) already exists.`);
    await this.ctx.db.updateTable('registered_models').set({ name: target, last_updated_timestamp: this.ctx.now() }).where('model_id', '=', before.modelId).execute();
    return { before, after: await this.require(target) };
  }

  async describe(name: string | undefined, description: string | undefined): Promise<ModelRow> {
    const model = await this.require(name);
    await this.ctx.db.updateTable('registered_models').set({ description: description ?? null, last_updated_timestamp: this.ctx.now() }).where('model_id', '=', model.modelId).execute();
    return this.require(model.name);
  }

  async setTag(name: string | undefined, key: string | undefined, value: string | undefined): Promise<void> {
    const model = await this.require(name);
    const tag = validateTag(key, value);
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('registered_model_tags').where('model_id', '=', model.modelId).where('key', '=', tag.key).execute();
      await trx.insertInto('registered_model_tags').values({ model_id: model.modelId, ...tag }).execute();
      await trx.updateTable('registered_models').set({ last_updated_timestamp: this.ctx.now() }).where('model_id', '=', model.modelId).execute();
    });
  }

  async deleteTag(name: string | undefined, key: string | undefined): Promise<void> {
    const model = await this.require(name);
    const { key: k } = validateTag(key, '');
    const result = await this.ctx.db.deleteFrom('registered_model_tags').where('model_id', '=', model.modelId).where('key', '=', k).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw notFound(`No tag with name: ${k} in model ${model.name}`);
  }

  /** Deletes the model with every version, tag and alias (MLflow deletes registered models outright). */
  async delete(name: string | undefined): Promise<ModelRow> {
    const model = await this.require(name);
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('registered_model_aliases').where('model_id', '=', model.modelId).execute();
      await trx.deleteFrom('model_version_tags').where('model_id', '=', model.modelId).execute();
      await trx.deleteFrom('model_versions').where('model_id', '=', model.modelId).execute();
      await trx.deleteFrom('registered_model_tags').where('model_id', '=', model.modelId).execute();
      await trx.deleteFrom('registered_models').where('model_id', '=', model.modelId).execute();
    });
    return model;
  }
}

