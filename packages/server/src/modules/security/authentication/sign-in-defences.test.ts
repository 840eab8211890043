import { Writable } from 'node:stream';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../core/config.js';
import { createLogger } from '../../../core/logger.js';
import { createApp, type CapstanApp } from '../../../app/create-app.js';
import { startServer } from '../../../app/start-server.js';
import { ADMIN, ADMIN_PASSWORD, basic, createSecureTestApp, type SecureTestApp } from '../test-support/secure-app.js';
import { startJwksServer, type JwksServer } from './jwt/test-support/jwks-server.js';

const WHOAMI = '/api/capstan/v1/whoami';

describe('failed sign-in throttling', () => {
  let t: SecureTestApp;
  beforeAll(async () => {
    t = await createSecureTestApp('sqlite', { throttle: { maxFailuresPerUser: 3, maxFailuresPerAddress: 8, windowSeconds: 60 } });
    await t.admin('POST', '/users', { username: 'victim', password: 'victim-password-1' });
    await t.admin('POST', '/users', { username: 'bystander', password: 'bystander-pass-1' });
  });
  afterAll(async () => t.cleanup());

  it('locks an account after repeated failures, even against the right password, and leaves others alone', async () => {
    for (let i = 0; i < 3; i++) expect((await t.call(basic('victim', `guess-${i}`), 'GET', WHOAMI)).statusCode).toBe(401);
    const locked = await t.call(basic('victim', 'victim-password-1'), 'GET', WHOAMI);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error_code).toBe('REQUEST_LIMIT_EXCEEDED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await t.call(basic('bystander', 'bystander-pass-1'), 'GET', WHOAMI)).statusCode).toBe(200);
  });

  it('locks a source address that sprays guesses across accounts and tokens', async () => {
    for (let i = 0; i < 5; i++) await t.call(`Bearer cap_forged${i}`, 'GET', WHOAMI);
    const blocked = await t.call('Bearer cap_another', 'GET', WHOAMI);
    expect(blocked.statusCode).toBe(429);
    expect((await t.call(basic('bystander', 'bystander-pass-1'), 'GET', WHOAMI)).statusCode).toBe(429);
    // The lockout start is in the audit trail, once.
    await t.security.audit.flush();
    const { events } = await t.security.audit.query({ action: 'auth.failed' });
    expect(events.filter((e) => e.details.lockout_started === true).length).toBeGreaterThanOrEqual(1);
  });
});

describe('identity-provider tokens (JWT)', () => {
  let t: SecureTestApp;
  let jwks: JwksServer;
  let sign: (claims: Record<string, unknown>) => Promise<string>;
  const issuer = 'https://idp.example.test/';
  const audience = 'capstan';

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwks = await startJwksServer([jwk]);
    sign = (claims) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(issuer).setAudience(audience).setIssuedAt().setExpirationTime('5m').sign(privateKey);
    t = await createSecureTestApp('sqlite', { jwt: { jwksUrl: jwks.url, issuer, audience, usernameClaim: 'preferred_username', groupsClaim: 'groups', adminGroup: 'platform-admins' } });
  });
  afterAll(async () => {
    await t.cleanup();
    await jwks.close();
  });

  it('signs in a new user, maps claimed groups onto Capstan groups, and applies their grants', async () => {
    await t.admin('POST', '/groups', { name: 'data-science' });
    const experimentId = (await t.call(t.adminAuth, 'POST', '/api/2.0/mlflow/experiments/create', { name: 'jwt-exp' })).json().experiment_id as string;
    await t.admin('PUT', '/grants', { object_type: 'experiment', object_id: experimentId, group: 'data-science', permission: 'READ' });
    const token = `Bearer ${await sign({ sub: 'u-123', preferred_username: 'dana', groups: ['data-science', 'unknown-group'] })}`;
    const me = await t.call(token, 'GET', WHOAMI);
    expect(me.json()).toMatchObject({ username: 'dana', auth_method: 'jwt', is_admin: false, groups: ['data-science'] });
    expect((await t.call(token, 'GET', '/api/2.0/mlflow/experiments/get', { experiment_id: experimentId })).statusCode).toBe(200);
    expect((await t.call(token, 'POST', '/api/2.0/mlflow/experiments/update', { experiment_id: experimentId, new_name: 'x' })).statusCode).toBe(403);
    const users = (await t.admin('GET', '/users')).users as { username: string; source: string }[];
    expect(users.find((u) => u.username === 'dana')?.source).toBe('jwt');
  });

  it('makes members of the configured admin group administrators', async () => {
    const token = `Bearer ${await sign({ preferred_username: 'ops-lead', groups: 'platform-admins other' })}`;
    expect((await t.call(token, 'GET', WHOAMI)).json()).toMatchObject({ username: 'ops-lead', is_admin: true });
  });

  it('rejects tokens signed with a key the identity provider never published', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ preferred_username: 'mallory' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(issuer).setAudience(audience).setExpirationTime('5m').sign(privateKey);
    const response = await t.call(`Bearer ${forged}`, 'GET', WHOAMI);
    expect(response.statusCode).toBe(401);
    expect(response.json().message).toContain('signature');
  });
});

