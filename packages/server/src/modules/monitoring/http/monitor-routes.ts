import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CAPSTAN_API_PREFIX, MONITOR_ROUTES, type MonitorProfileResponse, type MonitorRun } from '@capstan/contracts';
import { invalidParameter, notFound } from '../../../core/errors.js';
import type { AccessControl, AccessRule, ObjectLocator, ObjectRef } from '../../security/index.js';
import type { AlertStore } from '../alerts/alert-store.js';
import { parseMonitorManifest } from '../monitors/monitor-manifest.js';
import { monitorView, type MonitorStore, type StoredMonitor } from '../monitors/monitor-store.js';
import type { RunStore } from '../monitors/run-store.js';
import { profileToWire } from './profile-wire.js';

const BODY_LIMIT = 256 * 1024;
const DEFAULT_RUNS_PAGE = 50;
const MAX_RUNS_PAGE = 500;

export interface MonitorRouteDeps {
  access: AccessControl;
  monitors: MonitorStore;
  runs: RunStore;
  alerts: AlertStore;
  deploymentWorkspace(name: string): Promise<string | undefined>;
  /** Runs a monitor now, records the run and sends its alerts. */
  execute(monitor: StoredMonitor, trigger: string): Promise<MonitorRun>;
}

type RouteName = keyof typeof MONITOR_ROUTES;

/**
 * The monitors API. A monitor's permissions are its deployment's: READ to see it and its runs,
 * EDIT to create, change, delete or run it (a change to which deployment it watches needs EDIT on
 * both).
 */
