import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MLFLOW_REGISTRY_ROUTES, type MlflowRegistryRpcName, type MlflowRoute } from '@capstan/contracts';
import { invalidParameter } from '../../../core/errors.js';
import type { AccessRule } from '../../security/index.js';
import { registerMlflowRpc, requestFields, SMALL_RPC_BODY_LIMIT, type MlflowHandler } from '../../tracking/index.js';
import type { ModelStore } from '../model-store.js';
import type { RegistryContext } from '../registry-context.js';
import { searchModelVersionKeys, searchRegisteredModelIds } from '../search/registry-search-sql.js';
import { parseStage, STAGES } from '../validation.js';
import type { VersionStore } from '../version-store.js';
import { latestVersionKeys, loadRegisteredModels, loadVersions } from '../wire.js';
import { checkModelPackage } from '../package-check.js';
import { resolveDownloadUri, resolveSource } from './download-uri.js';
import type { RegistryHooks } from '../promotion/index.js';

const { optionalString, optionalInt64, optionalBool, stringList, objectList } = requestFields;

const SEARCH_MODELS_DEFAULT = 100;
const SEARCH_MODELS_MAX = 1000;
const SEARCH_VERSIONS_DEFAULT = 10_000;
const SEARCH_VERSIONS_MAX = 200_000;

type Tags = { key: string | undefined; value: string | undefined }[];
const tagsOf = (input: requestFields.RequestInput): Tags => objectList(input, 'tags').map((t) => ({ key: optionalString(t, 'key'), value: optionalString(t, 'value') }));

function maxResults(input: requestFields.RequestInput, fallback: number, max: number): number {
  const value = optionalInt64(input, 'max_results') ?? fallback;
  if (value < 1 || value > max) throw invalidParameter(`Invalid value for request parameter max_results. It must be at most ${max}, but got value ${value}`);
  return value;
}

/**
 * The MLflow model registry RPCs under /api/2.0/mlflow and /ajax-api/2.0/mlflow. `hooks` enforce
 * promotion policies on alias and stage moves and report registry events to webhooks.
 */
