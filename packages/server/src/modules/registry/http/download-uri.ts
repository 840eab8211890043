import type { RegistryContext } from '../registry-context.js';

const RUNS_URI = /^runs:\/([^/]+)(?:\/(.*))?$/;

/**
 * Where a version's files are. A `runs:/<run_id>/<path>` source resolves to the run's artifact
 * location, as MLflow's store records it at registration (`storage_location`); anything else is
 * already a location. Clients then download through the artifact proxy or straight from the store.
 */
export async function resolveDownloadUri(ctx: RegistryContext, version: { modelId: number; version: number }): Promise<string> {
  const row = await ctx.db.selectFrom('model_versions').select('source').where('model_id', '=', version.modelId).where('version', '=', version.version).executeTakeFirstOrThrow();
  return resolveSource(ctx, row.source);
}

/** A source URI as a location: `runs:/` resolved through the run, anything else unchanged. */
export async function resolveSource(ctx: RegistryContext, source: string): Promise<string> {
  const match = RUNS_URI.exec(source);
  if (!match) return source;
  const base = await ctx.runArtifactUri(match[1]!);
  if (base === undefined) return source;
  const path = match[2]?.replace(/^\/+|\/+$/g, '') ?? '';
  return path ? `${base.replace(/\/+$/, '')}/${path}` : base;
}
