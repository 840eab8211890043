import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PromotionPolicy, PromotionRequest, PromotionStatus, PromotionTarget } from '@capstan/contracts';
import { invalidParameter, notFound } from '../../../core/errors.js';
import type { AccessControl, AccessRule } from '../../security/index.js';
import { requestFields } from '../../tracking/index.js';
import type { ModelStore } from '../model-store.js';
import type { RegistryEventSink } from '../webhooks/events.js';
import { modelByName, modelRef } from '../http/model-locator.js';
import { byOwner, denied, registerRegistryApiRoute } from './capstan-route.js';
import { parsePolicyInput, type Policy, type PolicyStore } from './policy-store.js';
import { parseTarget, type PromotionService } from './promotion-service.js';
import type { MoveTarget, RequestStore, StoredRequest } from './request-store.js';

const { optionalString, optionalBool } = requestFields;
const STATUSES: readonly PromotionStatus[] = ['pending', 'gates_failed', 'approved', 'applied', 'rejected'];
const MAX_TEXT = 5000;

export interface PromotionRouteDeps {
  access: AccessControl;
  models: ModelStore;
  policies: PolicyStore;
  requests: RequestStore;
  service: PromotionService;
  events: RegistryEventSink;
}

const wireTarget = (t: MoveTarget): PromotionTarget => (t.kind === 'alias' ? { alias: t.value } : { stage: t.value as PromotionTarget['stage'] & string });
const auditTarget = (name: string, t: MoveTarget) => (t.kind === 'alias' ? `registered_model:${name}@${t.value}` : `registered_model:${name}/stage:${t.value}`);

function wirePolicy(name: string, p: Policy): PromotionPolicy {
  return { name, protected_aliases: p.protectedAliases, protected_stages: p.protectedStages, gates: p.gates, updated_at: p.updatedAt, updated_by: p.updatedBy };
}

export function wireRequest(name: string, r: StoredRequest): PromotionRequest {
  return {
    request_id: r.requestId,
    name,
    version: String(r.version),
    target: wireTarget(r.target),
    justification: r.justification,
    archive_existing_versions: r.archiveExisting,
    status: r.status,
    evidence: r.evidence,
    requested_by: r.requestedBy,
    requested_at: r.requestedAt,
    decided_by: r.decidedBy,
    decided_at: r.decidedAt,
    decision_comment: r.decisionComment,
    applied_at: r.appliedAt,
  };
}

function text(input: requestFields.RequestInput, field: string, required: boolean): string | null {
  const value = optionalString(input, field);
  if (value === undefined || value.trim() === '') {
    if (required) throw invalidParameter(`Missing value for required parameter '${field}'`);
    return null;
  }
  if (value.length > MAX_TEXT) throw invalidParameter(`'${field}' may be at most ${MAX_TEXT} characters`);
  return value;
}

