import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecureTestApp, type SecureTestApp } from '../security/test-support/secure-app.js';

const API = '/api/capstan/v1';
const MLFLOW = '/api/2.0/mlflow';

/**
 * A dataset-pair monitor's access is that of the experiments holding its files' runs: READ to see
 * it (and to find it in the list), EDIT to run or change it; a caller who cannot read those
 * experiments cannot watch their data through a monitor either.
 */
describe('dataset-pair monitor access', () => {
  let t: SecureTestApp;
  const callers: Record<'stranger' | 'reader' | 'editor', string> = { stranger: '', reader: '', editor: '' };
  let pair: Record<string, unknown>;

  beforeAll(async () => {
    t = await createSecureTestApp('sqlite');
    for (const user of ['stranger', 'reader', 'editor'] as const) callers[user] = await t.userWithToken(user);
    const experimentId = (await t.call(t.adminAuth, 'POST', `${MLFLOW}/experiments/create`, { name: 'batch-scoring' })).json().experiment_id as string;
    const runId = (await t.call(t.adminAuth, 'POST', `${MLFLOW}/runs/create`, { experiment_id: experimentId })).json().run.info.run_id as string;
    await t.admin('PUT', '/grants', { object_type: 'experiment', object_id: experimentId, user: 'reader', permission: 'READ' });
    await t.admin('PUT', '/grants', { object_type: 'experiment', object_id: experimentId, user: 'editor', permission: 'EDIT' });
    const csv = ['x,y', ...Array.from({ length: 40 }, (_, i) => `${i},${i % 3}`)].join('\n');
    for (const file of ['ref.csv', 'cur.csv']) {
      const put = await t.app.inject({ method: 'PUT', url: `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/${file}`, payload: csv, headers: { authorization: t.adminAuth, 'content-type': 'text/csv' } });
      expect(put.statusCode, put.body).toBe(200);
    }
    pair = { name: 'batch', datasets: { reference: `runs:/${runId}/ref.csv`, current: `runs:/${runId}/cur.csv` }, interval_seconds: 3600, checks: { data_drift: {} } };
    const created = await t.call(t.adminAuth, 'POST', `${API}/monitoring/monitors`, pair);
    expect(created.statusCode, created.body).toBe(201);
  });
  afterAll(async () => t?.cleanup());

  const names = async (caller: string) => ((await t.call(caller, 'GET', `${API}/monitoring/monitors`)).json().monitors as { name: string }[]).map((m) => m.name);

  it('hides the monitor from a caller who cannot read the experiment, and refuses them one of their own', async () => {
    expect((await t.call(callers.stranger, 'GET', `${API}/monitoring/monitors/batch`)).statusCode).toBe(403);
    expect((await t.call(callers.stranger, 'POST', `${API}/monitoring/monitors/batch/run`)).statusCode).toBe(403);
    expect(await names(callers.stranger)).toEqual([]);
    expect((await t.call(callers.stranger, 'POST', `${API}/monitoring/monitors`, { ...pair, name: 'mine' })).statusCode).toBe(403);
  });

  it('shows it to a reader, who may not run it, and lets an editor run it', async () => {
    expect((await t.call(callers.reader, 'GET', `${API}/monitoring/monitors/batch`)).statusCode).toBe(200);
    expect(await names(callers.reader)).toEqual(['batch']);
    expect((await t.call(callers.reader, 'POST', `${API}/monitoring/monitors/batch/run`)).statusCode).toBe(403);
    const run = await t.call(callers.editor, 'POST', `${API}/monitoring/monitors/batch/run`);
    expect(run.statusCode, run.body).toBe(200);
    expect(run.json().run).toMatchObject({ status: 'ok', reference_rows: 40, current_rows: 40 });
  });
});
