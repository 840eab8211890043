import type { ListArtifactsResponse } from '@capstan/contracts';
import { joinBlobKey } from '../../../core/blob-key.js';
import { parseArtifactPath } from '../artifacts/artifact-path.js';
import { blobKeyForArtifactUri } from '../artifacts/artifact-uri.js';
import { toFileInfos } from '../artifacts/file-infos.js';
import type { TrackingContext } from '../tracking-context.js';

/**
 * A requested `artifact_directory_path` as a key relative to the model's root ('' for the root).
 * Checked before the model is looked up, as MLflow's handler does.
 */
export function parseArtifactDirectory(directory: string | undefined): string {
  return directory === undefined ? '' : parseArtifactPath(directory);
}

/**
 * ListLoggedModelArtifacts: the direct children of `relative` under the model's artifact root,
 * with paths relative to that root (MLflow's `_list_artifacts_for_proxied_run_artifact_root`).
 *
 * Only a root this server proxies (`mlflow-artifacts:` or an http(s) URL to the proxy, with
 * artifact serving on) can be listed: its files are in `ctx.blobs`. Any other root (`s3://...`)
 * is written by clients directly and is invisible here, so the answer names the root and lists
 * nothing, which MLflow's UI shows as an empty folder rather than an error. This is the rule the
 * run listing (artifacts/run-artifact-listing.ts) follows too.
 */
export async function listLoggedModelArtifacts(ctx: TrackingContext, artifactRoot: string, relative: string): Promise<ListArtifactsResponse> {
  const response: ListArtifactsResponse = { root_uri: artifactRoot };
  const rootKey = ctx.serveArtifacts ? blobKeyForArtifactUri(artifactRoot) : undefined;
  if (rootKey === undefined) return response;

  const entries = await ctx.blobs.list(joinBlobKey(rootKey, relative));
  const name = (entryPath: string) => entryPath.slice(entryPath.lastIndexOf('/') + 1);
  return { ...response, ...toFileInfos(entries, (entry) => (relative === '' ? name(entry.path) : `${relative}/${name(entry.path)}`)) };
}
