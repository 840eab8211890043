import type { FastifyInstance } from 'fastify';
import { CapstanError } from '../../../core/errors.js';
import type { TrackingContext } from '../tracking-context.js';
import { ARTIFACTS_PREFIXES } from './artifacts-route.js';
import { registerMultipartRoutes } from './multipart-routes.js';
import { registerProxyRoutes } from './proxy-routes.js';
import { registerRunArtifactListing } from './run-artifact-listing.js';
import { acceptRawBodies } from './upload-body.js';

/**
 * Artifact routes of the tracking module: MLflow's artifacts/list RPC always, and the artifact
 * proxy under /api/2.0/mlflow-artifacts (and its /ajax-api twin) when the server serves artifacts.
 */
export function registerArtifactRoutes(app: FastifyInstance, ctx: TrackingContext): void {
  registerRunArtifactListing(app, ctx);
  if (!ctx.serveArtifacts) {
    registerDisabledProxy(app);
    return;
  }
  registerProxyRoutes(app, ctx);
  registerMultipartRoutes(app, ctx);
}

/**
 * With --no-serve-artifacts the proxy answers with an explanation instead of a bare "no such
 * endpoint". MLflow answers 503 here, which its client retries for minutes; 404 fails at once.
 */
function registerDisabledProxy(app: FastifyInstance): void {
  void app.register(async (scope) => {
    // Any upload body is accepted (and ignored) so the answer is this error, not a 415.
    acceptRawBodies(scope);
    for (const prefix of ARTIFACTS_PREFIXES) {
      scope.all(`${prefix}/*`, { schema: { hide: true }, config: { access: { kind: 'authenticated', scope: 'read' } } }, async () => {
        throw new CapstanError(
          'ENDPOINT_NOT_FOUND',
          'The artifact proxy is disabled: this server runs with --no-serve-artifacts. Clients must write to the artifact store directly.',
        );
      });
    }
  });
}