export function registerRegistryRoutes(
  app: FastifyInstance,
  ctx: RegistryContext,
  rules: Record<MlflowRegistryRpcName, AccessRule>,
  models: ModelStore,
  versions: VersionStore,
  hooks?: RegistryHooks,
): void {
  const route = (name: MlflowRegistryRpcName, handler: MlflowHandler, method?: MlflowRoute['method']) =>
    registerMlflowRpc(
      app,
      { route: { ...MLFLOW_REGISTRY_ROUTES[name], ...(method ? { method } : {}) }, access: rules[name], action: `mlflow.${name}`, bodyLimit: Math.min(SMALL_RPC_BODY_LIMIT, ctx.jsonBodyLimitBytes) },
      handler,
    );
  const model = async (name: string) => ({ registered_model: (await loadRegisteredModels(ctx.db, [(await models.require(name)).modelId]))[0] });
  const version = async (key: { modelId: number; version: number }) => ({ model_version: (await loadVersions(ctx.db, [key]))[0] });
  const note = (request: FastifyRequest, target: string, before?: unknown, after?: unknown) =>
    ctx.access.noteChange(request, { target, ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) });

  route('createRegisteredModel', async (input, request) => {
    const workspace = ctx.access.requestedWorkspace(request);
    const created = await models.create({ name: optionalString(input, 'name'), description: optionalString(input, 'description'), tags: tagsOf(input), workspace, createdBy: request.principal.userId === null ? null : request.principal.username });
    await ctx.access.objectCreated(request, 'registered_model', created.name);
    ctx.access.noteChange(request, { target: `registered_model:${created.name}`, workspace });
    return model(created.name);
  });
  route('renameRegisteredModel', async (input, request) => {
    const { before, after } = await models.rename(optionalString(input, 'name'), optionalString(input, 'new_name'));
    await ctx.access.objectRenamed('registered_model', before.name, after.name);
    note(request, `registered_model:${after.name}`, { name: before.name }, { name: after.name });
    return model(after.name);
  });
  route('updateRegisteredModel', async (input) => model((await models.describe(optionalString(input, 'name'), optionalString(input, 'description'))).name));
  route('deleteRegisteredModel', async (input) => {
    const deleted = await models.delete(optionalString(input, 'name'));
    await ctx.access.objectDeleted('registered_model', deleted.name);
    return {};
  });
  route('getRegisteredModel', async (input) => model((await models.require(optionalString(input, 'name'))).name));
  route('searchRegisteredModels', async (input, request) => {
    const visible = ctx.access.readableCondition(request, 'registered_model', 'registered_models.name', 'registered_models.workspace');
    const page = await searchRegisteredModelIds(ctx, {
      filter: optionalString(input, 'filter'),
      orderBy: stringList(input, 'order_by'),
      maxResults: maxResults(input, SEARCH_MODELS_DEFAULT, SEARCH_MODELS_MAX),
      ...(optionalString(input, 'page_token') ? { pageToken: optionalString(input, 'page_token') } : {}),
      ...(visible ? { visible } : {}),
    });
    const found = await loadRegisteredModels(ctx.db, page.modelIds);
    return { ...(found.length ? { registered_models: found } : {}), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
  });
  const latest = async (input: requestFields.RequestInput) => {
    const m = await models.require(optionalString(input, 'name'));
    const stages = stringList(input, 'stages');
    const wanted = stages.length ? STAGES.filter((s) => stages.some((x) => x.toLowerCase() === s.toLowerCase())) : STAGES;
    const found = await loadVersions(ctx.db, await latestVersionKeys(ctx.db, [m.modelId], wanted));
    return found.length ? { model_versions: found } : {};
  };
  route('getLatestVersions', latest);
  route('getLatestVersions', latest, 'GET');
  route('setRegisteredModelTag', async (input) => {
    await models.setTag(optionalString(input, 'name'), optionalString(input, 'key'), optionalString(input, 'value'));
    return {};
  });
  route('deleteRegisteredModelTag', async (input) => {
    await models.deleteTag(optionalString(input, 'name'), optionalString(input, 'key'));
    return {};
  });
  route('setRegisteredModelAlias', async (input, request) => {
    const alias = optionalString(input, 'alias');
    const applied = await hooks?.guard.assertMoveAllowed(request, { name: optionalString(input, 'name'), version: optionalString(input, 'version'), alias });
    const { key, previous } = await versions.setAlias(optionalString(input, 'name'), alias, optionalString(input, 'version'));
    await applied?.();
    note(request, `registered_model:${optionalString(input, 'name')}@${alias}`, { version: previous ?? null }, { version: key.version });
    await hooks?.events.emit({ type: 'alias.moved', name: optionalString(input, 'name')!, actor: request.principal.username, data: { alias, version: String(key.version), previous_version: previous === undefined ? null : String(previous) } });
    return {};
  });
  route('deleteRegisteredModelAlias', async (input, request) => {
    const alias = optionalString(input, 'alias');
    await hooks?.guard.assertAliasDeletable(optionalString(input, 'name'), alias);
    const previous = await versions.deleteAlias(optionalString(input, 'name'), alias);
    note(request, `registered_model:${optionalString(input, 'name')}@${alias}`, { version: previous }, { version: null });
    return {};
  });
  route('getModelVersionByAlias', async (input) => version(await versions.byAlias(optionalString(input, 'name'), optionalString(input, 'alias'))));

  route('createModelVersion', async (input, request) => {
    const runId = optionalString(input, 'run_id');
    const runLink = optionalString(input, 'run_link');
    const description = optionalString(input, 'description');
    const key = await versions.create({
      name: optionalString(input, 'name'),
      source: optionalString(input, 'source'),
      ...(runId ? { runId } : {}),
      ...(runLink ? { runLink } : {}),
      ...(description ? { description } : {}),
      tags: tagsOf(input),
      userId: request.principal.userId === null ? null : request.principal.username,
      check: async (source) => checkModelPackage(ctx, await resolveSource(ctx, source)),
    });
    note(request, `registered_model:${optionalString(input, 'name')}/${key.version}`, undefined, { version: key.version, source: optionalString(input, 'source') });
    await hooks?.events.emit({ type: 'model_version.created', name: optionalString(input, 'name')!, actor: request.principal.username, data: { version: String(key.version), source: optionalString(input, 'source'), run_id: runId ?? null } });
    return version(key);
  });
  route('updateModelVersion', async (input) => version(await versions.describe(optionalString(input, 'name'), optionalString(input, 'version'), optionalString(input, 'description'))));
  route('transitionModelVersionStage', async (input, request) => {
    const applied = await hooks?.guard.assertMoveAllowed(request, { name: optionalString(input, 'name'), version: optionalString(input, 'version'), stage: optionalString(input, 'stage') });
    const result = await versions.transition(optionalString(input, 'name'), optionalString(input, 'version'), optionalString(input, 'stage'), optionalBool(input, 'archive_existing_versions') ?? false);
    await applied?.();
    note(request, `registered_model:${optionalString(input, 'name')}/${result.key.version}`, { stage: result.before }, { stage: optionalString(input, 'stage'), archived: result.archived });
    await hooks?.events.emit({ type: 'stage.changed', name: optionalString(input, 'name')!, actor: request.principal.username, data: { version: String(result.key.version), stage: parseStage(optionalString(input, 'stage')!), previous_stage: result.before, archived_versions: result.archived.map(String) } });
    return version(result.key);
  });
  route('deleteModelVersion', async (input, request) => {
    const key = await versions.delete(optionalString(input, 'name'), optionalString(input, 'version'));
    note(request, `registered_model:${optionalString(input, 'name')}/${key.version}`);
    return {};
  });
  route('getModelVersion', async (input) => version(await versions.require(optionalString(input, 'name'), optionalString(input, 'version'))));
  route('searchModelVersions', async (input, request) => {
    const visible = ctx.access.readableCondition(request, 'registered_model', 'registered_models.name', 'registered_models.workspace');
    const page = await searchModelVersionKeys(ctx, {
      filter: optionalString(input, 'filter'),
      orderBy: stringList(input, 'order_by'),
      maxResults: maxResults(input, SEARCH_VERSIONS_DEFAULT, SEARCH_VERSIONS_MAX),
      ...(optionalString(input, 'page_token') ? { pageToken: optionalString(input, 'page_token') } : {}),
      ...(visible ? { visible } : {}),
    });
    const found = await loadVersions(ctx.db, page.keys);
    return { ...(found.length ? { model_versions: found } : {}), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
  });
  route('getModelVersionDownloadUri', async (input) => {
    const v = await versions.require(optionalString(input, 'name'), optionalString(input, 'version'));
    return { artifact_uri: await resolveDownloadUri(ctx, v) };
  });
  route('setModelVersionTag', async (input) => {
    await versions.setTag(optionalString(input, 'name'), optionalString(input, 'version'), optionalString(input, 'key'), optionalString(input, 'value'));
    return {};
  });
  route('deleteModelVersionTag', async (input) => {
    await versions.deleteTag(optionalString(input, 'name'), optionalString(input, 'version'), optionalString(input, 'key'));
    return {};
  });
}
