import type { FastifyInstance } from 'fastify';
import { joinBlobKey } from '../../../core/blob-key.js';
import { CapstanError, notFound } from '../../../core/errors.js';
import { parseArtifactObjectPath } from '../artifacts/artifact-path.js';
import { blobKeyForArtifactUri } from '../artifacts/artifact-uri.js';
import { attachmentDisposition, guessContentType } from '../artifacts/content-type.js';
import { optionalString, requiredString, type RequestInput } from '../http/request-fields.js';
import type { TrackingContext } from '../tracking-context.js';
import { findModelRow } from './logged-model-store.js';

/** Not an RPC of service.proto: a plain Flask route MLflow serves for its web UI only, so only here. */
const FILE_ROUTE = '/ajax-api/2.0/mlflow/logged-models/:model_id/artifacts/files';

/**
 * One file of a logged model, as MLflow's UI fetches it to preview a model's files
 * (`get_logged_model_artifact_handler`): `?artifact_file_path=` relative to the model's artifact
 * root, sent as an attachment with MLflow's content type. Like the model listing, only a root this
 * server proxies can be read.
 */
export function registerLoggedModelArtifactFile(app: FastifyInstance, ctx: TrackingContext): void {
  app.get(FILE_ROUTE, { schema: { hide: true }, exposeHeadRoute: false, config: { access: ctx.artifactRules.loggedModelFile, action: 'mlflow.getLoggedModelArtifactFile' } }, async (request, reply) => {
    const input = { ...(request.query as RequestInput), ...(request.params as RequestInput) };
    const requested = optionalString(input, 'artifact_file_path');
    if (!requested) throw new CapstanError('BAD_REQUEST', 'Request must include the "artifact_file_path" query parameter.');
    const path = parseArtifactObjectPath(requested);
    const modelId = requiredString(input, 'model_id');
    const root = (await findModelRow(ctx.db, modelId)).artifact_location;
    const rootKey = ctx.serveArtifacts ? blobKeyForArtifactUri(root) : undefined;
    if (rootKey === undefined) throw notFound(`The artifacts of logged model '${modelId}' live at ${root}, which this server does not serve.`);
    const key = joinBlobKey(rootKey, path);
    const stat = await ctx.blobs.stat(key);
    if (stat === undefined) throw notFound(`No artifact file at ${JSON.stringify(path)} for logged model '${modelId}'.`);
    void reply
      .header('content-type', guessContentType(path))
      .header('content-length', stat.size)
      .header('content-disposition', attachmentDisposition(path))
      .header('x-content-type-options', 'nosniff');
    return reply.send(await ctx.blobs.get(key));
  });
}