describe('secrets in logs', () => {
  it('never writes a token, password or JWT to the log, even at trace level', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const config = loadConfig({
      env: {},
      overrides: { backendStoreUri: 'sqlite://:memory:', artifactsDestination: '/tmp/capstan-log-test', auth: { mode: 'on', adminUsername: ADMIN, adminPassword: ADMIN_PASSWORD } },
    });
    const capstan: CapstanApp = await createApp(config, { logger: createLogger('trace', sink) });
    try {
      const adminAuth = basic(ADMIN, ADMIN_PASSWORD);
      const inject = (authorization: string, method: 'GET' | 'POST', url: string, payload?: object) =>
        capstan.app.inject({ method, url, headers: { authorization }, ...(payload ? { payload } : {}) });
      const created = await inject(adminAuth, 'POST', '/api/capstan/v1/users', { username: 'logged-user', password: 'user-secret-password' });
      expect(created.statusCode).toBe(200);
      const token = (await inject(adminAuth, 'POST', '/api/capstan/v1/tokens', { name: 'ci', scopes: ['read'] })).json().token as string;
      await inject(`Bearer ${token}`, 'GET', WHOAMI);
      await inject(basic('logged-user', 'user-secret-password'), 'GET', WHOAMI);
      await inject('Bearer cap_wrong-token-value', 'GET', WHOAMI);
      await inject(`Bearer ${token}`, 'GET', '/api/2.0/mlflow/experiments/get?experiment_id=0');
      const log = lines.join('');
      expect(log.length).toBeGreaterThan(0);
      for (const secret of [token, ADMIN_PASSWORD, 'user-secret-password', 'cap_wrong-token-value', Buffer.from(`${ADMIN}:${ADMIN_PASSWORD}`).toString('base64')]) {
        expect(log).not.toContain(secret);
      }
    } finally {
      await capstan.close();
    }
  });
});

describe('auth off', () => {
  it('refuses to listen beyond loopback unless told to', async () => {
    const base = { env: {}, overrides: { port: 0, logLevel: 'silent' as const, backendStoreUri: 'sqlite://:memory:', artifactsDestination: '/tmp/capstan-bind-test' } };
    await expect(startServer(loadConfig({ ...base, overrides: { ...base.overrides, host: '0.0.0.0' } }))).rejects.toThrow(/Refusing to listen on 0\.0\.0\.0/);
    const allowed = await startServer(loadConfig({ ...base, overrides: { ...base.overrides, host: '0.0.0.0', auth: { allowInsecureRemote: true } } }));
    await allowed.close();
    const secured = await startServer(loadConfig({ ...base, overrides: { ...base.overrides, host: '0.0.0.0', auth: { mode: 'on' } } }));
    await secured.close();
  });
});

const REDIS_URL = process.env.CAPSTAN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe.each(REDIS_URL === 'off' ? [] : ['redis'])('throttling shared by replicas on %s', () => {
  it('locks an account on every replica once failures on any of them reach the limit', async () => {
    const throttle = { maxFailuresPerUser: 4, maxFailuresPerAddress: 1000, windowSeconds: 60 };
    const first = await createSecureTestApp('sqlite', { throttle }, { redisUrl: REDIS_URL });
    const second = await createSecureTestApp('sqlite', { throttle }, { redisUrl: REDIS_URL });
    // A username no other run of this test has used, so the shared counters start at zero.
    const username = `replica-user-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
    try {
      for (const t of [first, second]) await t.admin('POST', '/users', { username, password: 'replica-password-1' });
      await first.call(basic(username, 'wrong-1'), 'GET', WHOAMI);
      await second.call(basic(username, 'wrong-2'), 'GET', WHOAMI);
      await first.call(basic(username, 'wrong-3'), 'GET', WHOAMI);
      expect((await second.call(basic(username, 'wrong-4'), 'GET', WHOAMI)).statusCode).toBe(401);
      expect((await first.call(basic(username, 'replica-password-1'), 'GET', WHOAMI)).statusCode).toBe(429);
      expect((await second.call(basic(username, 'replica-password-1'), 'GET', WHOAMI)).statusCode).toBe(429);
    } finally {
      await first.cleanup();
      await second.cleanup();
    }
  });
});
