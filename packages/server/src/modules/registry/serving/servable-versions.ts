import type { ModelSource } from '../../../ports/inference-runtime.js';
import { invalidParameter, notFound } from '../../../core/errors.js';
import { artifactLocations } from '../../tracking/index.js';
import { resolveSource } from '../http/download-uri.js';
import type { ModelStore } from '../model-store.js';
import { blobPackage } from '../package/blob-package.js';
import { readServableModel } from '../package/servable-package.js';
import { parseMlflowSignature, type ModelSignature } from '../package/signature.js';
import type { RegistryHooks } from '../promotion/index.js';
import type { RegistryContext } from '../registry-context.js';
import type { VersionStore } from '../version-store.js';
import { aliasKey } from './alias-key.js';
import type { ModelUri } from './model-uri.js';

/** A registered model version as serving needs it: where its package is and what it takes. */
export interface ServableVersion {
  readonly modelName: string;
  readonly version: number;
  readonly workspace: string;
  /** The package's location, `runs:/` already resolved. */
  readonly location: string;
  readonly flavor: string | null;
  readonly signature: ModelSignature | undefined;
}

/** What the serving module reads from (and, for a canary's promotion, writes to) the registry. */
export interface ServingRegistry {
  /** NOT_FOUND for an unknown model, version, alias or an empty stage. */
  resolve(uri: ModelUri): Promise<ServableVersion>;
  /** The versions the given aliases point at now (`name@alias` -> version); missing aliases are absent. */
  aliasTargets(aliases: readonly { name: string; alias: string }[]): Promise<Map<string, number>>;
  /** The ONNX model file and its external data, read from the artifact store. */
  readModel(version: ServableVersion): Promise<ModelSource>;
  /**
   * Moves an alias as the registry's own route would: a protected alias needs an approved promotion
   * request for this version (PERMISSION_DENIED otherwise), and subscribers hear `alias.moved`.
   */
  moveAlias(move: { name: string; alias: string; version: number; actor: string }): Promise<void>;
}


export function createServingRegistry(ctx: RegistryContext, models: ModelStore, versions: VersionStore, hooks: RegistryHooks): ServingRegistry {
  return {
    async resolve(uri) {
      const model = await models.require(uri.name);
      const number = await versionNumber(ctx, model.modelId, uri);
      const row = await ctx.db
        .selectFrom('model_versions')
        .select(['source', 'flavor', 'signature'])
        .where('model_id', '=', model.modelId)
        .where('version', '=', number)
        .where('deleted', '=', 0)
        .executeTakeFirst();
      if (!row) throw notFound(`Model Version (name=${model.name}, version=${number}) not found`);
      return {
        modelName: model.name,
        version: number,
        workspace: model.workspace,
        location: await resolveSource(ctx, row.source),
        flavor: row.flavor,
        signature: row.signature ? parseMlflowSignature(JSON.parse(row.signature) as Parameters<typeof parseMlflowSignature>[0]) : undefined,
      };
    },

    async aliasTargets(aliases) {
      const out = new Map<string, number>();
      if (!aliases.length) return out;
      const names = [...new Set(aliases.map((a) => a.name))];
      const rows = await ctx.db
        .selectFrom('registered_model_aliases as a')
        .innerJoin('registered_models as m', 'm.model_id', 'a.model_id')
        .select(['m.name', 'a.alias', 'a.version'])
        .where('m.name', 'in', names)
        .execute();
      for (const row of rows) out.set(aliasKey(row.name, row.alias), Number(row.version));
      return out;
    },

    async readModel(version) {
      const root = artifactLocations.blobKeyForArtifactUri(version.location);
      if (root === undefined || !ctx.serveArtifacts) {
        throw invalidParameter(`${version.modelName} version ${version.version} is stored at ${version.location}, outside the artifact store this server proxies; it cannot be served from here.`);
      }
      return readServableModel(blobPackage(ctx.blobs, root), `${version.modelName} version ${version.version}`);
    },

    async moveAlias({ name, alias, version, actor }) {
      const applied = await hooks.guard.permitMove({ name, alias, version: String(version) });
      const { previous } = await versions.setAlias(name, alias, String(version));
      await applied();
      await hooks.events.emit({ type: 'alias.moved', name, actor, data: { alias, version: String(version), previous_version: previous === undefined ? null : String(previous) } });
    },
  };
}

async function versionNumber(ctx: RegistryContext, modelId: number, uri: ModelUri): Promise<number> {
  switch (uri.kind) {
    case 'version':
      return uri.version;
    case 'alias': {
      const row = await ctx.db.selectFrom('registered_model_aliases').select('version').where('model_id', '=', modelId).where('alias', '=', uri.alias).executeTakeFirst();
      if (!row) throw notFound(`Registered model alias ${uri.alias} not found.`);
      return Number(row.version);
    }
    case 'stage':
    case 'latest': {
      // MLflow resolves a stage to the newest version in it, and `latest` to the newest of all.
      let query = ctx.db
        .selectFrom('model_versions')
        .select((eb) => eb.fn.max('version').as('top'))
        .where('model_id', '=', modelId)
        .where('deleted', '=', 0);
      if (uri.kind === 'stage') query = query.where('current_stage', '=', uri.stage);
      const row = await query.executeTakeFirst();
      if (row?.top == null) throw notFound(uri.kind === 'stage' ? `Registered model ${uri.name} has no version in stage ${uri.stage}.` : `Registered model ${uri.name} has no versions.`);
      return Number(row.top);
    }
  }
}