/** Policies (MANAGE), requests (EDIT to ask, READ to look), and decisions (MANAGE, checked here so the messages are specific). */
export function registerPromotionRoutes(app: FastifyInstance, deps: PromotionRouteDeps): void {
  const { access, models, policies, requests, service, events } = deps;
  const on = (permission: 'READ' | 'EDIT' | 'MANAGE'): AccessRule => ({ kind: 'object', permission, locate: modelByName(models) });
  const onRequest: AccessRule = { kind: 'object', permission: 'READ', locate: byOwner(models, 'request_id', async (id) => (await requests.find(id))?.modelId) };
  const actor = (request: FastifyRequest) => request.principal.username;

  registerRegistryApiRoute(app, 'setPromotionPolicy', on('MANAGE'), async (input, request) => {
    const model = await models.require(optionalString(input, 'name'));
    const parsed = parsePolicyInput(input);
    const before = await policies.get(model.modelId);
    const policy = await policies.put(model.modelId, parsed, actor(request));
    access.noteChange(request, { target: `registered_model:${model.name}`, before: before ? wirePolicy(model.name, before) : null, after: wirePolicy(model.name, policy) });
    return { policy: wirePolicy(model.name, policy) };
  });
  registerRegistryApiRoute(app, 'getPromotionPolicy', on('READ'), async (input) => {
    const model = await models.require(optionalString(input, 'name'));
    const policy = await policies.get(model.modelId);
    return { policy: policy ? wirePolicy(model.name, policy) : null };
  });
  registerRegistryApiRoute(app, 'deletePromotionPolicy', on('MANAGE'), async (input, request) => {
    const model = await models.require(optionalString(input, 'name'));
    const before = await policies.get(model.modelId);
    if (!before || !(await policies.delete(model.modelId))) throw notFound(`Registered model '${model.name}' has no promotion policy`);
    access.noteChange(request, { target: `registered_model:${model.name}`, before: wirePolicy(model.name, before), after: null });
    return {};
  });

  registerRegistryApiRoute(app, 'createPromotionRequest', on('EDIT'), async (input, request) => {
    const target = parseTarget(optionalString(input, 'alias'), optionalString(input, 'stage'));
    const { model, request: created } = await service.create({
      name: optionalString(input, 'name'),
      version: optionalString(input, 'version'),
      target,
      justification: text(input, 'justification', true)!,
      archiveExisting: optionalBool(input, 'archive_existing_versions') ?? false,
      requestedBy: actor(request),
    });
    access.noteChange(request, { target: auditTarget(model.name, target), after: { request_id: created.requestId, version: created.version, status: created.status, failed_gates: created.evidence.gates.filter((g) => !g.passed).map((g) => g.rule) } });
    await events.emit({ type: 'promotion.requested', name: model.name, actor: actor(request), data: { request: wireRequest(model.name, created) } });
    return { request: wireRequest(model.name, created) };
  });
  registerRegistryApiRoute(app, 'listPromotionRequests', on('READ'), async (input) => {
    const model = await models.require(optionalString(input, 'name'));
    const status = optionalString(input, 'status');
    if (status !== undefined && !STATUSES.includes(status as PromotionStatus)) throw invalidParameter(`Unknown status '${status}'; one of ${STATUSES.join(', ')}`);
    return { requests: (await requests.list(model.modelId, status as PromotionStatus | undefined)).map((r) => wireRequest(model.name, r)) };
  });
  registerRegistryApiRoute(app, 'getPromotionRequest', onRequest, async (input) => {
    const found = await requests.require(optionalString(input, 'request_id') ?? '');
    const model = await models.findById(found.modelId);
    if (!model) throw notFound(`Promotion request ${found.requestId} not found`);
    return { request: wireRequest(model.name, found) };
  });

  /** Loads the request and checks the decider: someone other than the requester, with MANAGE on the model. */
  const decision = async (input: requestFields.RequestInput, request: FastifyRequest) => {
    const found = await requests.require(optionalString(input, 'request_id') ?? '');
    const model = await models.findById(found.modelId);
    if (!model) throw notFound(`Promotion request ${found.requestId} not found`);
    access.noteChange(request, { target: auditTarget(model.name, found.target), workspace: model.workspace, details: { request_id: found.requestId, version: found.version } });
    if (!(await access.allows(request, modelRef(model), 'READ'))) throw notFound(`Promotion request ${found.requestId} not found`);
    if (found.requestedBy === actor(request)) throw denied(`Promotion request ${found.requestId} was made by ${found.requestedBy}; another person must decide it (four eyes)`);
    if (!(await access.allows(request, modelRef(model), 'MANAGE'))) throw denied(`Deciding promotion requests needs MANAGE on registered model '${model.name}' (the manager role)`);
    return { found, model, comment: text(input, 'comment', false) };
  };
  registerRegistryApiRoute(app, 'approvePromotionRequest', { kind: 'authenticated', scope: 'write' }, async (input, request) => {
    const { found, model, comment } = await decision(input, request);
    const applied = await service.approve(found, model, actor(request), comment);
    const moved = { version: found.version, ...(found.target.kind === 'alias' ? { previous_version: applied.before } : { previous_stage: applied.before, archived: applied.archived }) };
    access.noteChange(request, { before: { status: found.status, holder: found.evidence.holder_version }, after: { status: applied.request.status, decided_by: actor(request), ...moved } });
    const wire = wireRequest(model.name, applied.request);
    await events.emit({ type: 'promotion.approved', name: model.name, actor: actor(request), data: { request: wire } });
    const data = { version: String(found.version), request_id: found.requestId, ...(found.target.kind === 'alias' ? { alias: found.target.value, previous_version: applied.before === null ? null : String(applied.before) } : { stage: found.target.value, previous_stage: applied.before, archived_versions: applied.archived.map(String) }) };
    await events.emit({ type: found.target.kind === 'alias' ? 'alias.moved' : 'stage.changed', name: model.name, actor: actor(request), data });
    return { request: wire };
  });
  registerRegistryApiRoute(app, 'rejectPromotionRequest', { kind: 'authenticated', scope: 'write' }, async (input, request) => {
    const { found, model, comment } = await decision(input, request);
    const rejected = await service.reject(found, actor(request), comment);
    access.noteChange(request, { before: { status: found.status }, after: { status: rejected.status, decided_by: actor(request) } });
    const wire = wireRequest(model.name, rejected);
    await events.emit({ type: 'promotion.rejected', name: model.name, actor: actor(request), data: { request: wire } });
    return { request: wire };
  });
}
