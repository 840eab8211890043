import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { REGISTRY_EVENT_TYPES, type CreateWebhookResponse, type RegistryEventType, type Webhook } from '@capstan/contracts';
import { invalidParameter, notFound } from '../../../core/errors.js';
import type { AccessControl, AccessRule } from '../../security/index.js';
import { requestFields } from '../../tracking/index.js';
import type { ModelStore } from '../model-store.js';
import { modelByName } from '../http/model-locator.js';
import { byOwner, registerRegistryApiRoute } from '../promotion/capstan-route.js';
import type { StoredWebhook, WebhookStore } from './webhook-store.js';

const { optionalString, stringList } = requestFields;
const MAX_URL = 2000;
const MIN_SECRET = 16;
const MAX_SECRET = 256;

export interface WebhookRouteDeps {
  access: AccessControl;
  models: ModelStore;
  store: WebhookStore;
}

function parseUrl(value: string | undefined): string {
  if (!value) throw invalidParameter("Missing value for required parameter 'url'");
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidParameter(`'url' is not a valid URL`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || value.length > MAX_URL) throw invalidParameter(`'url' must be an http(s) URL of at most ${MAX_URL} characters`);
  return url.toString();
}

function parseEvents(input: requestFields.RequestInput): RegistryEventType[] {
  const events = stringList(input, 'events');
  const unknown = events.filter((e) => !(REGISTRY_EVENT_TYPES as readonly string[]).includes(e));
  if (unknown.length) throw invalidParameter(`Unknown event(s) ${unknown.join(', ')}; known: ${REGISTRY_EVENT_TYPES.join(', ')}`);
  return [...new Set(events as RegistryEventType[])];
}

function parseSecret(input: requestFields.RequestInput): string {
  const given = optionalString(input, 'secret');
  if (given === undefined) return `whsec_${randomBytes(24).toString('base64url')}`;
  if (given.length < MIN_SECRET || given.length > MAX_SECRET) throw invalidParameter(`'secret' must be ${MIN_SECRET} to ${MAX_SECRET} characters`);
  return given;
}

/** The audit trail names where deliveries go without what may be credentials in the URL. */
const auditUrl = (url: string) => {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`;
};

/**
 * Webhook management: per model (MANAGE on it) and global (administrators). The secret is shown in
 * the create response only; no other response, log line or audit entry carries it.
 */
export function registerWebhookRoutes(app: FastifyInstance, deps: WebhookRouteDeps): void {
  const { access, models, store } = deps;
  const wire = (w: StoredWebhook, name: string | null): Webhook => ({ webhook_id: w.webhookId, name, url: w.url, events: w.events, created_at: w.createdAt, created_by: w.createdBy });
  const admin: AccessRule = { kind: 'admin' };
  const manageModel: AccessRule = { kind: 'object', permission: 'MANAGE', locate: modelByName(models) };
  const manageOwner: AccessRule = { kind: 'object', permission: 'MANAGE', locate: byOwner(models, 'webhook_id', async (id) => (await store.find(id))?.modelId) };

  const create = async (input: requestFields.RequestInput, request: FastifyRequest, modelId: number | null, name: string | null): Promise<CreateWebhookResponse> => {
    const url = parseUrl(optionalString(input, 'url'));
    const events = parseEvents(input);
    const secret = parseSecret(input);
    const created = await store.create({ modelId, url, secret, events, createdBy: request.principal.username });
    access.noteChange(request, { target: `webhook:${created.webhookId}`, after: { name, url: auditUrl(url), events } });
    return { webhook: wire(created, name), secret };
  };
  /** A model's webhook by id; a global one (or another's) is not found here, whatever the caller may do elsewhere. */
  const ofModel = async (input: requestFields.RequestInput) => {
    const found = await store.require(optionalString(input, 'webhook_id') ?? '');
    const model = found.modelId === null ? undefined : await models.findById(found.modelId);
    if (!model) throw notFound(`Webhook ${found.webhookId} not found`);
    return { found, model };
  };
  const global = async (input: requestFields.RequestInput) => {
    const found = await store.require(optionalString(input, 'webhook_id') ?? '');
    if (found.modelId !== null) throw notFound(`Webhook ${found.webhookId} not found`);
    return found;
  };
  const remove = async (request: FastifyRequest, found: StoredWebhook, name: string | null) => {
    await store.delete(found.webhookId);
    access.noteChange(request, { target: `webhook:${found.webhookId}`, before: { name, url: auditUrl(found.url), events: found.events }, after: null });
    return {};
  };

  registerRegistryApiRoute(app, 'createWebhook', manageModel, async (input, request) => {
    const model = await models.require(optionalString(input, 'name'));
    return create(input, request, model.modelId, model.name);
  });
  registerRegistryApiRoute(app, 'listWebhooks', manageModel, async (input) => {
    const model = await models.require(optionalString(input, 'name'));
    return { webhooks: (await store.list(model.modelId)).map((w) => wire(w, model.name)) };
  });
  registerRegistryApiRoute(app, 'deleteWebhook', manageOwner, async (input, request) => {
    const { found, model } = await ofModel(input);
    return remove(request, found, model.name);
  });
  registerRegistryApiRoute(app, 'listWebhookDeliveries', manageOwner, async (input) => ({ deliveries: await store.deliveries((await ofModel(input)).found.webhookId) }));

  registerRegistryApiRoute(app, 'createGlobalWebhook', admin, async (input, request) => create(input, request, null, null));
  registerRegistryApiRoute(app, 'listGlobalWebhooks', admin, async () => ({ webhooks: (await store.list(null)).map((w) => wire(w, null)) }));
  registerRegistryApiRoute(app, 'deleteGlobalWebhook', admin, async (input, request) => remove(request, await global(input), null));
  registerRegistryApiRoute(app, 'listGlobalWebhookDeliveries', admin, async (input) => ({ deliveries: await store.deliveries((await global(input)).webhookId) }));
}
