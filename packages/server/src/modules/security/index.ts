import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RawBuilder, SqlBool } from 'kysely';
import { WORKSPACE_HEADER, WORKSPACE_TAG } from '@capstan/contracts';
import type { CapstanConfig } from '../../core/config.js';
import { createLogger, type Logger } from '../../core/logger.js';
import { tablesOf, type SqlDatabase } from '../../ports/sql.js';
import type { WindowCounterStore } from '../../ports/window-counter.js';
import type { CapstanModule } from '../module.js';
import { AuditLog, auditLogSchema, type AuditTables } from './audit/index.js';
import { Authenticator } from './authentication/authenticator.js';
import { createJwtVerifier } from './authentication/jwt/jwt-verifier.js';
import { LoginThrottle } from './authentication/login-throttle.js';
import { PasswordCheckCache } from './authentication/passwords.js';
import { inferenceRefusal } from './authorization/inference-access.js';
import { ObjectDirectory, type WorkspaceLookup } from './authorization/object-directory.js';
import { AccessPolicy } from './authorization/policy.js';
import { UrlSigner } from './authorization/url-signer.js';
import { installAccessHooks, type RegisteredRoute } from './http/access-hooks.js';
import { registerAuditRoutes } from './http/audit-routes.js';
import { registerGrantRoutes } from './http/grant-routes.js';
import { registerGroupRoutes } from './http/group-routes.js';
import { noteAudit, type AuditNote } from './http/request-context.js';
import { registerTokenRoutes } from './http/token-routes.js';
import { registerUserRoutes } from './http/user-routes.js';
import { registerWorkspaceRoutes } from './http/workspace-routes.js';
import { securitySchema } from './migrations/0002-security.js';
import type { SecurityContext } from './security-context.js';
import { createSecurityStores, type SecurityStores } from './security-stores.js';
import { DEFAULT_WORKSPACE } from './stores/workspace-store.js';
import type { GrantableObject } from './stores/grant-store.js';
import type { ObjectRef } from './authorization/access-rule.js';
import type { SecurityTables } from './tables.js';
import { bootstrapAdmin } from './bootstrap-admin.js';

export type { AccessRule, ObjectLocator, ObjectRef } from './authorization/access-rule.js';
export type { AuditNote } from './http/request-context.js';
export type { RegisteredRoute } from './http/access-hooks.js';
export type { Principal } from './principal.js';
export type { SecurityTables } from './tables.js';
export type { AuditTables } from './audit/index.js';
export { DEFAULT_WORKSPACE } from './stores/workspace-store.js';

/**
 * What other modules use to respect access control: filter searches to what the caller may read,
 * give creators MANAGE on what they create, describe their changes for the audit trail, and tell
 * security which workspace their objects belong to.
 */
export interface AccessControl {
  readonly mode: 'none' | 'on';
  /** A SQL condition keeping only rows the caller may read; undefined when they may read everything. */
  readableCondition(request: FastifyRequest, objectType: GrantableObject, idColumn: string, workspaceColumn: string): RawBuilder<SqlBool> | undefined;
  /** Whether the request's caller holds `permission` on the object (grants, groups, workspace role). */
  allows(request: FastifyRequest, ref: ObjectRef, permission: 'READ' | 'EDIT' | 'MANAGE'): Promise<boolean>;
  /** The creator of an object gets MANAGE on it, as in MLflow's permission model. */
  objectCreated(request: FastifyRequest, objectType: GrantableObject, objectId: string): Promise<void>;
  noteChange(request: FastifyRequest, note: AuditNote): void;
  /** Grants follow an object that is renamed (registered models are granted by name, as in MLflow). */
  objectRenamed(objectType: GrantableObject, from: string, to: string): Promise<void>;
  /** Grants on an object deleted for good are dropped, so a new object of the same name starts clean. */
  objectDeleted(objectType: GrantableObject, objectId: string): Promise<void>;
  /** The workspace a create request targets: its `capstan.workspace` tag, else the `X-Capstan-Workspace` header, else `default`. */
  requestedWorkspace(request: FastifyRequest): string;
  registerWorkspaceLookup(objectType: GrantableObject, lookup: WorkspaceLookup): void;
  /** A path (no query) signed for a credential-less call, valid for `ttlMs`. */
  signPath(method: string, path: string, ttlMs: number): string;
}

export interface SecurityModule extends CapstanModule {
  readonly access: AccessControl;
  /** Installs authentication, authorization and audit hooks; call before any route is registered. */
  installHooks(app: FastifyInstance): void;
  /** Every route registered since installHooks, with its access rule. */
  routes(): readonly RegisteredRoute[];
  readonly audit: AuditLog;
  /**
   * The `inference` rule for a call outside Fastify (OIP gRPC): an API token with the infer scope,
   * allowed to call `deployment`. Rejects with an error whose `status` is 401 or 403.
   */
  authorizeInference(authorization: string | undefined, deployment: string | undefined, address: string): Promise<void>;
}

const silentLogger = createLogger('silent');

export const securityMigrations = [securitySchema, auditLogSchema] as const;

export interface SecurityModuleOptions {
  database: SqlDatabase<unknown>;
  logger: Logger;
  auth: CapstanConfig['auth'];
  counters: WindowCounterStore;
  now?: () => number;
}

