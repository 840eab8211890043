import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CAPSTAN_API_PREFIX, FEATURE_ROUTES, type FeatureApplyRequest, type FeatureViewStatus, type HistoricalFeaturesRequest, type HistoricalFeaturesResponse } from '@capstan/contracts';
import { CapstanError, invalidParameter, notFound } from '../../../core/errors.js';
import type { AccessRule, ObjectRef } from '../../security/index.js';
import { parseRepoDefinition } from '../definitions/definition-schema.js';
import { resultToJson, retrieveHistorical } from '../historical/historical-features.js';
import { offlineWork } from '../offline/offline-errors.js';
import { listTrainingDatasets, saveTrainingDataset } from '../historical/training-datasets.js';
import { applyResponse, checkedRepo, planOf, refuseUnflaggedDeletes, viewsToReset } from '../registry/apply-definition.js';
import { conflict } from '../registry/registry-store.js';
import { isoTime } from '../values/cells.js';
import type { FeatureRouteDeps } from './route-deps.js';

type RouteName = keyof typeof FEATURE_ROUTES;
const MATERIALIZATION_HISTORY = 20;

/**
 * The feature registry API: projects, plan and apply (a compare-and-set on the project's
 * revision), view status, historical retrieval and saved training datasets. A project's
 * permissions are its grants and its workspace's roles: READ to see and retrieve, EDIT to apply,
 * MANAGE to delete.
 */
