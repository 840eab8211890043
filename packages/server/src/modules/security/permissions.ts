import { invalidParameter } from '../../core/errors.js';

/**
 * Permission levels, ordered so that a higher level includes every lower one. Per-object grants
 * use MLflow's names; workspace roles map onto the same scale so one comparison decides access.
 */
export const PERMISSION_LEVEL = { NO_PERMISSIONS: 0, READ: 1, EDIT: 2, MANAGE: 3 } as const;
export type Permission = keyof typeof PERMISSION_LEVEL;
export const PERMISSIONS = Object.keys(PERMISSION_LEVEL) as Permission[];

/** viewer reads, editor writes, manager also manages permissions, admin also manages membership. */
export const ROLE_LEVEL = { viewer: 1, editor: 2, manager: 3, admin: 4 } as const;
export type WorkspaceRole = keyof typeof ROLE_LEVEL;
export const WORKSPACE_ROLES = Object.keys(ROLE_LEVEL) as WorkspaceRole[];

/**
 * What an API token may be used for. `write` includes `read`; `admin` includes both; `infer`
 * stands alone, so a service account's token can call a model and nothing else.
 */
export const SCOPES = ['read', 'write', 'infer', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

const IMPLIED_BY: Record<Scope, readonly Scope[]> = {
  read: ['read', 'write', 'admin'],
  write: ['write', 'admin'],
  admin: ['admin'],
  infer: ['infer'],
};

export function scopeAllows(granted: readonly Scope[], needed: Scope): boolean {
  return IMPLIED_BY[needed].some((s) => granted.includes(s));
}

/** The permission level a workspace role confers on the workspace's objects (admin = MANAGE). */
export function roleObjectLevel(roleLevel: number): number {
  return Math.min(roleLevel, PERMISSION_LEVEL.MANAGE);
}

export function parsePermission(value: unknown): Permission {
  if (typeof value === 'string' && Object.hasOwn(PERMISSION_LEVEL, value)) return value as Permission;
  throw invalidParameter(`permission must be one of ${PERMISSIONS.join(', ')}; got ${JSON.stringify(value)}`);
}

export function parseRole(value: unknown): WorkspaceRole {
  if (typeof value === 'string' && Object.hasOwn(ROLE_LEVEL, value)) return value as WorkspaceRole;
  throw invalidParameter(`role must be one of ${WORKSPACE_ROLES.join(', ')}; got ${JSON.stringify(value)}`);
}

export function parseScopes(value: unknown): Scope[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : undefined;
  if (!list || list.length === 0) throw invalidParameter(`scopes must be a non-empty list of ${SCOPES.join(', ')}`);
  for (const s of list) {
    if (!(SCOPES as readonly unknown[]).includes(s)) throw invalidParameter(`Unknown scope ${JSON.stringify(s)}; use ${SCOPES.join(', ')}`);
  }
  return [...new Set(list as Scope[])];
}
