import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../adapters/sql/test-support/test-databases.js';
import { createTestApp, type TestApp } from '../../../app/test-support/test-app.js';

describe.each(TEST_DIALECTS)('MLflow search-runs API on %s', (dialect) => {
  let t: TestApp;
  let experimentId: string;
  const runIds: string[] = [];

  beforeAll(async () => {
    t = await createTestApp(dialect);
    experimentId = (await t.mlflow('POST', '/experiments/create', { name: 'search' })).json().experiment_id;
    for (let i = 0; i < 5; i++) {
      const run = (await t.mlflow('POST', '/runs/create', { experiment_id: experimentId, run_name: `run-${i}`, start_time: 1000 + i })).json().run;
      runIds.push(run.info.run_id);
      await t.mlflow('POST', '/runs/log-batch', {
        run_id: run.info.run_id,
        metrics: i === 4 ? [] : [{ key: 'auc', value: 0.5 + i / 10, timestamp: 1, step: 0 }],
        params: [{ key: 'model', value: i % 2 === 0 ? 'XGBoost' : 'logreg' }],
        tags: [{ key: 'team', value: i < 2 ? 'risk' : 'growth' }],
      });
    }
  });
  afterAll(async () => t.cleanup());

  const search = async (body: Record<string, unknown>) => {
    const res = await t.mlflow('POST', '/runs/search', { experiment_ids: [experimentId], ...body });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { runs?: { info: { run_name: string } }[]; next_page_token?: string };
  };
  const names = (page: { runs?: { info: { run_name: string } }[] }) => (page.runs ?? []).map((r) => r.info.run_name);

  it('filters on metrics, params, tags and attributes', async () => {
    expect(names(await search({ filter: 'metrics.auc > 0.65', order_by: ['metrics.auc DESC'] }))).toEqual(['run-3', 'run-2']);
    expect(names(await search({ filter: "params.model = 'XGBoost'", order_by: ['attributes.start_time'] }))).toEqual(['run-0', 'run-2', 'run-4']);
    expect(names(await search({ filter: "params.model ILIKE 'xgb%' and tags.team = 'growth'" }))).toEqual(['run-4', 'run-2']);
    const inList = `attributes.run_id IN ('${runIds[1]}', '${runIds[3]}')`;
    expect(names(await search({ filter: inList, order_by: ['attributes.run_name ASC'] }))).toEqual(['run-1', 'run-3']);
    // As in MLflow, lists are accepted for run_id only among run attributes.
    const rejected = await t.mlflow('POST', '/runs/search', { experiment_ids: [experimentId], filter: "attributes.run_name IN ('run-1')" });
    expect(rejected.json().error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(names(await search({ filter: "tags.`mlflow.runName` = 'run-0'" }))).toEqual(['run-0']);
  });

  it('orders by a metric with runs lacking it last, in both directions', async () => {
    expect(names(await search({ order_by: ['metrics.auc ASC'] }))).toEqual(['run-0', 'run-1', 'run-2', 'run-3', 'run-4']);
    expect(names(await search({ order_by: ['metrics.auc DESC'] }))).toEqual(['run-3', 'run-2', 'run-1', 'run-0', 'run-4']);
    expect(names(await search({}))).toEqual(['run-4', 'run-3', 'run-2', 'run-1', 'run-0']); // start_time DESC by default
  });

  it('pages with tokens until no token is returned', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await search({ max_results: 2, order_by: ['attributes.start_time ASC'], ...(token ? { page_token: token } : {}) });
      seen.push(...names(page));
      token = page.next_page_token;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toEqual(['run-0', 'run-1', 'run-2', 'run-3', 'run-4']);
  });

  it('honours run_view_type', async () => {
    await t.mlflow('POST', '/runs/delete', { run_id: runIds[0] });
    expect(names(await search({ run_view_type: 'DELETED_ONLY' }))).toEqual(['run-0']);
    expect(names(await search({ run_view_type: 'ALL' }))).toHaveLength(5);
    expect(names(await search({}))).toHaveLength(4);
    await t.mlflow('POST', '/runs/restore', { run_id: runIds[0] });
  });

  it('rejects malformed filters, order_by and page tokens with INVALID_PARAMETER_VALUE and leaves the store intact', async () => {
    for (const body of [
      { filter: 'metrics.auc > 0.5 OR params.model = "x"' },
      { filter: "params.model > 'a'" },
      { filter: "params.model = 'a'; DROP TABLE runs; --" },
      { order_by: ['metrics.auc SIDEWAYS'] },
      { page_token: 'not-a-token' },
      { max_results: 50001 },
    ]) {
      const res = await t.mlflow('POST', '/runs/search', { experiment_ids: [experimentId], ...body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error_code).toBe('INVALID_PARAMETER_VALUE');
    }
    expect(names(await search({}))).toHaveLength(5);
  });
});
