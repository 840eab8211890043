import type { Kysely } from 'kysely';
import { invalidParameter } from '../../../core/errors.js';
import type { PrincipalType, SecurityTables } from '../tables.js';
import type { GroupStore } from './group-store.js';
import type { UserStore } from './user-store.js';

/** How the admin API names a principal: `{"user": "alice"}` or `{"group": "ml-team"}`. */
export interface PrincipalRef {
  type: PrincipalType;
  name: string;
  id: number;
}

export async function resolvePrincipalRef(input: Record<string, unknown>, users: UserStore, groups: GroupStore): Promise<PrincipalRef> {
  const { user, group } = input;
  if (typeof user === 'string' && group === undefined) return { type: 'user', name: user, id: (await users.require(user)).userId };
  if (typeof group === 'string' && user === undefined) return { type: 'group', name: group, id: (await groups.require(group)).groupId };
  throw invalidParameter('Name exactly one principal: "user" or "group"');
}

/** Turns stored (type, id) pairs back into names for listings. */
export async function principalNames(
  db: Kysely<SecurityTables>,
  rows: readonly { principal_type: PrincipalType; principal_id: number }[],
): Promise<Map<string, string>> {
  const userIds = rows.filter((r) => r.principal_type === 'user').map((r) => Number(r.principal_id));
  const groupIds = rows.filter((r) => r.principal_type === 'group').map((r) => Number(r.principal_id));
  const names = new Map<string, string>();
  if (userIds.length) {
    for (const u of await db.selectFrom('users').select(['user_id', 'username']).where('user_id', 'in', userIds).execute()) {
      names.set(`user:${Number(u.user_id)}`, u.username);
    }
  }
  if (groupIds.length) {
    for (const g of await db.selectFrom('groups').select(['group_id', 'name']).where('group_id', 'in', groupIds).execute()) {
      names.set(`group:${Number(g.group_id)}`, g.name);
    }
  }
  return names;
}
