import type { ApiTokenInfo, WhoAmI } from '@capstan/contracts';
import { describe, expect, it } from 'vitest';
import { renderTokens, renderWhoAmI, tokenStatus } from './security-render.js';

const token: ApiTokenInfo = {
  token_id: 'tok_1',
  user: 'bob',
  name: 'ci',
  scopes: ['read', 'write'],
  deployments: null,
  created_at: 1_700_000_000_000,
  expires_at: null,
  last_used_at: null,
  revoked_at: null,
};

describe('security renderers', () => {
  it('tells active, expired and revoked tokens apart', () => {
    expect(tokenStatus(token, 2_000_000_000_000)).toBe('active');
    expect(tokenStatus({ ...token, expires_at: 1_800_000_000_000 }, 1_800_000_000_000)).toBe('expired');
    expect(tokenStatus({ ...token, expires_at: 1_800_000_000_000, revoked_at: 1 }, 0)).toBe('revoked');
  });

  it('lists tokens without secrets, showing never-expiring and unused ones plainly', () => {
    expect(renderTokens([token], 1_700_000_000_000)).toBe(
      'TOKEN ID  NAME  USER  SCOPES      STATUS  CREATED               EXPIRES  LAST USED\n' +
        'tok_1     ci    bob   read,write  active  2023-11-14T22:13:20Z  never    -\n',
    );
  });

  it('shows the token ID only for token sign-ins', () => {
    const who: WhoAmI = { username: 'bob', is_admin: false, auth_method: 'basic', scopes: ['read'], groups: [], auth_mode: 'on' };
    expect(renderWhoAmI(who)).toMatch(/groups\s+-\nauth_mode\s+on\n$/);
    expect(renderWhoAmI({ ...who, groups: ['ml'], auth_method: 'token', token_id: 'tok_1' })).toMatch(/groups\s+ml\ntoken_id\s+tok_1\n/);
  });
});
