import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CapstanApiError } from '../errors.js';
import { startAuthTestServer, TEST_ADMIN, type TestServer } from '../test-support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startAuthTestServer();
});
afterAll(async () => {
  await server.close();
});

const collect = async <T>(items: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
};
const admin = () => server.client({ username: TEST_ADMIN.username, password: TEST_ADMIN.password });

describe('security API against a real server', () => {
  it('authenticates with basic auth and with a token it created', async () => {
    await expect(admin().security.whoami()).resolves.toMatchObject({ username: 'root-admin', auth_method: 'basic', is_admin: true });
    const { token, token_info } = await admin().security.createToken({ name: 'sdk', scopes: ['read'] });
    const viaToken = server.client({ env: { CAPSTAN_TOKEN: token } });
    await expect(viaToken.security.whoami()).resolves.toMatchObject({ username: 'root-admin', auth_method: 'token', token_id: token_info.token_id, scopes: ['read'] });

    await admin().security.revokeToken({ token_id: token_info.token_id });
    const error = await viaToken.security.whoami().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CapstanApiError);
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
  });

  it('creates objects in the workspace the client names', async () => {
    await admin().security.createWorkspace({ name: 'sdk-team' });
    const { experiment_id } = await server.client({ username: TEST_ADMIN.username, password: TEST_ADMIN.password, workspace: 'sdk-team' }).createExperiment({ name: 'in-sdk-team' });
    await admin().security.verifyAudit(); // waits for pending audit writes
    const [created] = await collect(admin().security.auditEvents({ action: 'mlflow.createExperiment', target: `experiment:${experiment_id}` }));
    expect(created).toMatchObject({ workspace: 'sdk-team', actor: 'root-admin' });
  });

  it('pages through audit events and exports the same events as JSON lines', async () => {
    for (const name of ['g1', 'g2', 'g3', 'g4', 'g5']) await admin().security.createGroup({ name });
    const text = await admin().security.exportAudit({ action: 'security.createGroup' });
    const exported = text.trimEnd().split('\n').map((line) => JSON.parse(line) as { seq: number; target: string });
    expect(exported.map((e) => e.target)).toEqual(['group:g1', 'group:g2', 'group:g3', 'group:g4', 'group:g5']);

    const paged = await collect(admin().security.auditEvents({ action: 'security.createGroup', max_results: 2, order: 'asc' }));
    expect(paged.map((e) => e.seq)).toEqual(exported.map((e) => e.seq));
    const streamed = await collect(admin().security.exportAuditEvents({ action: 'security.createGroup' }));
    expect(streamed).toEqual(paged);
    await expect(admin().security.verifyAudit()).resolves.toMatchObject({ ok: true });
  });
});