export function registerRegistryRoutes(app: FastifyInstance, deps: FeatureRouteDeps): void {
  const { access, registry, cache } = deps;
  const projectOf = (request: FastifyRequest): string | undefined => {
    const params = request.params as { project?: string };
    if (params.project !== undefined) return params.project;
    const body = request.body as { definition?: { project?: unknown } } | undefined;
    return typeof body?.definition?.project === 'string' ? body.definition.project : undefined;
  };
  const locate = async (request: FastifyRequest): Promise<ObjectRef | undefined> => {
    const project = projectOf(request);
    const stored = project === undefined ? undefined : await registry.find(project);
    return stored ? { objectType: 'feature_project', objectId: stored.project, workspace: stored.workspace } : undefined;
  };
  const on = (permission: 'READ' | 'EDIT' | 'MANAGE'): AccessRule => ({ kind: 'object', permission, locate });
  const route = (name: RouteName, rule: AccessRule, handler: (request: FastifyRequest) => Promise<object>) => {
    const r = FEATURE_ROUTES[name];
    app.route({
      method: r.method,
      url: `${CAPSTAN_API_PREFIX}${r.path.replace(/\{(\w+)\}/g, ':$1')}`,
      bodyLimit: deps.bodyLimitBytes,
      schema: { tags: ['features'] },
      config: { access: rule, action: `features.${name}` },
      handler: async (request, reply) => reply.send(await handler(request)),
    });
  };
  const stored = async (request: FastifyRequest) => {
    const project = projectOf(request)!;
    const found = await registry.find(project);
    if (!found) throw notFound(`Feature project '${project}' not found`);
    return found;
  };

  route('listProjects', { kind: 'authenticated', scope: 'read' }, async (request) => {
    const projects = [];
    for (const p of await registry.list()) {
      if (await access.allows(request, { objectType: 'feature_project', objectId: p.project, workspace: p.workspace }, 'READ')) {
        projects.push({ project: p.project, workspace: p.workspace, revision: p.revision, updated_at: p.updated_at });
      }
    }
    return { projects };
  });
  route('getProject', on('READ'), async (request) => {
    const { updatedBy: _updatedBy, ...project } = await stored(request);
    return project;
  });
  route('deleteProject', on('MANAGE'), async (request) => {
    const project = await stored(request);
    for (const view of project.definition.feature_views) if (view.online) await deps.online.deleteView(project.project, view.name);
    await registry.delete(project.project);
    cache.invalidate(project.project);
    await access.objectDeleted('feature_project', project.project);
    access.noteChange(request, { target: `feature_project:${project.project}`, workspace: project.workspace, before: { revision: project.revision } });
    return {};
  });

  route('plan', on('READ'), async (request) => {
    const definition = parseRepoDefinition((request.body as { definition?: unknown } | undefined)?.definition);
    checkedRepo(definition);
    return planOf(definition, await registry.find(definition.project));
  });

  route('apply', on('EDIT'), async (request) => {
    const body = (request.body ?? {}) as Partial<FeatureApplyRequest>;
    const definition = parseRepoDefinition(body.definition);
    if (typeof body.base_revision !== 'number' || !Number.isInteger(body.base_revision) || body.base_revision < 0) {
      throw invalidParameter('base_revision must be the revision the plan was computed against (0 for a new project)');
    }
    const repo = checkedRepo(definition);
    const current = await registry.find(definition.project);
    if (!current) {
      // A new project: the caller needs EDIT in the workspace it lands in.
      const workspace = access.requestedWorkspace(request);
      if (!(await access.allows(request, { objectType: 'feature_project', objectId: definition.project, workspace }, 'EDIT'))) {
        throw new CapstanError('PERMISSION_DENIED', `Creating feature project '${definition.project}' needs EDIT in workspace '${workspace}'`);
      }
    }
    const plan = planOf(definition, current);
    if (current && current.revision !== body.base_revision) {
      throw conflict(definition.project, body.base_revision, current.revision);
    }
    refuseUnflaggedDeletes(plan, body.allow_deletes);
    const reset = viewsToReset(plan, current, repo);
    const revision = await registry.apply(definition, {
      workspace: current?.workspace ?? access.requestedWorkspace(request),
      baseRevision: body.base_revision,
      actor: deps.actor(request),
      resetViews: reset,
    });
    for (const view of reset) await deps.online.deleteView(definition.project, view);
    cache.invalidate(definition.project);
    if (!current) await access.objectCreated(request, 'feature_project', definition.project);
    access.noteChange(request, {
      target: `feature_project:${definition.project}`,
      workspace: current?.workspace ?? access.requestedWorkspace(request),
      after: { revision, changes: plan.changes.filter((c) => c.action !== 'unchanged') },
    });
    return applyResponse(plan, revision);
  });

  route('viewStatus', on('READ'), async (request) => {
    const project = await stored(request);
    const { view: name } = request.params as { view: string };
    const view = project.definition.feature_views.find((v) => v.name === name);
    if (!view) throw notFound(`Feature view '${name}' not found in project '${project.project}'`);
    const state = (await deps.states.states(project.project)).get(name);
    const history = await deps.states.history(project.project, name, MATERIALIZATION_HISTORY);
    const now = deps.now();
    const staleness = state?.newestEventTime == null ? undefined : Math.max(0, (now - state.newestEventTime) / 1000);
    const status: FeatureViewStatus = {
      view: name,
      online: view.online,
      ...(state?.materializedUntil != null ? { materialized_until: isoTime(state.materializedUntil) } : {}),
      ...(state?.newestEventTime != null ? { newest_event_time: isoTime(state.newestEventTime) } : {}),
      ...(staleness !== undefined ? { staleness_seconds: staleness } : {}),
      ...(view.freshness_sla_seconds !== undefined ? { freshness_sla_seconds: view.freshness_sla_seconds, stale: staleness === undefined || staleness > view.freshness_sla_seconds } : {}),
      materializations: history.map((h) => ({ start: isoTime(h.start), end: isoTime(h.end), rows: h.rows, finished_at: isoTime(h.finishedAt) })),
    };
    return status;
  });

  route('historical', on('READ'), async (request) => {
    const body = (request.body ?? {}) as HistoricalFeaturesRequest;
    const loaded = await cache.get((request.params as { project: string }).project);
    if (body.save_as?.run_id !== undefined) await deps.requireRunEdit(request, body.save_as.run_id);
    const retrieval = await offlineWork(() => retrieveHistorical(loaded, body, deps.offline, deps.database));
    try {
      const response: HistoricalFeaturesResponse = { columns: [...retrieval.result.columnNames], row_count: retrieval.result.rowCount };
      if (body.save_as) response.dataset = await offlineWork(() => saveTrainingDataset({ project: loaded.repo.project, revision: loaded.revision }, retrieval, body.save_as!, deps.datasets));
      if (body.return_rows !== false) response.values = await offlineWork(() => resultToJson(retrieval));
      return response;
    } finally {
      await retrieval.result.release();
    }
  });

  route('datasets', on('READ'), async (request) => {
    const project = await stored(request);
    return { datasets: await listTrainingDatasets(deps.datasets.db, project.project) };
  });
}
