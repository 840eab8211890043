import type { RegistryContext } from '../registry-context.js';

const RUNS_URI = /^runs:\/([^/]+)(?:\/(.*))?$/;

/**
 * Where a version's files are. A `runs:/<run_id>/<path>` source resolves to the run's artifact
 * location, as MLflow's store records it at registration (`storage_location`); anything else is
 * already a location. Clients then download through the artifact proxy or straight from the store.
 */
export async function resolveDownloadUri(ctx: RegistryContext, version: { modelId: number; version: number }): Promise<string> {
  const row = await ctx.db.selectFrom('model_versions').select('source').where('model_id', '=', version.modelId).where('version', '=', version.version).executeTakeFirstOrThrow();
  const match = RUNS_URI.exec(row.source);
  if (!match) return row.source;
  const base = await ctx.runArtifactUri(match[1]!);
  if (base === undefined) return row.source;
  const path = match[2]?.replace(/^\/+|\/+$/g, '') ?? '';
  return path ? `${base.replace(/\/+$/, '')}/${path}` : base;
}
