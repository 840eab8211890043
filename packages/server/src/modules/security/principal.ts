import type { Scope } from './permissions.js';

export type AuthMethod = 'none' | 'token' | 'basic' | 'jwt';

/** Who is calling, resolved once per request by the authentication hook. */
export interface Principal {
  /** null for the anonymous caller (auth off, or public routes). */
  userId: number | null;
  username: string;
  isAdmin: boolean;
  groupIds: readonly number[];
  authMethod: AuthMethod;
  /** What the credential may be used for; passwords and identity-provider tokens carry the user's full rights except `infer`. */
  scopes: readonly Scope[];
  /** Set when an API token authenticated the request. */
  tokenId?: string;
  /** Deployments an `infer` token is limited to; null for any. */
  deployments?: readonly string[] | null;
}

export const USER_SCOPES: readonly Scope[] = ['read', 'write', 'admin'];

/** Auth mode `none`: one local user who may do anything, recorded in the audit log as `anonymous`. */
export const LOCAL_SUPERUSER: Principal = {
  userId: null,
  username: 'anonymous',
  isAdmin: true,
  groupIds: [],
  authMethod: 'none',
  scopes: ['read', 'write', 'admin', 'infer'],
};

/** Auth mode `on`, no credentials: may reach only public routes. */
export const ANONYMOUS: Principal = {
  userId: null,
  username: 'anonymous',
  isAdmin: false,
  groupIds: [],
  authMethod: 'none',
  scopes: [],
};
