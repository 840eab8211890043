import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../adapters/sql/test-support/test-databases.js';
import { ADMIN, ADMIN_PASSWORD, basic, createSecureTestApp, type SecureTestApp } from '../test-support/secure-app.js';

const WHOAMI = '/api/capstan/v1/whoami';

describe.each(TEST_DIALECTS)('authentication on %s', (dialect) => {
  let t: SecureTestApp;
  beforeAll(async () => {
    t = await createSecureTestApp(dialect);
  });
  afterAll(async () => t.cleanup());

  it('answers 401 in MLflow shape with a challenge when credentials are missing, except on health probes', async () => {
    const response = await t.call(undefined, 'GET', '/api/2.0/mlflow/experiments/get', { experiment_id: '0' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error_code: 'UNAUTHENTICATED', message: expect.stringContaining('Authentication required') });
    expect(response.headers['www-authenticate']).toBe('Bearer realm="capstan"');
    for (const probe of ['/health', '/health/live', '/health/ready', '/version']) {
      expect((await t.call(undefined, 'GET', probe)).statusCode).toBe(200);
    }
    // Unknown URLs need credentials too, so a stranger cannot map the API by probing.
    expect((await t.call(undefined, 'GET', '/api/2.0/mlflow/no-such-thing')).statusCode).toBe(401);
    expect((await t.call(t.adminAuth, 'GET', '/api/2.0/mlflow/no-such-thing')).statusCode).toBe(404);
  });

  it('accepts Basic credentials of the bootstrap admin and rejects wrong ones alike for unknown users', async () => {
    const me = await t.call(t.adminAuth, 'GET', WHOAMI);
    expect(me.json()).toMatchObject({ username: ADMIN, is_admin: true, auth_method: 'basic', auth_mode: 'on' });
    const wrong = await t.call(basic(ADMIN, 'not the password'), 'GET', WHOAMI);
    const unknown = await t.call(basic('nobody-here', 'whatever-password'), 'GET', WHOAMI);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().message).toBe(unknown.json().message);
    expect(wrong.headers['www-authenticate']).toContain('Basic');
  });

  it('rejects malformed and unsupported authorization headers', async () => {
    for (const header of ['Basic !!!notbase64', `Basic ${Buffer.from('no-colon').toString('base64')}`, 'Digest abc', 'Bearer', 'Bearer cap_', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig']) {
      const response = await t.call(header, 'GET', WHOAMI);
      expect(response.statusCode, header).toBe(401);
      expect(response.json().error_code).toBe('UNAUTHENTICATED');
    }
  });

  it('authenticates API tokens, records their use, and honours revocation on the very next request', async () => {
    const bearer = await t.userWithToken('token-user', ['read']);
    const me = await t.call(bearer, 'GET', WHOAMI);
    expect(me.json()).toMatchObject({ username: 'token-user', auth_method: 'token', scopes: ['read'] });
    const tokenId = me.json().token_id as string;
    const listed = (await t.admin('GET', '/tokens', { user: 'token-user' })).tokens as { token_id: string; last_used_at: number | null }[];
    expect(listed.find((x) => x.token_id === tokenId)?.last_used_at).toBeGreaterThan(0);
    expect(JSON.stringify(listed)).not.toContain(bearer.slice('Bearer '.length));

    await t.admin('DELETE', `/tokens/${tokenId}`);
    const after = await t.call(bearer, 'GET', WHOAMI);
    expect(after.statusCode).toBe(401);
    expect(after.json().message).toContain('revoked');
  });

  it('refuses an expired token', async () => {
    await t.admin('POST', '/users', { username: 'short-lived' });
    const created = await t.admin('POST', '/tokens', { user: 'short-lived', name: 'brief', scopes: ['read'], expires_at: Date.now() + 600 });
    const bearer = `Bearer ${String(created.token)}`;
    expect((await t.call(bearer, 'GET', WHOAMI)).statusCode).toBe(200);
    await sleep(700);
    const expired = await t.call(bearer, 'GET', WHOAMI);
    expect(expired.statusCode).toBe(401);
    expect(expired.json().message).toContain('expired');
    const past = await t.call(t.adminAuth, 'POST', '/api/capstan/v1/tokens', { name: 'x', scopes: ['read'], expires_at: Date.now() - 1 });
    expect(past.json().error_code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('limits a token to its scopes and never lets it mint a stronger one', async () => {
    const reader = await t.userWithToken('scoped-reader', ['read']);
    const created = await t.call(t.adminAuth, 'POST', '/api/2.0/mlflow/experiments/create', { name: 'scoped-exp' });
    const experimentId = created.json().experiment_id as string;
    await t.admin('PUT', '/grants', { object_type: 'experiment', object_id: experimentId, user: 'scoped-reader', permission: 'MANAGE' });
    expect((await t.call(reader, 'GET', '/api/2.0/mlflow/experiments/get', { experiment_id: experimentId })).statusCode).toBe(200);
    const write = await t.call(reader, 'POST', '/api/2.0/mlflow/experiments/update', { experiment_id: experimentId, new_name: 'renamed' });
    expect(write.statusCode).toBe(403);
    expect(write.json()).toEqual({ error_code: 'PERMISSION_DENIED', message: expect.stringContaining("lacks the 'write' scope") });
    const mint = await t.call(reader, 'POST', '/api/capstan/v1/tokens', { name: 'stronger', scopes: ['write'] });
    expect(mint.statusCode).toBe(403);
    const inferOnly = await t.userWithToken('service-account', ['infer']);
    expect((await t.call(inferOnly, 'GET', '/api/2.0/mlflow/experiments/get', { experiment_id: experimentId })).statusCode).toBe(403);
    // A non-admin's admin-scoped token is refused at creation: the scope could never be used.
    const adminScope = await t.call(t.adminAuth, 'POST', '/api/capstan/v1/tokens', { user: 'scoped-reader', name: 'x', scopes: ['admin'] });
    expect(adminScope.json().error_code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('refuses disabled users, whatever credential they present', async () => {
    const bearer = await t.userWithToken('leaver', ['read'], 'leaver-password-1');
    expect((await t.call(basic('leaver', 'leaver-password-1'), 'GET', WHOAMI)).statusCode).toBe(200);
    await t.admin('PATCH', '/users/leaver', { disabled: true });
    expect((await t.call(bearer, 'GET', WHOAMI)).statusCode).toBe(401);
    expect((await t.call(basic('leaver', 'leaver-password-1'), 'GET', WHOAMI)).statusCode).toBe(401);
  });

  it('lets users change their own password and checks the current one', async () => {
    await t.admin('POST', '/users', { username: 'changer', password: 'first-password-1' });
    const auth = basic('changer', 'first-password-1');
    const wrong = await t.call(auth, 'POST', '/api/capstan/v1/me/password', { current_password: 'nope', new_password: 'second-password-2' });
    expect(wrong.statusCode).toBe(403);
    const short = await t.call(auth, 'POST', '/api/capstan/v1/me/password', { current_password: 'first-password-1', new_password: 'short' });
    expect(short.json().error_code).toBe('INVALID_PARAMETER_VALUE');
    expect((await t.call(auth, 'POST', '/api/capstan/v1/me/password', { current_password: 'first-password-1', new_password: 'second-password-2' })).statusCode).toBe(200);
    expect((await t.call(auth, 'GET', WHOAMI)).statusCode).toBe(401);
    expect((await t.call(basic('changer', 'second-password-2'), 'GET', WHOAMI)).statusCode).toBe(200);
  });

  it('stops administrators from locking themselves out', async () => {
    const demote = await t.call(t.adminAuth, 'PATCH', `/api/capstan/v1/users/${ADMIN}`, { is_admin: false });
    expect(demote.json().error_code).toBe('INVALID_PARAMETER_VALUE');
    expect((await t.call(t.adminAuth, 'DELETE', `/api/capstan/v1/users/${ADMIN}`)).statusCode).toBe(400);
    expect((await t.call(t.adminAuth, 'GET', WHOAMI)).json().is_admin).toBe(true);
  });

  it('never stores or returns a password hash', async () => {
    const users = (await t.admin('GET', '/users')).users as Record<string, unknown>[];
    expect(users.length).toBeGreaterThan(0);
    for (const user of users) expect(Object.keys(user).sort()).toEqual(['created_at', 'disabled', 'is_admin', 'source', 'updated_at', 'username']);
    expect(JSON.stringify(users)).not.toContain(ADMIN_PASSWORD);
  });
});
