import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../adapters/sql/test-support/test-databases.js';
import { createSecureTestApp, type SecureTestApp } from '../test-support/secure-app.js';

const MLFLOW = '/api/2.0/mlflow';

describe.each(TEST_DIALECTS)('authorization on %s', (dialect) => {
  let t: SecureTestApp;
  let alice: string;
  let bob: string;
  let carol: string;

  beforeAll(async () => {
    t = await createSecureTestApp(dialect);
    alice = await t.userWithToken('alice');
    bob = await t.userWithToken('bob');
    carol = await t.userWithToken('carol');
    await t.admin('POST', '/workspaces', { name: 'fraud' });
    await t.admin('PUT', '/workspaces/fraud/members', { user: 'alice', role: 'editor' });
    await t.admin('POST', '/groups', { name: 'analysts' });
    await t.admin('PUT', '/groups/analysts/members/bob', {});
  });
  afterAll(async () => t.cleanup());

  const createExperiment = async (auth: string, name: string, workspace?: string) =>
    t.call(auth, 'POST', `${MLFLOW}/experiments/create`, { name, ...(workspace ? { tags: [{ key: 'capstan.workspace', value: workspace }] } : {}) });

  it('lets workspace editors create experiments there, and only there', async () => {
    expect((await createExperiment(alice, 'fraud-model', 'fraud')).statusCode).toBe(200);
    const elsewhere = await createExperiment(alice, 'default-model');
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json().message).toContain('editor role in workspace default');
    expect((await createExperiment(bob, 'bob-model', 'fraud')).statusCode).toBe(403);
    const viaHeader = await t.call(alice, 'POST', `${MLFLOW}/experiments/create`, { name: 'by-header' }, { 'x-capstan-workspace': 'fraud' });
    expect(viaHeader.statusCode).toBe(200);
    expect((await createExperiment(alice, 'nowhere', 'no-such-ws')).json().error_code).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it('gives creators MANAGE on what they create, as MLflow does', async () => {
    const id = (await createExperiment(alice, 'created-by-alice', 'fraud')).json().experiment_id as string;
    const grants = (await t.admin('GET', '/grants', { object_type: 'experiment', object_id: id })).grants;
    expect(grants).toEqual([{ object_type: 'experiment', object_id: id, principal_type: 'user', principal: 'alice', permission: 'MANAGE' }]);
    // MANAGE lets alice share it.
    expect((await t.call(alice, 'PUT', '/api/capstan/v1/grants', { object_type: 'experiment', object_id: id, user: 'carol', permission: 'READ' })).statusCode).toBe(200);
    expect((await t.call(carol, 'GET', `${MLFLOW}/experiments/get`, { experiment_id: id })).statusCode).toBe(200);
    // READ does not let carol share it further.
    expect((await t.call(carol, 'PUT', '/api/capstan/v1/grants', { object_type: 'experiment', object_id: id, user: 'bob', permission: 'READ' })).statusCode).toBe(403);
  });

  it('applies group grants to members, lets a user grant override them, and honours NO_PERMISSIONS', async () => {
    const id = (await createExperiment(t.adminAuth, 'group-shared', 'fraud')).json().experiment_id as string;
    const get = (auth: string) => t.call(auth, 'GET', `${MLFLOW}/experiments/get`, { experiment_id: id });
    expect((await get(bob)).statusCode).toBe(403);
    await t.admin('PUT', '/grants', { object_type: 'experiment', object_id: id, group: 'analysts', permission: 'EDIT' });
    expect((await get(bob)).statusCode).toBe(200);
    expect((await t.call(bob, 'POST', `${MLFLOW}/experiments/set-experiment-tag`, { experiment_id: id, key: 'k', value: 'v' })).statusCode).toBe(200);
    await t.admin('PUT', '/grants', { object_type: 'experiment', object_id: id, user: 'bob', permission: 'NO_PERMISSIONS' });
    expect((await get(bob)).statusCode).toBe(403);
    // Alice is an editor of the workspace; an explicit NO_PERMISSIONS grant still shuts her out.
    expect((await get(alice)).statusCode).toBe(200);
    await t.admin('PUT', '/grants', { object_type: 'experiment', object_id: id, user: 'alice', permission: 'NO_PERMISSIONS' });
    expect((await get(alice)).statusCode).toBe(403);
    await t.admin('DELETE', '/grants', { object_type: 'experiment', object_id: id, user: 'alice' });
    expect((await get(alice)).statusCode).toBe(200);
  });

  it('reaches runs, metrics, artifacts and logged models through their experiment', async () => {
    const id = (await createExperiment(t.adminAuth, 'deep-objects', 'fraud')).json().experiment_id as string;
    const run = (await t.call(t.adminAuth, 'POST', `${MLFLOW}/runs/create`, { experiment_id: id })).json().run.info;
    await t.call(t.adminAuth, 'PUT', `/api/2.0/mlflow-artifacts/artifacts/${id}/${run.run_id}/artifacts/notes.txt`, undefined, { 'content-type': 'application/octet-stream' });
    const model = (await t.call(t.adminAuth, 'POST', `${MLFLOW}/logged-models`, { experiment_id: id, name: 'm' })).json().model.info;
    const reads = [
      ['GET', `${MLFLOW}/runs/get`, { run_id: run.run_id }],
      ['GET', `${MLFLOW}/metrics/get-history`, { run_id: run.run_id, metric_key: 'loss' }],
      ['GET', `${MLFLOW}/metrics/get-history-bulk-interval`, { run_ids: [run.run_id], metric_key: 'loss' }],
      ['GET', `${MLFLOW}/artifacts/list`, { run_id: run.run_id }],
      ['GET', `/api/2.0/mlflow-artifacts/artifacts/${id}/${run.run_id}/artifacts/notes.txt`, undefined],
      ['GET', `${MLFLOW}/logged-models/${model.model_id}`, undefined],
    ] as const;
    for (const [method, url, body] of reads) {
      expect((await t.call(carol, method, url, body)).statusCode, url).toBe(403);
      expect((await t.call(alice, method, url, body)).statusCode, url).not.toBe(403);
    }
    // Bulk history over runs of two experiments needs READ on both.
    const other = (await createExperiment(t.adminAuth, 'other-exp')).json().experiment_id as string;
    const otherRun = (await t.call(t.adminAuth, 'POST', `${MLFLOW}/runs/create`, { experiment_id: other })).json().run.info.run_id as string;
    const bulk = await t.call(alice, 'GET', `${MLFLOW}/metrics/get-history-bulk-interval`, { run_ids: [run.run_id, otherRun], metric_key: 'loss' });
    expect(bulk.statusCode).toBe(403);
  });

  it('keeps the top of the artifact store and foreign folders to administrators', async () => {
    expect((await t.call(alice, 'GET', '/api/2.0/mlflow-artifacts/artifacts', { path: '' })).statusCode).toBe(403);
    expect((await t.call(alice, 'PUT', '/api/2.0/mlflow-artifacts/artifacts/shared/file.txt', undefined, { 'content-type': 'application/octet-stream' })).statusCode).toBe(403);
    expect((await t.call(t.adminAuth, 'GET', '/api/2.0/mlflow-artifacts/artifacts', { path: '' })).statusCode).toBe(200);
  });
});

describe.each(TEST_DIALECTS)('search filtering on %s', (dialect) => {
  let t: SecureTestApp;
  let reader: string;
  const readable: string[] = [];
  const all: string[] = [];

  beforeAll(async () => {
    t = await createSecureTestApp(dialect);
    reader = await t.userWithToken('reader');
    await t.admin('POST', '/workspaces', { name: 'team' });
    await t.admin('PUT', '/workspaces/team/members', { user: 'reader', role: 'viewer' });
    for (let i = 0; i < 24; i++) {
      const workspace = i % 6 === 0 ? 'team' : 'default';
      const id = (await t.call(t.adminAuth, 'POST', `${MLFLOW}/experiments/create`, { name: `exp-${String(i).padStart(2, '0')}`, tags: [{ key: 'capstan.workspace', value: workspace }] })).json()
        .experiment_id as string;
      all.push(id);
      await t.call(t.adminAuth, 'POST', `${MLFLOW}/runs/create`, { experiment_id: id, run_name: `run-${i}` });
      if (workspace === 'team' && i !== 12) readable.push(id);
      else if (i % 5 === 0) {
        await t.admin('PUT', '/grants', { object_type: 'experiment', object_id: id, user: 'reader', permission: 'READ' });
        readable.push(id);
      }
    }
    // A viewer of `team` shut out of one experiment there by an explicit grant.
    await t.admin('PUT', '/grants', { object_type: 'experiment', object_id: all[12]!, user: 'reader', permission: 'NO_PERMISSIONS' });
  });
  afterAll(async () => t.cleanup());

  it('returns exactly the readable experiments, page by page, without gaps or repeats', async () => {
    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const body = await t.call(reader, 'POST', `${MLFLOW}/experiments/search`, { max_results: 2, order_by: ['name ASC'], ...(pageToken ? { page_token: pageToken } : {}) });
      expect(body.statusCode).toBe(200);
      const json = body.json() as { experiments?: { experiment_id: string }[]; next_page_token?: string };
      const page = json.experiments ?? [];
      if (json.next_page_token) expect(page).toHaveLength(2);
      seen.push(...page.map((e) => e.experiment_id));
      pageToken = json.next_page_token;
      pages++;
    } while (pageToken && pages < 50);
    expect(seen).toEqual(readable);
    const everything = (await t.call(t.adminAuth, 'POST', `${MLFLOW}/experiments/search`, { max_results: 1000 })).json().experiments as unknown[];
    expect(everything.length).toBe(all.length + 1);
  });

  it('drops unreadable experiments from run, logged-model and dataset searches silently', async () => {
    const runs = await t.call(reader, 'POST', `${MLFLOW}/runs/search`, { experiment_ids: all, max_results: 1000 });
    expect(runs.statusCode).toBe(200);
    const experimentsOfRuns = (runs.json().runs as { info: { experiment_id: string } }[]).map((r) => r.info.experiment_id).sort();
    expect(experimentsOfRuns).toEqual([...readable].sort());
    const models = await t.call(reader, 'POST', `${MLFLOW}/logged-models/search`, { experiment_ids: all });
    expect(models.statusCode).toBe(200);
    const datasets = await t.call(reader, 'POST', `${MLFLOW}/experiments/search-datasets`, { experiment_ids: all });
    expect(datasets.statusCode).toBe(200);
    const none = await t.call(reader, 'POST', `${MLFLOW}/runs/search`, { experiment_ids: [all[1]] });
    expect(none.json()).toEqual({});
  });

  it('pages run searches over readable experiments only', async () => {
    const seen: string[] = [];
    let pageToken: string | undefined;
    do {
      const json = (await t.call(reader, 'POST', `${MLFLOW}/runs/search`, { experiment_ids: all, max_results: 3, ...(pageToken ? { page_token: pageToken } : {}) })).json();
      seen.push(...((json.runs ?? []) as { info: { run_id: string } }[]).map((r) => r.info.run_id));
      pageToken = json.next_page_token as string | undefined;
    } while (pageToken);
    expect(new Set(seen).size).toBe(readable.length);
    expect(seen).toHaveLength(readable.length);
  });
});
