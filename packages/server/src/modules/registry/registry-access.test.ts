import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../adapters/sql/test-support/test-databases.js';
import { createSecureTestApp, type SecureTestApp } from '../security/test-support/secure-app.js';

const MLFLOW = '/api/2.0/mlflow';

describe.each(TEST_DIALECTS)('registry access control on %s', (dialect) => {
  let t: SecureTestApp;
  let owner: string;
  let reader: string;

  beforeAll(async () => {
    t = await createSecureTestApp(dialect);
    owner = await t.userWithToken('owner');
    reader = await t.userWithToken('model-reader');
    await t.admin('POST', '/workspaces', { name: 'risk' });
    await t.admin('PUT', '/workspaces/risk/members', { user: 'owner', role: 'editor' });
  });
  afterAll(async () => t.cleanup());

  it('creates models in a workspace, gives the creator MANAGE, and lets grants follow a rename', async () => {
    const created = await t.call(owner, 'POST', `${MLFLOW}/registered-models/create`, { name: 'fraud', tags: [{ key: 'capstan.workspace', value: 'risk' }] });
    expect(created.statusCode).toBe(200);
    expect((await t.call(owner, 'POST', `${MLFLOW}/registered-models/create`, { name: 'elsewhere' })).statusCode).toBe(403);
    await t.call(owner, 'PUT', '/api/capstan/v1/grants', { object_type: 'registered_model', object_id: 'fraud', user: 'model-reader', permission: 'READ' });
    expect((await t.call(reader, 'GET', `${MLFLOW}/registered-models/get`, { name: 'fraud' })).statusCode).toBe(200);
    expect((await t.call(reader, 'POST', `${MLFLOW}/model-versions/create`, { name: 'fraud', source: 's3://b/m' })).statusCode).toBe(403);
    expect((await t.call(owner, 'POST', `${MLFLOW}/registered-models/rename`, { name: 'fraud', new_name: 'fraud-detector' })).statusCode).toBe(200);
    expect((await t.call(reader, 'GET', `${MLFLOW}/registered-models/get`, { name: 'fraud-detector' })).statusCode).toBe(200);
    const grants = (await t.admin('GET', '/grants', { object_type: 'registered_model', object_id: 'fraud-detector' })).grants as { principal: string }[];
    expect(grants.map((g) => g.principal).sort()).toEqual(['model-reader', 'owner']);
  });

  it('leaves out unreadable models and their versions from searches, with full pages', async () => {
    for (let i = 0; i < 6; i++) {
      const name = `hidden-${i}`;
      await t.call(t.adminAuth, 'POST', `${MLFLOW}/registered-models/create`, { name });
      await t.call(t.adminAuth, 'POST', `${MLFLOW}/model-versions/create`, { name, source: 's3://b/m' });
      if (i % 2 === 0) await t.admin('PUT', '/grants', { object_type: 'registered_model', object_id: name, user: 'model-reader', permission: 'READ' });
    }
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const body = (await t.call(reader, 'GET', `${MLFLOW}/registered-models/search`, { filter: "name LIKE 'hidden-%'", max_results: 2, ...(token ? { page_token: token } : {}) })).json();
      const page = (body.registered_models ?? []) as { name: string }[];
      if (body.next_page_token) expect(page).toHaveLength(2);
      seen.push(...page.map((m) => m.name));
      token = body.next_page_token;
    } while (token);
    expect(seen).toEqual(['hidden-0', 'hidden-2', 'hidden-4']);
    const versions = (await t.call(reader, 'GET', `${MLFLOW}/model-versions/search`, { filter: "name LIKE 'hidden-%'" })).json().model_versions as { name: string }[];
    expect(versions.map((v) => v.name).sort()).toEqual(['hidden-0', 'hidden-2', 'hidden-4']);
  });

  it('drops grants when a model is deleted, so a new model of the same name starts clean', async () => {
    await t.call(t.adminAuth, 'POST', `${MLFLOW}/registered-models/create`, { name: 'short-lived' });
    await t.admin('PUT', '/grants', { object_type: 'registered_model', object_id: 'short-lived', user: 'model-reader', permission: 'MANAGE' });
    await t.call(t.adminAuth, 'DELETE', `${MLFLOW}/registered-models/delete`, { name: 'short-lived' });
    await t.call(t.adminAuth, 'POST', `${MLFLOW}/registered-models/create`, { name: 'short-lived' });
    expect((await t.call(reader, 'GET', `${MLFLOW}/registered-models/get`, { name: 'short-lived' })).statusCode).toBe(403);
  });
});
