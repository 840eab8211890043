import type { FastifyInstance } from 'fastify';
import { MLFLOW_ARTIFACTS_ROUTES, type ProxyListArtifactsResponse } from '@capstan/contracts';
import { notFound } from '../../../core/errors.js';
import type { TrackingContext } from '../tracking-context.js';
import { optionalString } from '../http/request-fields.js';
import { parseArtifactObjectPath, parseArtifactPath } from './artifact-path.js';
import { registerArtifactsRoute, requestFields, wildcardPath } from './artifacts-route.js';
import { attachmentDisposition, guessContentType } from './content-type.js';
import { toFileInfos } from './file-infos.js';
import { acceptRawBodies, withUploadBody } from './upload-body.js';

/**
 * MLflow's artifact proxy (`mlflow server --serve-artifacts`): clients upload, download, list
 * and delete files by their path relative to the artifact store, e.g.
 * `1/<run_id>/artifacts/model/MLmodel`. Bodies stream straight between the socket and the store.
 */
export function registerProxyRoutes(app: FastifyInstance, ctx: TrackingContext): void {
  const { blobs, artifactRules: rules } = ctx;
  const maxUploadBytes = ctx.artifactUploadLimitBytes;
  registerArtifactsRoute(app, {
    ...MLFLOW_ARTIFACTS_ROUTES.listArtifacts,
    access: rules.listArtifacts,
    action: 'mlflow-artifacts.listArtifacts',
    handler: async (request): Promise<ProxyListArtifactsResponse> => {
      const path = optionalString(requestFields(request), 'path');
      const entries = await blobs.list(path === undefined ? '' : parseArtifactPath(path));
      // The proxy answers with bare names; the client joins them onto the path it asked for.
      return toFileInfos(entries, (entry) => entry.path.slice(entry.path.lastIndexOf('/') + 1));
    },
  });

  for (const method of ['GET', 'HEAD'] as const) {
    registerArtifactsRoute(app, {
      method,
      path: MLFLOW_ARTIFACTS_ROUTES.downloadArtifact.path,
      access: rules.downloadArtifact,
      action: 'mlflow-artifacts.downloadArtifact',
      handler: async (request, reply) => {
        const key = parseArtifactObjectPath(wildcardPath(request));
        // Stat first: a missing file must become a 404 before any header is sent, and the size
        // gives clients a Content-Length to check the download against.
        const stat = await blobs.stat(key);
        if (stat === undefined) throw notFound(`No artifact file at ${JSON.stringify(key)}.`);
        void reply
          .header('content-type', guessContentType(key))
          .header('content-length', stat.size)
          .header('content-disposition', attachmentDisposition(key))
          .header('x-content-type-options', 'nosniff');
        return reply.send(method === 'HEAD' ? undefined : await blobs.get(key));
      },
    });
  }

  registerArtifactsRoute(app, {
    ...MLFLOW_ARTIFACTS_ROUTES.deleteArtifact,
    access: rules.deleteArtifact,
    action: 'mlflow-artifacts.deleteArtifact',
    handler: async (request) => {
      // A non-empty path is required: DELETE on the root would empty the whole store.
      await blobs.delete(parseArtifactObjectPath(wildcardPath(request)));
      return {};
    },
  });

  void app.register(async (scope) => {
    acceptRawBodies(scope);
    registerArtifactsRoute(scope, {
      ...MLFLOW_ARTIFACTS_ROUTES.uploadArtifact,
      access: rules.uploadArtifact,
      action: 'mlflow-artifacts.uploadArtifact',
      handler: async (request) => {
        const key = parseArtifactObjectPath(wildcardPath(request));
        await withUploadBody(request, maxUploadBytes, (body) => blobs.put(key, body));
        return {};
      },
    });
  });
}
