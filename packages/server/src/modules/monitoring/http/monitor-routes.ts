import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql, type SqlBool } from 'kysely';
import { CAPSTAN_API_PREFIX, MONITOR_ROUTES, type MonitorManifest, type MonitorProfileResponse, type MonitorRun } from '@capstan/contracts';
import { invalidParameter, notFound } from '../../../core/errors.js';
import type { AccessControl, AccessRule, ObjectLocator, ObjectRef } from '../../security/index.js';
import type { AlertStore } from '../alerts/alert-store.js';
import { parseMonitorManifest } from '../monitors/monitor-manifest.js';
import { runOfFileUri } from '../monitors/run-file-uri.js';
import { monitorView, NO_DEPLOYMENT, type MonitorStore, type StoredMonitor } from '../monitors/monitor-store.js';
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
  /** The experiments holding some runs (a dataset-pair monitor's access is theirs). */
  runExperiments(runIds: readonly string[]): Promise<ObjectRef[]>;
  /** Runs a monitor now, records the run and sends its alerts. */
  execute(monitor: StoredMonitor, trigger: string): Promise<MonitorRun>;
}

type RouteName = keyof typeof MONITOR_ROUTES;

/**
 * The monitors API. A monitor's permissions are those of what it watches: its deployment, or for a
 * dataset pair the experiments of both runs. READ to see it and its runs, EDIT to create, change,
 * delete or run it (a change of what it watches needs EDIT on the old and the new).
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
  /** A deployment monitor's deployment; a dataset-pair monitor's runs' experiments. */
  const targetRefs = async (target: { deployment?: unknown; datasets?: unknown }): Promise<ObjectRef[]> => {
    const deployment = await deploymentRef(target.deployment);
    return [...(deployment ? [deployment] : []), ...(await deps.runExperiments(datasetRunIds(target.datasets)))];
  };
  /** What the path's monitor watches, and what a body names. */
  const watched: ObjectLocator = async (request) => {
    const name = (request.params as { name?: string }).name;
    const stored = name === undefined ? undefined : await monitors.find(name);
    return [...(stored ? await targetRefs(stored.manifest) : []), ...(await targetRefs((request.body as object | undefined) ?? {}))];
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
  /** A deployment monitor lives in its deployment's workspace, a dataset-pair one in its current dataset's. */
  const workspaceOf = async (request: FastifyRequest, manifest: MonitorManifest): Promise<string> => {
    if (!manifest.datasets) {
      const workspace = await deps.deploymentWorkspace(manifest.deployment);
      if (workspace === undefined) throw notFound(`Deployment '${manifest.deployment}' not found`);
      return workspace;
    }
    let current: ObjectRef | undefined;
    for (const side of ['reference', 'current'] as const) {
      const [runId] = datasetRunIds({ [side]: manifest.datasets[side] });
      const [experiment] = await deps.runExperiments(runId === undefined ? [] : [runId]);
      if (!experiment) throw notFound(`Run '${runId}' of the ${side} dataset not found`);
      if (side === 'current') current = experiment;
    }
    return current?.workspace ?? access.requestedWorkspace(request);
  };
  const targetOf = (manifest: MonitorManifest) => (manifest.datasets ? { datasets: manifest.datasets } : { deployment: manifest.deployment });

  // Deployment monitors are filtered in SQL; dataset-pair ones (few) by the experiments they read.
  route('list', { kind: 'authenticated', scope: 'read' }, async (request) => {
    const deployment = (request.query as { deployment?: string }).deployment;
    const readable = access.readableCondition(request, 'deployment', 'monitors.deployment', 'monitors.workspace');
    const visible = readable && sql<SqlBool>`(monitors.deployment = ${NO_DEPLOYMENT} or ${readable})`;
    const found = await monitors.list({ ...(visible ? { visible } : {}), ...(deployment ? { deployment } : {}) });
    const shown: StoredMonitor[] = [];
    for (const monitor of found) {
      const refs = monitor.manifest.datasets ? await targetRefs(monitor.manifest) : [];
      if ((await Promise.all(refs.map((ref) => access.allows(request, ref, 'READ')))).every(Boolean)) shown.push(monitor);
    }
    return { monitors: shown.map(monitorView) };
  });

  route(
    'create',
    on('EDIT'),
    async (request) => {
      const manifest = parseMonitorManifest(request.body);
      const workspace = await workspaceOf(request, manifest);
      const monitor = await monitors.create(manifest, workspace, actor(request));
      access.noteChange(request, { target: `monitor:${manifest.name}`, workspace, after: targetOf(manifest) });
      return { monitor: monitorView(monitor) };
    },
    201,
  );

  route('get', on('READ'), async (request) => ({ monitor: monitorView(await monitors.require(nameOf(request))) }));

  // PUT creates or replaces (what `capstan apply -f` sends).
  route('replace', on('EDIT'), async (request) => {
    const manifest = parseMonitorManifest(request.body);
    if (manifest.name !== nameOf(request)) throw invalidParameter(`The body names monitor '${manifest.name}' but the path names '${nameOf(request)}'`);
    const workspace = await workspaceOf(request, manifest);
    const previous = await monitors.find(manifest.name);
    const monitor = previous ? await monitors.replace(manifest, workspace, previous) : await monitors.create(manifest, workspace, actor(request));
    const outcome = previous ? 'updated' : 'created';
    access.noteChange(request, { target: `monitor:${manifest.name}`, workspace, details: { outcome }, after: targetOf(manifest) });
    return { monitor: monitorView(monitor), outcome };
  });

  route('delete', on('EDIT'), async (request) => {
    const deleted = await monitors.delete(nameOf(request));
    access.noteChange(request, { target: `monitor:${deleted.manifest.name}`, workspace: deleted.workspace, before: targetOf(deleted.manifest) });
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

/** The run ids a body's or a manifest's `datasets` name (`runs:/<run_id>/...`). */
function datasetRunIds(datasets: unknown): string[] {
  if (typeof datasets !== 'object' || datasets === null) return [];
  return Object.values(datasets).flatMap((uri) => {
    const runId = runOfFileUri(uri);
    return runId === undefined ? [] : [runId];
  });
}
