import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { CapstanError } from '../../../core/errors.js';
import type { Logger } from '../../../core/logger.js';
import type { AuditEntryInput } from '../audit/audit-log.js';
import { AuthenticationFailed, type Authenticator } from '../authentication/authenticator.js';
import { LockedOut } from '../authentication/login-throttle.js';
import { requiredScope, type AccessRule, type ObjectRef } from '../authorization/access-rule.js';
import type { AccessPolicy } from '../authorization/policy.js';
import type { UrlSigner } from '../authorization/url-signer.js';
import { inferenceRefusal } from '../authorization/inference-access.js';
import { ROLE_LEVEL, scopeAllows } from '../permissions.js';
import { ANONYMOUS, LOCAL_SUPERUSER, type Principal } from '../principal.js';
import type { WorkspaceStore } from '../stores/workspace-store.js';
import { noteAudit } from './request-context.js';

export interface RegisteredRoute {
  method: string;
  url: string;
  access: AccessRule;
}

export interface AccessHookDeps {
  mode: 'none' | 'on';
  authenticator: Authenticator;
  policy: AccessPolicy;
  workspaces: WorkspaceStore;
  signer: () => UrlSigner;
  audit: { append(entry: AuditEntryInput): Promise<void> };
  logger: Logger;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Unknown URLs still need credentials, so the 404 answer does not map the API for strangers. */
const UNMATCHED: AccessRule = { kind: 'authenticated', scope: 'read' };

/**
 * Installs authentication (onRequest, before any body is read), authorization (preHandler, once
 * the body is parsed so rules can find the object a request names) and the audit trail
 * (onResponse). Must run before any route is registered: a route without an access rule is refused
 * at registration, so no route can exist unguarded. Returns the list of guarded routes.
 */
export function installAccessHooks(app: FastifyInstance, deps: AccessHookDeps): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  app.decorateRequest('principal', null as unknown as Principal);
  app.decorateRequest('auditNote', null);

  app.addHook('onRoute', (route: RouteOptions) => {
    const access = route.config?.access;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!access) throw new Error(`Route ${methods.join(',')} ${route.url} declares no access rule (config.access)`);
    for (const method of methods) routes.push({ method, url: route.url, access });
  });

  // Hooks whose work is synchronous use Fastify's callback form: inference routes run these on
  // every call, and an async hook costs a promise and a microtask turn each.
  if (deps.mode === 'none') {
    app.addHook('onRequest', (request, _reply, done) => {
      request.principal = LOCAL_SUPERUSER;
      done();
    });
  } else app.addHook('onRequest', async (request, reply) => {
    const rule = ruleOf(request);
    request.principal = ANONYMOUS;
    if (rule.kind === 'public') return;
    if (rule.kind === 'signed') return verifySignature(request, deps.signer());
    try {
      const principal = await deps.authenticator.authenticate(request.headers.authorization, request.ip);
      if (!principal) throw new CapstanError('UNAUTHENTICATED', 'Authentication required: send an API token (Bearer) or Basic credentials');
      request.principal = principal;
    } catch (err) {
      if (err instanceof AuthenticationFailed) {
        noteAudit(request, {
          details: { reason: err.message, method: err.method, ...(err.username ? { username: err.username } : {}), ...(err.lockoutStarted ? { lockout_started: true } : {}) },
        });
      }
      if (err instanceof LockedOut) void reply.header('retry-after', String(err.retryAfterSeconds));
      if (err instanceof CapstanError && err.code === 'UNAUTHENTICATED') {
        const basic = /^basic /i.test(request.headers.authorization ?? '');
        void reply.header('www-authenticate', basic ? 'Basic realm="capstan", charset="UTF-8"' : 'Bearer realm="capstan"');
      }
      throw err;
    }
  });

  app.addHook('preHandler', (request, _reply, done) => {
    const rule = ruleOf(request);
    if (allowedWithoutLookup(rule, deps.mode)) return done();
    authorize(request, rule, deps).then(() => done(), done);
  });

  app.addHook('onResponse', (request, reply, done) => {
    const entry = auditEntryFor(request, reply);
    if (entry) deps.audit.append(entry).catch((err: unknown) => deps.logger.error({ err }, 'audit append failed'));
    done();
  });
  return routes;
}

/** Rules `authorize` would pass at once for this principal: the scope check alone decides them. */
function allowedWithoutLookup(rule: AccessRule, mode: AccessHookDeps['mode']): boolean {
  // With auth off the principal is the local superuser, whose scopes allow everything.
  if (mode === 'none') return rule.kind !== 'workspace' && rule.kind !== 'object';
  return rule.kind === 'public' || rule.kind === 'signed';
}

