/**
 * Capstan's own security API (not part of MLflow): users, groups, API tokens, workspaces and
 * their role bindings, per-object grants, and the audit trail. Snake_case on the wire, like the
 * MLflow routes next to it. Errors use the same `{error_code, message}` shape.
 */
export const CAPSTAN_API_PREFIX = '/api/capstan/v1';

export type TokenScope = 'read' | 'write' | 'infer' | 'admin';
export type WorkspaceRole = 'viewer' | 'editor' | 'manager' | 'admin';
export type ObjectPermission = 'READ' | 'EDIT' | 'MANAGE' | 'NO_PERMISSIONS';
export type GrantableObjectType = 'experiment' | 'registered_model' | 'deployment' | 'feature_project';

export interface User {
  username: string;
  is_admin: boolean;
  /** 'local' (created here) or 'jwt' (first seen in an identity-provider token). */
  source: 'local' | 'jwt';
  disabled: boolean;
  created_at: number;
  updated_at: number;
}

export interface WhoAmI {
  username: string;
  is_admin: boolean;
  auth_method: 'none' | 'token' | 'basic' | 'jwt';
  scopes: TokenScope[];
  groups: string[];
  token_id?: string;
  /** 'none' when the server runs without authentication. */
  auth_mode: 'none' | 'on';
}

export interface CreateUserRequest {
  username: string;
  /** At least 12 characters. Omit for users who sign in only through the identity provider. */
  password?: string;
  is_admin?: boolean;
}

export interface UpdateUserRequest {
  password?: string;
  is_admin?: boolean;
  disabled?: boolean;
}

export interface ChangePasswordRequest {
  current_password: string;
  new_password: string;
}

export interface Group {
  name: string;
  description: string;
  members: string[];
}