/** Authentication, authorization (workspaces, roles, grants, token scopes) and the audit trail. */
export function createSecurityModule(options: SecurityModuleOptions): SecurityModule {
  const now = options.now ?? Date.now;
  const securityDb = tablesOf<SecurityTables>(options.database);
  const ctx: SecurityContext = { db: securityDb.db, dialect: securityDb.dialect, logger: options.logger, now };
  const stores: SecurityStores = createSecurityStores(ctx);
  const directory = new ObjectDirectory();
  const policy = new AccessPolicy(ctx.db, stores.workspaces);
  const audit = new AuditLog({ database: tablesOf<AuditTables>(options.database), logger: options.logger, now, ...(options.auth.auditKey ? { key: options.auth.auditKey } : {}) });
  const jwtSettings = options.auth.jwt;
  const authenticator = new Authenticator({
    ...stores,
    passwords: new PasswordCheckCache(),
    throttle: new LoginThrottle(options.counters, options.auth.throttle),
    ...(jwtSettings ? { jwt: { verifier: createJwtVerifier(jwtSettings), ...(jwtSettings.adminGroup ? { adminGroup: jwtSettings.adminGroup } : {}) } } : {}),
    now,
  });
  let signer: UrlSigner | undefined;
  let routes: RegisteredRoute[] = [];

  const access: AccessControl = {
    mode: options.auth.mode,
    readableCondition: (request, objectType, idColumn, workspaceColumn) => policy.readableCondition(request.principal, objectType, idColumn, workspaceColumn),
    allows: (request, ref, permission) => policy.allows(request.principal, ref, permission),
    async objectCreated(request, objectType, objectId) {
      const p = request.principal;
      if (p.userId === null) return;
      await stores.grants.set(objectType, objectId, { type: 'user', name: p.username, id: p.userId }, 'MANAGE');
    },
    noteChange: noteAudit,
    objectRenamed: (objectType, from, to) => stores.grants.rename(objectType, from, to),
    objectDeleted: (objectType, objectId) => stores.grants.removeAllFor(objectType, objectId),
    requestedWorkspace(request) {
      // A `capstan.workspace` tag in the create request (what MLflow clients can send), else the header.
      const body = request.body as { tags?: unknown } | null;
      const tags = Array.isArray(body?.tags) ? (body.tags as { key?: unknown; value?: unknown }[]) : [];
      const tagged = tags.find((t) => t?.key === WORKSPACE_TAG)?.value;
      if (typeof tagged === 'string' && tagged !== '') return tagged;
      const header = request.headers[WORKSPACE_HEADER];
      return typeof header === 'string' && header !== '' ? header : DEFAULT_WORKSPACE;
    },
    registerWorkspaceLookup: (objectType, lookup) => directory.register(objectType, lookup),
    signPath(method, path, ttlMs) {
      if (!signer) throw new Error('security module not started');
      return signer.sign(method, path, ttlMs);
    },
  };

  return {
    name: 'security',
    migrations: securityMigrations,
    access,
    audit,
    async start() {
      signer = new UrlSigner(await loadSigningKey(ctx), now);
      if (options.auth.mode === 'none') {
        options.logger.warn(
          'AUTHENTICATION IS OFF: anyone who can reach this server can read and change everything. Use --auth (CAPSTAN_AUTH=on) anywhere but a single-user laptop.',
        );
        return;
      }
      await bootstrapAdmin(stores.users, options.auth, options.logger);
    },
    installHooks(app) {
      routes = installAccessHooks(app, { mode: options.auth.mode, authenticator, policy, workspaces: stores.workspaces, signer: () => signer!, audit, logger: options.logger });
    },
    routes: () => routes,
    async authorizeInference(authorization, deployment, address) {
      if (options.auth.mode === 'none') return;
      const refuse = (status: 401 | 403, message: string) => Object.assign(new Error(message), { status });
      let principal;
      try {
        principal = await authenticator.authenticate(authorization, address);
      } catch (err) {
        throw refuse(401, (err as Error).message);
      }
      if (!principal) throw refuse(401, 'inference needs an API token with the infer scope (authorization: Bearer cap_...)');
      const refusal = inferenceRefusal(principal, deployment);
      if (refusal) throw refuse(403, `Permission denied for ${principal.username}: ${refusal}`);
    },
    registerRoutes(app) {
      registerUserRoutes(app, stores, options.auth.mode);
      registerGroupRoutes(app, stores);
      registerTokenRoutes(app, stores);
      registerWorkspaceRoutes(app, stores);
      registerGrantRoutes(app, stores, directory);
      registerAuditRoutes(app, audit);
    },
    async stop() {
      await audit.close();
    },
  };
}

/**
 * Creates or updates a local user straight in the store, for `capstan users create --admin` when
 * no administrator exists yet to do it over the API.
 */
export async function upsertLocalUser(
  database: SqlDatabase<unknown>,
  input: { username: string; password: string; isAdmin: boolean },
): Promise<'created' | 'updated'> {
  const { db, dialect } = tablesOf<SecurityTables>(database);
  const users = createSecurityStores({ db, dialect, logger: silentLogger, now: Date.now }).users;
  if (await users.find(input.username)) {
    await users.update(input.username, { password: input.password, isAdmin: input.isAdmin, disabled: false });
    return 'updated';
  }
  await users.create(input);
  return 'created';
}

/** One key for every replica: created once in the database, read by all. */
async function loadSigningKey(ctx: SecurityContext): Promise<string> {
  const name = 'url-signing-key';
  const existing = await ctx.db.selectFrom('instance_secrets').select('value').where('name', '=', name).executeTakeFirst();
  if (existing) return existing.value;
  await ctx.db
    .insertInto('instance_secrets')
    .values({ name, value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await ctx.db.selectFrom('instance_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}