export function registerMonitorRoutes(app: FastifyInstance, deps: MonitorRouteDeps): void {
  const { access, monitors, runs } = deps;
  const nameOf = (request: FastifyRequest) => (request.params as { name: string }).name;
  const actor = (request: FastifyRequest) => (request.principal.userId === null && access.mode === 'none' ? null : request.principal.username);
  const deploymentRef = async (name: unknown): Promise<ObjectRef | undefined> => {
    if (typeof name !== 'string') return undefined;
    const workspace = await deps.deploymentWorkspace(name);
    return workspace === undefined ? undefined : { objectType: 'deployment', objectId: name, workspace };
  };
  /** The deployment the path's monitor watches, and the one a body names. */
  const watched: ObjectLocator = async (request) => {
    const name = (request.params as { name?: string }).name;
    const refs = [name === undefined ? undefined : await deploymentRef(await monitors.deploymentOf(name)), await deploymentRef((request.body as { deployment?: unknown } | undefined)?.deployment)];
    return refs.filter((r): r is ObjectRef => r !== undefined);
  };
  const on = (permission: 'READ' | 'EDIT'): AccessRule => ({ kind: 'object', permission, locate: watched });
  const route = (name: RouteName, rule: AccessRule, handler: (request: FastifyRequest) => Promise<object>, status = 200) => {
    const r = MONITOR_ROUTES[name];
    app.route({
      method: r.method,
      url: `${CAPSTAN_API_PREFIX}${r.path.replace(/\{(\w+)\}/g, ':$1')}`,
      bodyLimit: BODY_LIMIT,
      schema: { tags: ['monitoring'] },
      config: { access: rule, action: `monitors.${name}` },
      handler: async (request, reply) => reply.code(status).send(await handler(request)),
    });
  };
  const requireDeployment = async (name: string): Promise<string> => {
    const workspace = await deps.deploymentWorkspace(name);
    if (workspace === undefined) throw notFound(`Deployment '${name}' not found`);
    return workspace;
  };

  route('list', { kind: 'authenticated', scope: 'read' }, async (request) => {
    const deployment = (request.query as { deployment?: string }).deployment;
    const visible = access.readableCondition(request, 'deployment', 'monitors.deployment', 'monitors.workspace');
    const found = await monitors.list({ ...(visible ? { visible } : {}), ...(deployment ? { deployment } : {}) });
    return { monitors: found.map(monitorView) };
  });

  route(
    'create',
    on('EDIT'),
    async (request) => {
      const manifest = parseMonitorManifest(request.body);
      const workspace = await requireDeployment(manifest.deployment);
      const monitor = await monitors.create(manifest, workspace, actor(request));
      access.noteChange(request, { target: `monitor:${manifest.name}`, workspace, after: { deployment: manifest.deployment } });
      return { monitor: monitorView(monitor) };
    },
    201,
  );

  route('get', on('READ'), async (request) => ({ monitor: monitorView(await monitors.require(nameOf(request))) }));

  // PUT creates or replaces (what `capstan apply -f` sends).
  route('replace', on('EDIT'), async (request) => {
    const manifest = parseMonitorManifest(request.body);
    if (manifest.name !== nameOf(request)) throw invalidParameter(`The body names monitor '${manifest.name}' but the path names '${nameOf(request)}'`);
    const workspace = await requireDeployment(manifest.deployment);
    const previous = await monitors.find(manifest.name);
    const monitor = previous ? await monitors.replace(manifest, workspace, previous) : await monitors.create(manifest, workspace, actor(request));
    const outcome = previous ? 'updated' : 'created';
    access.noteChange(request, { target: `monitor:${manifest.name}`, workspace, details: { outcome }, after: { deployment: manifest.deployment } });
    return { monitor: monitorView(monitor), outcome };
  });

  route('delete', on('EDIT'), async (request) => {
    const deleted = await monitors.delete(nameOf(request));
    access.noteChange(request, { target: `monitor:${deleted.manifest.name}`, workspace: deleted.workspace, before: { deployment: deleted.manifest.deployment } });
    return {};
  });

  route('run', on('EDIT'), async (request) => {
    const monitor = await monitors.require(nameOf(request));
    return { run: await deps.execute(monitor, actor(request) ?? 'api') };
  });

  route('runs', on('READ'), async (request) => {
    const name = nameOf(request);
    await monitors.require(name);
    const query = request.query as { limit?: string; page_token?: string };
    const limit = query.limit === undefined ? DEFAULT_RUNS_PAGE : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RUNS_PAGE) throw invalidParameter(`limit must be an integer between 1 and ${MAX_RUNS_PAGE}, got ${query.limit}.`);
    const page = await runs.list(name, limit + 1, query.page_token ? decodeRunToken(query.page_token) : undefined);
    const last = page[limit - 1];
    return { runs: page.slice(0, limit), ...(page.length > limit && last ? { next_page_token: encodeRunToken(last.started_at, last.run_id) } : {}) };
  });

  route('getRun', on('READ'), async (request) => {
    await monitors.require(nameOf(request));
    return { run: await runs.get(nameOf(request), (request.params as { run_id: string }).run_id) };
  });

  route('alerts', on('READ'), async (request) => {
    await monitors.require(nameOf(request));
    return { deliveries: await deps.alerts.list(nameOf(request)) };
  });

  // The merge of the stored run profiles whose windows lie in [from, to): constant memory however many runs.
  route('profile', on('READ'), async (request): Promise<MonitorProfileResponse> => {
    const name = nameOf(request);
    await monitors.require(name);
    const query = request.query as { from?: string; to?: string };
    const from = epochParam('from', query.from, 0);
    const to = epochParam('to', query.to, Number.MAX_SAFE_INTEGER);
    if (from > to) throw invalidParameter(`from (${from}) must not be after to (${to}).`);
    const merged = await runs.mergeProfiles(name, from, to);
    return { monitor: name, from, to, runs: merged.runs, overlapping_runs: merged.overlapping, ...profileToWire(merged.profile) };
  });
}

/** An epoch-ms query parameter (a non-negative integer), or its default when absent. */
function epochParam(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < 0) throw invalidParameter(`${name} must be epoch milliseconds (a non-negative integer), got '${value}'.`);
  return n;
}

function encodeRunToken(startedAt: number, runId: string): string {
  return Buffer.from(JSON.stringify([startedAt, runId])).toString('base64url');
}

function decodeRunToken(token: string): { startedAt: number; runId: string } {
  try {
    const [startedAt, runId] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof startedAt === 'number' && typeof runId === 'string') return { startedAt, runId };
  } catch {
    // Reported below, as any malformed token.
  }
  throw invalidParameter('Invalid page_token');
}
