import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';

/**
 * Publishes an OpenAPI 3 document of every route at /api/openapi.json. MLflow-compatible routes
 * are listed under the `mlflow` tag; their wire format is MLflow's (mlflow/protos/service.proto).
 */
export async function installOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Capstan',
        version,
        description: 'Capstan MLOps platform. Tracking routes follow MLflow REST API 2.0 (see docs/tracking.md).',
      },
      tags: [
        { name: 'health', description: 'Probes and version' },
        { name: 'mlflow', description: 'MLflow-compatible tracking API (also under /ajax-api/2.0/mlflow)' },
        { name: 'mlflow-artifacts', description: 'MLflow artifact proxy' },
        { name: 'security', description: 'Users, groups, API tokens, workspaces, grants and the audit trail' },
      ],
    },
  });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { access: { kind: 'authenticated', scope: 'read' } } }, async () => app.swagger());
}
