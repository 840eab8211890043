import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecureTestApp, type SecureTestApp } from '../security/test-support/secure-app.js';
import { driverRepo } from './test-support/driver-repo.js';

const API = '/api/capstan/v1/features';

/**
 * A feature project is granted like an experiment: READ to see it, retrieve and read online
 * features, EDIT to apply, push and materialize; creating one needs EDIT in the workspace. The
 * Feast routes answer denials in Feast's error shape.
 */
describe('feature project access', () => {
  let t: SecureTestApp;
  const callers: Record<'stranger' | 'reader' | 'editor', string> = { stranger: '', reader: '', editor: '' };
  const online = { features: ['driver_daily:rating'], entities: { driver_id: [1001] } };
  const push = { push_source_name: 'driver_push', df: { driver_id: [1001], event_timestamp: ['2026-01-01T00:00:00Z'], conv_rate: [0.1], trips: [1] } };

  beforeAll(async () => {
    t = await createSecureTestApp('sqlite');
    for (const user of ['stranger', 'reader', 'editor'] as const) callers[user] = await t.userWithToken(user);
    const applied = await t.call(t.adminAuth, 'POST', `${API}/apply`, { definition: driverRepo('drivers'), base_revision: 0 });
    expect(applied.statusCode, applied.body).toBe(200);
    await t.admin('PUT', '/grants', { object_type: 'feature_project', object_id: 'drivers', user: 'reader', permission: 'READ' });
    await t.admin('PUT', '/grants', { object_type: 'feature_project', object_id: 'drivers', user: 'editor', permission: 'EDIT' });
  });
  afterAll(async () => t?.cleanup());

  const projects = async (caller: string) => ((await t.call(caller, 'GET', `${API}/projects`)).json().projects as { project: string }[]).map((p) => p.project);

  it('refuses a stranger everything, in each surface’s own error shape', async () => {
    expect((await t.call(callers.stranger, 'GET', `${API}/projects/drivers`)).statusCode).toBe(403);
    expect(await projects(callers.stranger)).toEqual([]);
    const read = await t.call(callers.stranger, 'POST', '/feature-server/drivers/get-online-features', online);
    expect(read.statusCode).toBe(403);
    expect(read.json()).toMatchObject({ module: 'capstan', class: 'PERMISSION_DENIED' });
    const create = await t.call(callers.stranger, 'POST', `${API}/apply`, { definition: driverRepo('mine'), base_revision: 0 });
    expect(create.statusCode).toBe(403);
    expect(create.json().message).toContain("Creating feature project 'mine' needs EDIT in workspace 'default'");
  });

  it('lets a reader read but not write, and an editor write', async () => {
    expect((await t.call(callers.reader, 'GET', `${API}/projects/drivers`)).statusCode).toBe(200);
    expect(await projects(callers.reader)).toEqual(['drivers']);
    expect((await t.call(callers.reader, 'POST', '/feature-server/drivers/get-online-features', online)).statusCode).toBe(200);
    expect((await t.call(callers.reader, 'POST', '/feature-server/drivers/push', push)).statusCode).toBe(403);
    expect((await t.call(callers.reader, 'POST', `${API}/apply`, { definition: driverRepo('drivers'), base_revision: 1 })).statusCode).toBe(403);

    const pushed = await t.call(callers.editor, 'POST', '/feature-server/drivers/push', push);
    expect(pushed.statusCode, pushed.body).toBe(200);
    const applied = await t.call(callers.editor, 'POST', `${API}/apply`, { definition: driverRepo('drivers'), base_revision: 1 });
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json().revision).toBe(2);
  });
});
