import type { FastifyInstance } from 'fastify';
import type { ListArtifactsResponse } from '@capstan/contracts';
import { joinBlobKey } from '../../../core/blob-key.js';
import { registerMlflowRoute } from '../http/mlflow-route.js';
import { optionalString, requiredRunId } from '../http/request-fields.js';
import { RunStore } from '../runs/run-store.js';
import type { TrackingContext } from '../tracking-context.js';
import { parseArtifactPath } from './artifact-path.js';
import { blobKeyForArtifactUri } from './artifact-uri.js';
import { toFileInfos } from './file-infos.js';

/**
 * MLflow's `GET /api/2.0/mlflow/artifacts/list?run_id=&path=`: the direct children of `path` under
 * the run's artifact root, with paths relative to that root (`model/MLmodel` when listing `model`).
 *
 * Like MLflow (handlers.list_artifacts_impl), a run whose root is proxied (`mlflow-artifacts:`)
 * is listed straight from the store when this server serves artifacts. MLflow would list any other
 * root (`s3://`, a local folder) with the server's own credentials; Capstan holds credentials only
 * for its artifacts destination, so such runs, and proxied runs when the proxy is off, list as
 * empty: clients that write there directly list there directly too. MLflow ignores page_token for
 * proxied roots and returns every entry at once; so does this.
 */
export function registerRunArtifactListing(app: FastifyInstance, ctx: TrackingContext): void {
  const runs = new RunStore(ctx);
  registerMlflowRoute(app, ctx, 'listArtifacts', async (input): Promise<ListArtifactsResponse> => {
    const runId = requiredRunId(input);
    const requested = optionalString(input, 'path');
    const path = requested === undefined ? '' : parseArtifactPath(requested);
    const rootUri = (await runs.getRow(runId)).artifact_uri;
    const rootKey = ctx.serveArtifacts ? blobKeyForArtifactUri(rootUri) : undefined;
    if (rootKey === undefined) return { root_uri: rootUri };
    const entries = await ctx.blobs.list(joinBlobKey(rootKey, path));
    const name = (entryPath: string) => entryPath.slice(entryPath.lastIndexOf('/') + 1);
    return {
      root_uri: rootUri,
      ...toFileInfos(entries, (entry) => (path === '' ? name(entry.path) : `${path}/${name(entry.path)}`)),
    };
  });
}
