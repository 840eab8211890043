import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, createSecureTestApp, type SecureTestApp } from '../test-support/secure-app.js';
import type { AuditEvent } from './audit-query.js';

const MLFLOW = '/api/2.0/mlflow';

/** The audit trail as users see it: what the server records, and what `audit verify` catches. */
describe('audit trail', () => {
  let t: SecureTestApp;
  let dir: string;
  let dbFile: string;
  let alice: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'capstan-audit-'));
    dbFile = join(dir, 'capstan.db');
    t = await createSecureTestApp('sqlite', {}, { backendStoreUri: `sqlite:///${dbFile}` });
    alice = await t.userWithToken('alice');
  });
  afterAll(async () => {
    await t.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  const events = async (query: Record<string, unknown>): Promise<AuditEvent[]> => {
    await t.security.audit.flush();
    return (await t.admin('GET', '/audit/events', query)).events as AuditEvent[];
  };

  it('records each change with actor, workspace, target, request id, address, outcome and before/after', async () => {
    const created = await t.call(t.adminAuth, 'POST', `${MLFLOW}/experiments/create`, { name: 'audited' }, { 'x-request-id': 'req-create-1' });
    const id = created.json().experiment_id as string;
    await t.call(t.adminAuth, 'POST', `${MLFLOW}/experiments/update`, { experiment_id: id, new_name: 'audited-renamed' }, { 'x-request-id': 'req-rename-1' });
    const [create] = await events({ action: 'mlflow.createExperiment' });
    expect(create).toMatchObject({ actor: ADMIN, authMethod: 'basic', workspace: 'default', target: `experiment:${id}`, requestId: 'req-create-1', sourceIp: '127.0.0.1', outcome: 'success', status: 200 });
    const [rename] = await events({ action: 'mlflow.updateExperiment' });
    expect(rename).toMatchObject({ target: `experiment:${id}`, requestId: 'req-rename-1', details: { before: { name: 'audited' }, after: { name: 'audited-renamed' } } });
  });

  it('records security events: denials, failed sign-ins, token creation and revocation, permission changes', async () => {
    const id = (await t.call(t.adminAuth, 'POST', `${MLFLOW}/experiments/create`, { name: 'secret-exp' })).json().experiment_id as string;
    expect((await t.call(alice, 'GET', `${MLFLOW}/experiments/get`, { experiment_id: id })).statusCode).toBe(403);
    expect((await t.call('Bearer cap_not-a-real-token', 'GET', `${MLFLOW}/experiments/get`, { experiment_id: id })).statusCode).toBe(401);
    await t.admin('PUT', '/grants', { object_type: 'experiment', object_id: id, user: 'alice', permission: 'READ' });
    const token = await t.admin('POST', '/tokens', { name: 'to-revoke', scopes: ['read'] });
    const tokenId = (token.token_info as { token_id: string }).token_id;
    await t.admin('DELETE', `/tokens/${tokenId}`);

    const denied = await events({ actor: 'alice', outcome: 'denied' });
    expect(denied[0]).toMatchObject({ action: 'mlflow.getExperiment', target: `experiment:${id}`, status: 403 });
    const failed = await events({ action: 'auth.failed' });
    expect(failed[0]).toMatchObject({ actor: 'anonymous', outcome: 'denied', status: 401, details: { reason: 'Invalid API token', method: 'token' } });
    const grant = await events({ action: 'security.setGrant' });
    expect(grant[0]).toMatchObject({ target: `experiment:${id}`, details: { before: { 'user:alice': null }, after: { 'user:alice': 'READ' } } });
    expect((await events({ action: 'security.createToken' }))[0]).toMatchObject({ target: `token:${tokenId}`, details: { after: { scopes: ['read'] } } });
    expect((await events({ action: 'security.revokeToken' }))[0]).toMatchObject({ target: `token:${tokenId}` });
    // The secret never reaches the trail.
    const everything = JSON.stringify(await events({ max_results: 1000 }));
    expect(everything).not.toContain(String(token.token));
  });

  it('filters by actor, action prefix, target and time range, and pages without gaps', async () => {
    const since = Date.now();
    for (let i = 0; i < 7; i++) await t.call(t.adminAuth, 'POST', `${MLFLOW}/experiments/create`, { name: `paged-${i}` });
    const until = Date.now() + 1;
    const seen: number[] = [];
    let token: string | undefined;
    do {
      await t.security.audit.flush();
      const page = await t.admin('GET', '/audit/events', { action: 'mlflow.create*', since, until, max_results: 3, ...(token ? { page_token: token } : {}) });
      seen.push(...(page.events as AuditEvent[]).map((e) => e.seq));
      token = page.next_page_token as string | undefined;
    } while (token);
    expect(seen).toHaveLength(7);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
    expect((await t.call(t.adminAuth, 'GET', '/api/capstan/v1/audit/events', { since: 'yesterday-ish' })).json().error_code).toBe('INVALID_PARAMETER_VALUE');
    expect((await t.call(alice, 'GET', '/api/capstan/v1/audit/events')).statusCode).toBe(403);
  });

  it('exports JSON lines oldest first', async () => {
    await t.security.audit.flush();
    const response = await t.call(t.adminAuth, 'GET', '/api/capstan/v1/audit/export', { actor: ADMIN });
    expect(response.headers['content-type']).toContain('application/x-ndjson');
    const lines = response.body.trimEnd().split('\n').map((line) => JSON.parse(line) as AuditEvent);
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.every((e) => e.actor === ADMIN)).toBe(true);
    expect(lines.map((e) => e.seq)).toEqual([...lines.map((e) => e.seq)].sort((a, b) => a - b));
  });

  it('verifies an intact chain and catches an entry edited in the database', async () => {
    await t.security.audit.flush();
    const intact = (await t.call(t.adminAuth, 'GET', '/api/capstan/v1/audit/verify')).json();
    expect(intact).toMatchObject({ ok: true });
    expect(intact.checked).toBeGreaterThan(10);

    const raw = new Database(dbFile);
    try {
      raw.prepare("update audit_events set actor = 'someone-else' where seq = 3").run();
    } finally {
      raw.close();
    }
    const tampered = (await t.call(t.adminAuth, 'GET', '/api/capstan/v1/audit/verify')).json();
    expect(tampered).toMatchObject({ ok: false, firstBadSeq: 3 });
    expect(tampered.problem).toContain('3');
  });
});