function ruleOf(request: FastifyRequest): AccessRule {
  return request.routeOptions.config?.access ?? UNMATCHED;
}

function verifySignature(request: FastifyRequest, signer: UrlSigner): void {
  const verdict = signer.verify(request.method, request.url);
  if (verdict === 'ok') return;
  const why = { missing: 'this URL must carry the signature this server issued', expired: 'the signed URL has expired', invalid: 'the URL signature is invalid' }[verdict];
  throw new CapstanError('UNAUTHENTICATED', `Cannot accept this upload: ${why}`);
}

async function authorize(request: FastifyRequest, rule: AccessRule, deps: AccessHookDeps): Promise<void> {
  const principal = request.principal;
  const denied = (why: string) => new CapstanError('PERMISSION_DENIED', `Permission denied for ${principal.username}: ${why}`);
  const scope = requiredScope(rule);
  if (scope && !scopeAllows(principal.scopes, scope)) throw denied(`the credential lacks the '${scope}' scope`);

  switch (rule.kind) {
    case 'public':
    case 'signed':
    case 'authenticated':
      return;
    case 'admin':
      if (!principal.isAdmin) throw denied('this requires an instance administrator');
      return;
    case 'workspace': {
      const workspace = rule.workspace(request);
      noteAudit(request, { workspace });
      await deps.workspaces.require(workspace);
      if ((await deps.policy.workspaceRoleLevel(principal, workspace)) < ROLE_LEVEL[rule.role]) {
        throw denied(`this requires the ${rule.role} role in workspace ${workspace}`);
      }
      return;
    }
    case 'object': {
      // With auth off everything is allowed; the object is still looked up for the audit entry of a change.
      if (deps.mode === 'none' && READ_METHODS.has(request.method)) return;
      const located = await rule.locate(request);
      const refs = located === undefined ? [] : Array.isArray(located) ? located : [located as ObjectRef];
      const first = refs[0];
      if (!first) return;
      noteAudit(request, { target: first.target ?? `${first.objectType}:${first.objectId}`, ...(first.workspace ? { workspace: first.workspace } : {}) });
      for (const ref of refs) {
        if (!(await deps.policy.allows(principal, ref, rule.permission))) {
          throw denied(`this requires ${rule.permission} on ${ref.objectType} ${ref.objectId}`);
        }
      }
      return;
    }
    case 'inference': {
      if (deps.mode === 'none') return;
      const refusal = inferenceRefusal(principal, rule.deployment(request));
      if (refusal) throw denied(refusal);
      return;
    }
  }
}

function auditEntryFor(request: FastifyRequest, reply: FastifyReply): AuditEntryInput | undefined {
  const status = reply.statusCode;
  const note = request.auditNote;
  const securityEvent = status === 401 || status === 403;
  // A locked-out caller is recorded once, when the lockout starts (see authentication), not per retry.
  if (status === 429 && !note?.force) return undefined;
  const config = request.routeOptions.config;
  // Reads are not state changes, whatever their verb (MLflow searches are POSTs); nor are
  // predictions, which the inference log records (auditing each would double every request's writes).
  const scope = config?.access === undefined ? undefined : requiredScope(config.access);
  const reads = READ_METHODS.has(request.method) || scope === 'read' || scope === 'infer';
  if (reads && !securityEvent && !note?.force) return undefined;
  const principal = request.principal ?? ANONYMOUS;
  // A failed sign-in is filed under the username it claimed, so `--actor alice` finds attacks on alice.
  const claimed = status === 401 && typeof note?.details?.username === 'string' ? note.details.username : undefined;
  const action = status === 401 ? 'auth.failed' : (config?.action ?? `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`);
  const details: Record<string, unknown> = { ...note?.details };
  if (note?.before !== undefined) details.before = note.before;
  if (note?.after !== undefined) details.after = note.after;
  if (status === 401 || !config?.action) details.path = request.url.split('?')[0];
  return {
    actor: claimed ?? principal.username,
    authMethod: principal.authMethod,
    workspace: note?.workspace ?? '',
    action,
    target: note?.target ?? '',
    requestId: request.id,
    sourceIp: request.ip,
    outcome: securityEvent ? 'denied' : status >= 400 ? 'failure' : 'success',
    status,
    details,
  };
}
