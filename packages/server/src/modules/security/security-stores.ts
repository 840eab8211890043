import type { SecurityContext } from './security-context.js';
import { GrantStore } from './stores/grant-store.js';
import { GroupStore } from './stores/group-store.js';
import { TokenStore } from './stores/token-store.js';
import { UserStore } from './stores/user-store.js';
import { WorkspaceStore } from './stores/workspace-store.js';

export interface SecurityStores {
  users: UserStore;
  groups: GroupStore;
  tokens: TokenStore;
  workspaces: WorkspaceStore;
  grants: GrantStore;
}

export function createSecurityStores(ctx: SecurityContext): SecurityStores {
  return {
    users: new UserStore(ctx),
    groups: new GroupStore(ctx),
    tokens: new TokenStore(ctx),
    workspaces: new WorkspaceStore(ctx),
    grants: new GrantStore(ctx),
  };
}
