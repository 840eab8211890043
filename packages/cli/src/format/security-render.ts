import type { ApiTokenInfo, Group, User, WhoAmI } from '@capstan/contracts';
import { formatTable } from './table.js';
import { formatTime } from './values.js';

const yesNo = (value: boolean) => (value ? 'yes' : 'no');
const orDash = (items: readonly string[]) => (items.length ? items.join(',') : '-');

export function renderWhoAmI(who: WhoAmI): string {
  return formatTable(
    ['FIELD', 'VALUE'],
    [
      ['username', who.username],
      ['admin', yesNo(who.is_admin)],
      ['auth_method', who.auth_method],
      ['scopes', orDash(who.scopes)],
      ['groups', orDash(who.groups)],
      ...(who.token_id ? [['token_id', who.token_id]] : []),
      ['auth_mode', who.auth_mode],
    ],
  );
}

export function renderUsers(users: readonly User[]): string {
  return formatTable(
    ['USERNAME', 'ADMIN', 'SOURCE', 'STATUS', 'CREATED'],
    users.map((u) => [u.username, yesNo(u.is_admin), u.source, u.disabled ? 'disabled' : 'active', formatTime(u.created_at)]),
  );
}

export function renderGroups(groups: readonly Group[]): string {
  return formatTable(['NAME', 'MEMBERS', 'DESCRIPTION'], groups.map((g) => [g.name, orDash(g.members), g.description]));
}

/** A token's state at `now`: revoked, expired, or active. */
export function tokenStatus(token: ApiTokenInfo, now: number): string {
  if (token.revoked_at !== null) return 'revoked';
  return token.expires_at !== null && token.expires_at <= now ? 'expired' : 'active';
}

export function renderTokens(tokens: readonly ApiTokenInfo[], now: number): string {
  return formatTable(
    ['TOKEN ID', 'NAME', 'USER', 'SCOPES', 'STATUS', 'CREATED', 'EXPIRES', 'LAST USED'],
    tokens.map((t) => [
      t.token_id,
      t.name,
      t.user,
      t.scopes.join(','),
      tokenStatus(t, now),
      formatTime(t.created_at),
      t.expires_at === null ? 'never' : formatTime(t.expires_at),
      t.last_used_at === null ? '-' : formatTime(t.last_used_at),
    ]),
  );
}
