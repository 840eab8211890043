import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  FEATURE_SERVER_ROUTES,
  type GetOnlineFeaturesRequest,
  type MaterializeIncrementalRequest,
  type MaterializeRequest,
  type PushFeaturesRequest,
  type WriteToOnlineStoreRequest,
} from '@capstan/contracts';
import { invalidParameter } from '../../../core/errors.js';
import type { AccessRule, ObjectRef } from '../../security/index.js';
import { getOnlineFeatures } from '../online/online-features.js';
import { pushRows, writeToOnlineStore } from '../online/push.js';
import { parseIsoTime } from '../values/cells.js';
import type { FeatureRouteDeps } from './route-deps.js';

type RouteName = keyof typeof FEATURE_SERVER_ROUTES;

/** Where the Feast routes of any project live; the default project's are also at the server root. */
const FEATURE_SERVER_PREFIX = '/feature-server';

/**
 * Feast's feature server over HTTP JSON, so Feast's clients and anything written against
 * `feast serve` work: online reads (READ on the project), push, direct writes and materialization
 * (EDIT). Errors come in Feast's `{module, class, message}` shape with the matching status.
 */
export function registerFeatureServerRoutes(app: FastifyInstance, deps: FeatureRouteDeps): void {
  const { cache } = deps;
  const projectOf = (request: FastifyRequest) => (request.params as { project?: string }).project ?? deps.defaultProject;
  const locate = async (request: FastifyRequest): Promise<ObjectRef | undefined> => {
    const loaded = await cache.get(projectOf(request)).catch(() => undefined);
    return loaded ? { objectType: 'feature_project', objectId: loaded.repo.project, workspace: loaded.workspace } : undefined;
  };
  const rule = (permission: 'READ' | 'EDIT'): AccessRule => ({ kind: 'object', permission, locate });
  const pushDeps = { online: deps.online, offline: deps.offline, states: deps.states, database: deps.database, now: deps.now };

  const handlers: Record<RouteName, { permission: 'READ' | 'EDIT'; handle(request: FastifyRequest, project: string): Promise<object | null> }> = {
    getOnlineFeatures: {
      permission: 'READ',
      handle: async (request, project) => getOnlineFeatures(await cache.get(project), deps.online, body<GetOnlineFeaturesRequest>(request), deps.now()),
    },
    push: {
      permission: 'EDIT',
      handle: async (request, project) => {
        const b = body<PushFeaturesRequest>(request);
        if (typeof b.push_source_name !== 'string') throw invalidParameter('push_source_name is required');
        await pushRows(await cache.get(project), b, pushDeps);
        return null;
      },
    },
    writeToOnlineStore: {
      permission: 'EDIT',
      handle: async (request, project) => {
        const b = body<WriteToOnlineStoreRequest>(request);
        if (typeof b.feature_view_name !== 'string') throw invalidParameter('feature_view_name is required');
        await writeToOnlineStore(await cache.get(project), b.feature_view_name, b.df, pushDeps);
        return null;
      },
    },
    materialize: {
      permission: 'EDIT',
      handle: async (request, project) => {
        const b = body<MaterializeRequest>(request);
        return deps.materializer.materialize(await cache.get(project), { start: time(b.start_ts, 'start_ts'), end: time(b.end_ts, 'end_ts') }, views(b.feature_views), 'api');
      },
    },
    materializeIncremental: {
      permission: 'EDIT',
      handle: async (request, project) => {
        const b = body<MaterializeIncrementalRequest>(request);
        return deps.materializer.materializeIncremental(await cache.get(project), time(b.end_ts, 'end_ts'), views(b.feature_views), 'api');
      },
    },
  };

  for (const [name, { method, path }] of Object.entries(FEATURE_SERVER_ROUTES) as [RouteName, (typeof FEATURE_SERVER_ROUTES)[RouteName]][]) {
    const { permission, handle } = handlers[name];
    for (const url of [`${FEATURE_SERVER_PREFIX}/:project${path}`, path]) {
      app.route({
        method,
        url,
        bodyLimit: deps.bodyLimitBytes,
        schema: { tags: ['features'] },
        // Online reads are the serving path: like inference, they are counted in metrics rather than logged per call.
        config: { access: rule(permission), action: `features.server.${name}`, errorShape: 'feast', quietRequestLog: name === 'getOnlineFeatures' },
        // Feast answers 200 with an empty body (null) for writes; the same here.
        handler: async (request, reply) => reply.send(await handle(request, projectOf(request))),
      });
    }
  }
}

function body<T>(request: FastifyRequest): T {
  const b = request.body;
  if (b === null || typeof b !== 'object' || Array.isArray(b)) throw invalidParameter('the request body must be a JSON object');
  return b as T;
}

function time(value: unknown, what: string): number {
  const ms = typeof value === 'string' ? parseIsoTime(value) : undefined;
  if (ms === undefined) throw invalidParameter(`${what} must be an ISO 8601 time, got ${JSON.stringify(value)}`);
  return ms;
}

function views(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw invalidParameter('feature_views must be an array of view names');
  return value as string[];
}
