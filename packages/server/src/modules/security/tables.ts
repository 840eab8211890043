import type { Generated } from 'kysely';

/**
 * Security tables as Kysely sees them. Times are epoch milliseconds; booleans are 0/1 integers so
 * both dialects store them alike. A principal is a user or a group, named by type and numeric id.
 */
export interface SecurityTables {
  users: UsersTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  workspaces: WorkspacesTable;
  workspace_members: WorkspaceMembersTable;
  access_grants: AccessGrantsTable;
  api_tokens: ApiTokensTable;
  instance_secrets: InstanceSecretsTable;
}

export type PrincipalType = 'user' | 'group';

export interface UsersTable {
  user_id: Generated<number>;
  username: string;
  /** `scrypt$...` (see passwords.ts); null for users who only sign in through the identity provider. */
  password_hash: string | null;
  is_admin: number;
  /** 'local' (created by an admin) or 'jwt' (first seen in an identity-provider token). */
  source: 'local' | 'jwt';
  disabled: number;
  created_at: number;
  updated_at: number;
}

export interface GroupsTable {
  group_id: Generated<number>;
  name: string;
  description: string;
  created_at: number;
}

export interface GroupMembersTable {
  group_id: number;
  user_id: number;
}

export interface WorkspacesTable {
  name: string;
  description: string;
  created_at: number;
}

export interface WorkspaceMembersTable {
  workspace: string;
  principal_type: PrincipalType;
  principal_id: number;
  role: string;
  /** The role's permission level (see permissions.ts), stored so SQL can take a maximum. */
  level: number;
}

export interface AccessGrantsTable {
  object_type: string;
  /** The object's wire id (experiment ids are decimal strings, as on the wire). */
  object_id: string;
  principal_type: PrincipalType;
  principal_id: number;
  permission: string;
  level: number;
}

export interface ApiTokensTable {
  /** Public id (`tok_...`), shown in listings and used to revoke; not a secret. */
  token_id: string;
  user_id: number;
  name: string;
  /** SHA-256 of the whole token: tokens are 256-bit random, so a fast hash cannot be brute-forced. */
  token_hash: string;
  /** Space-separated scopes. */
  scopes: string;
  /** JSON array of deployment names an `infer` token may call; null for any. */
  deployments: string | null;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface InstanceSecretsTable {
  name: string;
  value: string;
}
