import type { ModelVersion, ModelVersionStage, ModelVersionStatus, RegisteredModel } from '@capstan/contracts';
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import { STAGES } from './validation.js';
import type { RegistryTables } from './tables.js';

/** Loads model versions as MLflow returns them, with tags and aliases, in the order of `keys`. */
export async function loadVersions(db: Kysely<RegistryTables>, keys: readonly { modelId: number; version: number }[]): Promise<ModelVersion[]> {
  if (keys.length === 0) return [];
  const modelIds = [...new Set(keys.map((k) => k.modelId))];
  // Only the requested versions: a model may have thousands.
  const wanted = <T extends 'model_versions' | 'model_version_tags' | 'registered_model_aliases'>(eb: ExpressionBuilder<RegistryTables, T>) =>
    eb(eb.refTuple(sql.ref<number>('model_id'), sql.ref<number>('version')), 'in', keys.map((k) => eb.tuple(k.modelId, k.version)));
  const [rows, tags, aliases, names] = await Promise.all([
    db.selectFrom('model_versions').selectAll().where(wanted).where('deleted', '=', 0).execute(),
    db.selectFrom('model_version_tags').selectAll().where(wanted).execute(),
    db.selectFrom('registered_model_aliases').selectAll().where(wanted).orderBy('alias').execute(),
    db.selectFrom('registered_models').select(['model_id', 'name']).where('model_id', 'in', modelIds).execute(),
  ]);
  const key = (m: number, v: number) => `${m}:${v}`;
  const byKey = new Map(rows.map((r) => [key(Number(r.model_id), r.version), r]));
  const nameOf = new Map(names.map((n) => [Number(n.model_id), n.name]));
  const out: ModelVersion[] = [];
  for (const k of keys) {
    const row = byKey.get(key(k.modelId, k.version));
    if (!row) continue;
    const versionTags = tags.filter((t) => Number(t.model_id) === k.modelId && t.version === k.version).map((t) => ({ key: t.key, value: t.value }));
    const versionAliases = aliases.filter((a) => Number(a.model_id) === k.modelId && a.version === k.version).map((a) => a.alias);
    out.push({
      name: nameOf.get(k.modelId) ?? '',
      version: String(row.version),
      creation_timestamp: Number(row.creation_timestamp),
      last_updated_timestamp: Number(row.last_updated_timestamp),
      ...(row.user_id ? { user_id: row.user_id } : {}),
      current_stage: row.current_stage as ModelVersionStage,
      ...(row.description ? { description: row.description } : {}),
      source: row.source,
      ...(row.run_id ? { run_id: row.run_id } : {}),
      status: row.status as ModelVersionStatus,
      ...(row.status_message ? { status_message: row.status_message } : {}),
      ...(versionTags.length ? { tags: versionTags } : {}),
      ...(row.run_link ? { run_link: row.run_link } : {}),
      ...(versionAliases.length ? { aliases: versionAliases } : {}),
    });
  }
  return out;
}

/** The newest live version in each stage (MLflow's `latest_versions`) of each model, in stage order; one query for all. */
export async function latestVersionKeys(db: Kysely<RegistryTables>, modelIds: readonly number[], stages: readonly string[] = STAGES): Promise<{ modelId: number; version: number }[]> {
  if (stages.length === 0 || modelIds.length === 0) return [];
  const rows = await db
    .selectFrom('model_versions')
    .select(['model_id', 'current_stage', (eb) => eb.fn.max('version').as('version')])
    .where('model_id', 'in', [...modelIds])
    .where('deleted', '=', 0)
    .where('current_stage', 'in', [...stages])
    .groupBy(['model_id', 'current_stage'])
    .execute();
  return modelIds.flatMap((modelId) =>
    stages.flatMap((stage) => {
      const row = rows.find((r) => Number(r.model_id) === modelId && r.current_stage === stage);
      return row ? [{ modelId, version: Number(row.version) }] : [];
    }),
  );
}

/** Loads registered models as MLflow returns them, in the order of `modelIds`. */
export async function loadRegisteredModels(db: Kysely<RegistryTables>, modelIds: readonly number[]): Promise<RegisteredModel[]> {
  if (modelIds.length === 0) return [];
  const ids = [...modelIds];
  const [rows, tags, aliases] = await Promise.all([
    db.selectFrom('registered_models').selectAll().where('model_id', 'in', ids).execute(),
    db.selectFrom('registered_model_tags').selectAll().where('model_id', 'in', ids).orderBy('key').execute(),
    db.selectFrom('registered_model_aliases').selectAll().where('model_id', 'in', ids).orderBy('alias').execute(),
  ]);
  const latest = await loadVersions(db, await latestVersionKeys(db, ids));
  const names = new Map(rows.map((r) => [Number(r.model_id), r.name]));
  return ids.flatMap((id) => {
    const row = rows.find((r) => Number(r.model_id) === id);
    if (!row) return [];
    const modelTags = tags.filter((t) => Number(t.model_id) === id).map((t) => ({ key: t.key, value: t.value }));
    const modelAliases = aliases.filter((a) => Number(a.model_id) === id).map((a) => ({ alias: a.alias, version: String(a.version) }));
    const model: RegisteredModel = {
      name: row.name,
      creation_timestamp: Number(row.creation_timestamp),
      last_updated_timestamp: Number(row.last_updated_timestamp),
      ...(row.description ? { description: row.description } : {}),
      ...(latestOf(latest, names.get(id)).length ? { latest_versions: latestOf(latest, names.get(id)) } : {}),
      ...(modelTags.length ? { tags: modelTags } : {}),
      ...(modelAliases.length ? { aliases: modelAliases } : {}),
    };
    return [model];
  });
}

function latestOf(versions: readonly ModelVersion[], name: string | undefined): ModelVersion[] {
  return versions.filter((v) => v.name === name);
}
