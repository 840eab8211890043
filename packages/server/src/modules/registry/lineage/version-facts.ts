import type { Kysely } from 'kysely';
import { notFound } from '../../../core/errors.js';
import type { RegistryTables } from '../tables.js';

/** What the registry itself records about a model version and its registered model. */
export interface VersionFacts {
  modelId: number;
  name: string;
  modelDescription: string | null;
  /** The registered model's tags, by key. */
  modelTags: Record<string, string>;
  version: number;
  stage: string;
  status: string;
  description: string | null;
  source: string;
  runId: string | null;
  userId: string | null;
  createdAt: number;
  flavor: string | null;
  /** The `signature` column: MLflow's MLmodel signature fields as JSON text. */
  signature: string | null;
  aliases: string[];
}

export async function loadVersionFacts(db: Kysely<RegistryTables>, key: { modelId: number; version: number }): Promise<VersionFacts> {
  const [model, row, tags, aliases] = await Promise.all([
    db.selectFrom('registered_models').select(['name', 'description']).where('model_id', '=', key.modelId).executeTakeFirst(),
    db.selectFrom('model_versions').selectAll().where('model_id', '=', key.modelId).where('version', '=', key.version).where('deleted', '=', 0).executeTakeFirst(),
    db.selectFrom('registered_model_tags').select(['key', 'value']).where('model_id', '=', key.modelId).orderBy('key').execute(),
    db.selectFrom('registered_model_aliases').select('alias').where('model_id', '=', key.modelId).where('version', '=', key.version).orderBy('alias').execute(),
  ]);
  // Callers resolve the version first (VersionStore.require); this only guards a delete in between.
  if (!model || !row) throw notFound(`Model Version (name=${model?.name ?? key.modelId}, version=${key.version}) not found`);
  return {
    modelId: key.modelId,
    name: model.name,
    modelDescription: model.description,
    modelTags: Object.fromEntries(tags.map((t) => [t.key, t.value])),
    version: row.version,
    stage: row.current_stage,
    status: row.status,
    description: row.description,
    source: row.source,
    runId: row.run_id,
    userId: row.user_id,
    createdAt: Number(row.creation_timestamp),
    flavor: row.flavor,
    signature: row.signature,
    aliases: aliases.map((a) => a.alias),
  };
}