export interface ApiTokenInfo {
  token_id: string;
  user: string;
  name: string;
  scopes: TokenScope[];
  /** Deployments an `infer` token may call; null for any. */
  deployments: string[] | null;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface CreateTokenRequest {
  name: string;
  scopes: TokenScope[];
  /** Epoch milliseconds; omit for a token that does not expire. */
  expires_at?: number;
  deployments?: string[];
  /** Admins may create a token for another user (a service account). */
  user?: string;
}

export interface CreateTokenResponse {
  /** The secret (`cap_...`). Shown only in this response; the server keeps a hash. */
  token: string;
  token_info: ApiTokenInfo;
}

export interface Workspace {
  name: string;
  description: string;
  created_at: number;
}

/** Names one principal: exactly one of `user` or `group`. */
export type PrincipalSelector = { user: string; group?: never } | { group: string; user?: never };

export interface WorkspaceMember {
  principal_type: 'user' | 'group';
  name: string;
  role: WorkspaceRole;
}

export type SetWorkspaceMemberRequest = PrincipalSelector & { role: WorkspaceRole };

export interface Grant {
  object_type: GrantableObjectType;
  object_id: string;
  principal_type: 'user' | 'group';
  principal: string;
  permission: ObjectPermission;
}

export type SetGrantRequest = PrincipalSelector & { object_type: GrantableObjectType; object_id: string; permission: ObjectPermission };
export type DeleteGrantRequest = PrincipalSelector & { object_type: GrantableObjectType; object_id: string };

export interface AuditEvent {
  seq: number;
  time: number;
  actor: string;
  authMethod: string;
  workspace: string;
  action: string;
  target: string;
  requestId: string;
  sourceIp: string;
  outcome: 'success' | 'failure' | 'denied';
  status: number;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface AuditQuery {
  actor?: string;
  /** Exact action, or a prefix ending in `*` (e.g. `security.*`). */
  action?: string;
  target?: string;
  workspace?: string;
  outcome?: 'success' | 'failure' | 'denied';
  /** Epoch milliseconds, inclusive. */
  since?: number;
  /** Epoch milliseconds, exclusive. */
  until?: number;
  max_results?: number;
  page_token?: string;
  order?: 'asc' | 'desc';
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  headSeq: number;
  headHash: string;
  firstBadSeq?: number;
  problem?: string;
}

export interface SecurityRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
}

/** Every route of the security API, relative to CAPSTAN_API_PREFIX; `{name}` segments are path parameters. */
export const SECURITY_ROUTES = {
  whoami: { method: 'GET', path: '/whoami' },
  changePassword: { method: 'POST', path: '/me/password' },
  createUser: { method: 'POST', path: '/users' },
  listUsers: { method: 'GET', path: '/users' },
  getUser: { method: 'GET', path: '/users/{username}' },
  updateUser: { method: 'PATCH', path: '/users/{username}' },
  deleteUser: { method: 'DELETE', path: '/users/{username}' },
  createGroup: { method: 'POST', path: '/groups' },
  listGroups: { method: 'GET', path: '/groups' },
  getGroup: { method: 'GET', path: '/groups/{group}' },
  deleteGroup: { method: 'DELETE', path: '/groups/{group}' },
  addGroupMember: { method: 'PUT', path: '/groups/{group}/members/{username}' },
  removeGroupMember: { method: 'DELETE', path: '/groups/{group}/members/{username}' },
  createToken: { method: 'POST', path: '/tokens' },
  listTokens: { method: 'GET', path: '/tokens' },
  revokeToken: { method: 'DELETE', path: '/tokens/{token_id}' },
  createWorkspace: { method: 'POST', path: '/workspaces' },
  listWorkspaces: { method: 'GET', path: '/workspaces' },
  listWorkspaceMembers: { method: 'GET', path: '/workspaces/{workspace}/members' },
  setWorkspaceMember: { method: 'PUT', path: '/workspaces/{workspace}/members' },
  removeWorkspaceMember: { method: 'DELETE', path: '/workspaces/{workspace}/members' },
  setGrant: { method: 'PUT', path: '/grants' },
  deleteGrant: { method: 'DELETE', path: '/grants' },
  listGrants: { method: 'GET', path: '/grants' },
  queryAudit: { method: 'GET', path: '/audit/events' },
  exportAudit: { method: 'GET', path: '/audit/export' },
  verifyAudit: { method: 'GET', path: '/audit/verify' },
} as const satisfies Record<string, SecurityRoute>;

export type SecurityRouteName = keyof typeof SECURITY_ROUTES;

/** Request shapes, response shapes. */
export interface SecurityApi {
  whoami: [Record<string, never>, WhoAmI];
  changePassword: [ChangePasswordRequest, Record<string, never>];
  createUser: [CreateUserRequest, { user: User }];
  listUsers: [Record<string, never>, { users: User[] }];
  getUser: [{ username: string }, { user: User }];
  updateUser: [UpdateUserRequest & { username: string }, { user: User }];
  deleteUser: [{ username: string }, Record<string, never>];
  createGroup: [{ name: string; description?: string }, { group: Group }];
  listGroups: [Record<string, never>, { groups: Group[] }];
  getGroup: [{ group: string }, { group: Group }];
  deleteGroup: [{ group: string }, Record<string, never>];
  addGroupMember: [{ group: string; username: string }, { group: Group }];
  removeGroupMember: [{ group: string; username: string }, { group: Group }];
  createToken: [CreateTokenRequest, CreateTokenResponse];
  /** Own tokens; admins may pass `user`, or `all: true` for everyone's. */
  listTokens: [{ user?: string; all?: boolean }, { tokens: ApiTokenInfo[] }];
  revokeToken: [{ token_id: string }, { token_info: ApiTokenInfo }];
  createWorkspace: [{ name: string; description?: string }, { workspace: Workspace }];
  listWorkspaces: [Record<string, never>, { workspaces: Workspace[] }];
  listWorkspaceMembers: [{ workspace: string }, { members: WorkspaceMember[] }];
  setWorkspaceMember: [SetWorkspaceMemberRequest & { workspace: string }, { members: WorkspaceMember[] }];
  removeWorkspaceMember: [PrincipalSelector & { workspace: string }, { members: WorkspaceMember[] }];
  setGrant: [SetGrantRequest, { grants: Grant[] }];
  deleteGrant: [DeleteGrantRequest, { grants: Grant[] }];
  listGrants: [{ object_type: GrantableObjectType; object_id: string }, { grants: Grant[] }];
  queryAudit: [AuditQuery, { events: AuditEvent[]; next_page_token?: string }];
  /** JSON lines, one AuditEvent per line, oldest first. */
  exportAudit: [AuditQuery, string];
  verifyAudit: [Record<string, never>, AuditVerifyResult];
}

/** The header that chooses the workspace for objects a request creates (default: `default`). */
export const WORKSPACE_HEADER = 'x-capstan-workspace';
/** The experiment tag MLflow clients can set instead of the header: `mlflow.create_experiment(name, tags={...})`. */
export const WORKSPACE_TAG = 'capstan.workspace';
