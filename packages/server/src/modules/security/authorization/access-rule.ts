import type { FastifyRequest } from 'fastify';
import type { Permission, Scope, WorkspaceRole } from '../permissions.js';
import type { GrantableObject } from '../stores/grant-store.js';

/** The object a request acts on, found by the owning module. */
export interface ObjectRef {
  objectType: GrantableObject;
  objectId: string;
  /** The object's workspace; null when the object has none (only instance admins may act on it). */
  workspace: string | null;
  /** What the audit log names as the target when it is more specific than the object (`run:<id>`). */
  target?: string;
}

/**
 * Finds the object(s) a request names; undefined when it names none that exists (the handler then
 * answers 400/404). A request naming several (metrics of many runs) needs the permission on each.
 */
export type ObjectLocator = (request: FastifyRequest) => Promise<ObjectRef | readonly ObjectRef[] | undefined>;

/**
 * Every route declares one of these in its Fastify `config.access`; a route without one cannot be
 * registered. The kinds, from least to most specific:
 * - `public`: no credentials needed (health probes).
 * - `authenticated`: any signed-in caller whose credential has `scope`; the handler itself limits
 *   what it returns to what the caller may see (searches) or acts on the caller (own tokens).
 * - `admin`: instance administrators only.
 * - `workspace`: a role in the workspace the request targets (creating objects there).
 * - `object`: a permission on one experiment or registered model, from a grant or the workspace role.
 * - `inference`: an API token with the `infer` scope for the deployment named in the request.
 * - `signed`: the URL carries a signature this server issued (multipart part uploads, which MLflow
 *   clients send without credentials, as they would to presigned S3 URLs).
 */
export type AccessRule =
  | { kind: 'public' }
  | { kind: 'authenticated'; scope: Scope }
  | { kind: 'admin' }
  | { kind: 'workspace'; role: WorkspaceRole; workspace: (request: FastifyRequest) => string }
  | { kind: 'object'; permission: Exclude<Permission, 'NO_PERMISSIONS'>; locate: ObjectLocator }
  | { kind: 'inference'; deployment: (request: FastifyRequest) => string | undefined }
  | { kind: 'signed' };

/** The token scope a rule needs (an `object` or `workspace` rule needs `write` unless it only reads). */
export function requiredScope(rule: AccessRule): Scope | undefined {
  switch (rule.kind) {
    case 'public':
    case 'signed':
      return undefined;
    case 'authenticated':
      return rule.scope;
    case 'admin':
      return 'admin';
    case 'workspace':
      return rule.role === 'viewer' ? 'read' : 'write';
    case 'object':
      return rule.permission === 'READ' ? 'read' : 'write';
    case 'inference':
      return 'infer';
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route (see AccessRule). Required on every route. */
    access?: AccessRule;
    /** The audit log's name for what this route does, e.g. `mlflow.createExperiment`. */
    action?: string;
  }
}
