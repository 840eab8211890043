import { CAPSTAN_API_PREFIX, DEPLOYMENT_ROUTES } from '@capstan/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { invalidParameter } from '../../../core/errors.js';
import type { AccessControl, AccessRule } from '../../security/index.js';
import type { CanaryCommand, DeploymentService } from '../control/deployment-service.js';
import type { Reconciler } from '../control/reconciler.js';
import { parseWith } from '../../../core/parse-body.js';
import { canaryRequestSchema, parseDeploymentManifest } from '../deployments/deployment-manifest.js';
import type { DeploymentStore } from '../deployments/deployment-store.js';
import { deploymentByPathName } from './deployment-locator.js';

const BODY_LIMIT = 256 * 1024;
const CANARY_COMMANDS: readonly CanaryCommand[] = ['pause', 'resume', 'abort', 'promote'];

export interface DeploymentRouteDeps {
  access: AccessControl;
  store: DeploymentStore;
  service: DeploymentService;
  reconciler: Reconciler;
  /** This replica's comparison of the shadow's answers with the primary's, when there is a shadow. */
  shadowComparison(deployment: string): unknown;
}

type RouteName = keyof typeof DEPLOYMENT_ROUTES;

/**
 * The deployments API. Deployments are objects with MLflow-style permissions (READ to see,
 * EDIT to change traffic or the spec, MANAGE to delete), like experiments and registered models;
 * creating one needs the editor role in its workspace.
 */
export function registerDeploymentRoutes(app: FastifyInstance, deps: DeploymentRouteDeps): void {
  const { access, store, service } = deps;
  const byName = deploymentByPathName(store);
  const on = (permission: 'READ' | 'EDIT' | 'MANAGE'): AccessRule => ({ kind: 'object', permission, locate: byName });
  const actor = (request: FastifyRequest) => (request.principal.userId === null && access.mode === 'none' ? null : request.principal.username);
  const route = (name: RouteName, rule: AccessRule, handler: (request: FastifyRequest) => Promise<object>, status = 200) => {
    const r = DEPLOYMENT_ROUTES[name];
    app.route({
      method: r.method,
      url: `${CAPSTAN_API_PREFIX}${r.path.replace(/\{(\w+)\}/g, ':$1')}`,
      bodyLimit: BODY_LIMIT,
      schema: { tags: ['serving'] },
      config: { access: rule, action: `deployments.${name}` },
      handler: async (request, reply) => reply.code(status).send(await handler(request)),
    });
  };
  const nameOf = (request: FastifyRequest) => (request.params as { name: string }).name;

  // Filtered in SQL, as the registry's and tracking's searches are.
  route('list', { kind: 'authenticated', scope: 'read' }, async (request) => ({
    deployments: await store.list(access.readableCondition(request, 'deployment', 'deployments.name', 'deployments.workspace')),
  }));

  const createRule: AccessRule = { kind: 'workspace', role: 'editor', workspace: (request) => workspaceOf(request, access) };
  route(
    'create',
    createRule,
    async (request) => {
      const manifest = parseDeploymentManifest(request.body);
      const deployment = await service.create({ ...manifest, workspace: manifest.workspace ?? access.requestedWorkspace(request) }, actor(request));
      await access.objectCreated(request, 'deployment', deployment.name);
      access.noteChange(request, { target: `deployment:${deployment.name}`, workspace: deployment.workspace, after: { traffic: deployment.traffic } });
      return { deployment };
    },
    201,
  );

  route('get', on('READ'), async (request) => ({ deployment: await store.require(nameOf(request)) }));

  // PUT creates or replaces (what `capstan apply -f` sends): EDIT on an existing deployment, or
  // the editor role in the workspace for a new one.
  route('replace', { kind: 'object', permission: 'EDIT', locate: byName }, async (request) => {
    const manifest = parseDeploymentManifest(request.body);
    if (manifest.name !== nameOf(request)) throw invalidParameter(`The body names deployment '${manifest.name}' but the path names '${nameOf(request)}'`);
    const { deployment, outcome } = await service.apply({ ...manifest, workspace: manifest.workspace ?? (await store.workspaceOf(manifest.name)) ?? access.requestedWorkspace(request) }, actor(request));
    if (outcome === 'created') await access.objectCreated(request, 'deployment', deployment.name);
    access.noteChange(request, { target: `deployment:${deployment.name}`, workspace: deployment.workspace, details: { outcome }, after: { traffic: deployment.traffic } });
    return { deployment, outcome };
  });

  route('delete', on('MANAGE'), async (request) => {
    const deleted = await service.delete(nameOf(request));
    await access.objectDeleted('deployment', deleted.name);
    access.noteChange(request, { target: `deployment:${deleted.name}`, workspace: deleted.workspace, before: { traffic: deleted.traffic } });
    return {};
  });

  route('status', on('READ'), async (request) => {
    const deployment = await store.require(nameOf(request));
    const status = deps.reconciler.status(deployment);
    const shadow = deployment.traffic.shadow ? deps.shadowComparison(deployment.name) : undefined;
    return { status: shadow === undefined ? status : { ...status, shadow_comparison: shadow } };
  });

  route('setTraffic', on('EDIT'), async (request) => {
    const body = request.body as { weights?: unknown } | undefined;
    const weights = body?.weights;
    if (typeof weights !== 'object' || weights === null || Array.isArray(weights) || !Object.values(weights).every((w) => typeof w === 'number')) {
      throw invalidParameter('weights must be an object of version -> number, e.g. {"3": 0, "4": 100}');
    }
    const deployment = await service.setTraffic(nameOf(request), weights as Record<string, number>, actor(request));
    access.noteChange(request, { target: `deployment:${deployment.name}`, workspace: deployment.workspace, after: { traffic: deployment.traffic } });
    return { deployment };
  });

  route('rollback', on('EDIT'), async (request) => {
    const deployment = await service.rollback(nameOf(request), actor(request));
    access.noteChange(request, { target: `deployment:${deployment.name}`, workspace: deployment.workspace, after: { traffic: deployment.traffic } });
    return { deployment };
  });

  route('startCanary', on('EDIT'), async (request) => {
    const spec = parseWith(canaryRequestSchema, request.body, 'canary');
    const deployment = await service.startCanary(nameOf(request), spec, actor(request));
    access.noteChange(request, { target: `deployment:${deployment.name}`, workspace: deployment.workspace, after: { traffic: deployment.traffic } });
    return { deployment };
  });

  route('canaryAction', on('EDIT'), async (request) => {
    const command = (request.params as { action: string }).action as CanaryCommand;
    if (!CANARY_COMMANDS.includes(command)) throw invalidParameter(`Unknown canary action '${command}': use ${CANARY_COMMANDS.join(', ')}`);
    const deployment = await service.canaryCommand(nameOf(request), command, actor(request));
    access.noteChange(request, { target: `deployment:${deployment.name}`, workspace: deployment.workspace, details: { canary: command }, after: { traffic: deployment.traffic } });
    return { deployment };
  });
}

/** A create names its workspace in the body, else the usual header/default. */
function workspaceOf(request: FastifyRequest, access: AccessControl): string {
  const body = request.body as { workspace?: unknown } | undefined;
  return typeof body?.workspace === 'string' && body.workspace ? body.workspace : access.requestedWorkspace(request);
}
