import { describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../adapters/sql/test-support/test-databases.js';
import { planRunSearch, searchRunIds, type RunSearchQuery } from './run-search-sql.js';
import { insertDatasetInput, insertExperiment, insertRun, type Db, useSeededTrackingDb } from './test-support/seed.js';

/**
 * Seven hand-built runs. Active runs of experiment 1 by start time: r1 (100), r2 (200), r3 (300),
 * r4 (400), r7 (500); r5 is deleted, r6 lives in experiment 2. r3 and r2 hold NaN metrics.
 */
async function seed(db: Db): Promise<void> {
  await insertExperiment(db, 1, 'one');
  await insertExperiment(db, 2, 'two');
  await insertRun(db, { id: 'r1', name: 'alpha', start: 100, end: 200, metrics: { acc: 0.9, loss: 0.3 }, params: { lr: '0.1', model: 'CNN' }, tags: { team: 'Vision' } });
  await insertRun(db, { id: 'r2', name: 'beta', user: 'bob', status: 'FAILED', start: 200, metrics: { acc: 0.7, loss: Number.NaN }, params: { lr: '0.01', model: 'cnn' }, tags: { team: 'vision' } });
  await insertRun(db, { id: 'r3', name: 'gamma', status: 'RUNNING', start: 300, metrics: { acc: Number.NaN }, params: { lr: '0.1' }, tags: { team: 'nlp', note: '100%_sure' } });
  await insertRun(db, { id: 'r4', name: 'Delta', user: 'carol', start: 400, end: 450, params: { model: 'RNN' } });
  await insertRun(db, { id: 'r5', name: 'epsilon', start: 300, deleted: true, metrics: { acc: 0.9 } });
  await insertRun(db, { id: 'r6', experimentId: 2, name: 'zeta', user: 'dave', start: 250, metrics: { acc: 0.95 } });
  await insertRun(db, { id: 'r7', name: 'eta', user: 'dave', start: 500, end: 600, metrics: { acc: 0.9, loss: 0.1 } });
  const trainAbc = { uuid: 'ds-train-abc', name: 'train', digest: 'abc' };
  await insertDatasetInput(db, 'r1', trainAbc, 'training');
  await insertDatasetInput(db, 'r2', trainAbc, 'training');
  await insertDatasetInput(db, 'r2', { uuid: 'ds-eval', name: 'Eval', digest: 'def' }, 'evaluation');
  await insertDatasetInput(db, 'r3', { uuid: 'ds-train-xyz', name: 'train', digest: 'xyz' });
}

describe.each(TEST_DIALECTS)('searchRunIds on %s', (dialect) => {
  const fixture = useSeededTrackingDb(dialect, seed);
  const search = async (q: Partial<RunSearchQuery>) =>
    searchRunIds(fixture.db, { experimentIds: [1], runViewType: 'ACTIVE_ONLY', maxResults: 1000, ...q });
  const ids = async (filter: string, orderBy: string[] = []) => (await search({ filter, orderBy })).runIds;

  it('orders by start_time DESC then run id by default', async () => {
    expect(await ids('')).toEqual(['r7', 'r4', 'r3', 'r2', 'r1']);
  });

  it.each([
    ['metrics.acc > 0.8', ['r7', 'r1']],
    ['metrics.acc >= 0', ['r7', 'r2', 'r1']],
    ['metrics.acc != 0.7', ['r7', 'r1']],
    ['metrics.acc = 0.7', ['r2']],
    ['metrics.acc < 0.8', ['r2']],
    ['metrics.acc <= 1', ['r7', 'r2', 'r1']],
    ['metrics.loss < 1', ['r7', 'r1']],
    ['metrics.nope > 0', []],
  ])('metric filter %s', async (filter, expected) => {
    expect(await ids(filter)).toEqual(expected);
  });

  it('never matches a NaN metric, although it is stored as value 0', async () => {
    expect(await ids('metrics.acc = 0')).toEqual([]);
    expect(await ids('metrics.acc < 0.5')).toEqual([]);
    expect(await ids('metrics.loss != 5')).toEqual(['r7', 'r1']);
  });

  it.each([
    ["params.lr = '0.1'", ['r3', 'r1']],
    ["params.model = 'cnn'", ['r2']],
    ["params.model != 'CNN'", ['r4', 'r2']],
    ["params.lr = '0.1' AND params.model = 'CNN'", ['r1']],
    ["tags.team = 'vision'", ['r2']],
    ["tags.mlflow.runName = 'alpha'", ['r1']],
    ["tags.`mlflow.runName` != 'alpha'", ['r7', 'r4', 'r3', 'r2']],
  ])('param and tag filter %s', async (filter, expected) => {
    expect(await ids(filter)).toEqual(expected);
  });

  it.each([
    ["params.model LIKE 'cnn'", ['r2']],
    ["params.model ILIKE 'cnn'", ['r2', 'r1']],
    ["params.model LIKE 'CN%'", ['r1']],
    ["params.model LIKE 'cn%'", ['r2']],
    ["params.model ILIKE 'cn%'", ['r2', 'r1']],
    ["params.model LIKE '%N'", ['r4', 'r1']],
    ["params.model LIKE '_nn'", ['r2']],
    ["params.model ILIKE '_NN'", ['r4', 'r2', 'r1']],
    ["tags.team LIKE 'V%'", ['r1']],
    ["tags.team LIKE '_ision'", ['r2', 'r1']],
    ["tags.team ILIKE 'VISION'", ['r2', 'r1']],
    ["tags.note LIKE '100\\%\\_sure'", ['r3']],
    ["tags.note LIKE '100_%'", ['r3']],
    ["tags.note LIKE '100\\_%'", []],
    ["attributes.run_name LIKE 'D%'", ['r4']],
    ["run_name LIKE 'd%'", []],
    ["run_name ILIKE 'd%'", ['r4']],
    ["artifact_uri LIKE '%/r1'", ['r1']],
  ])('LIKE is case-sensitive and ILIKE is not: %s', async (filter, expected) => {
    expect(await ids(filter)).toEqual(expected);
  });

  it.each([
    ["attributes.status = 'FINISHED'", ['r7', 'r4', 'r1']],
    ["status != 'FINISHED'", ['r3', 'r2']],
    ["user_id = 'alice'", ['r3', 'r1']],
    ["run_id = 'r4'", ['r4']],
    ["run_id IN ('r1', 'r3', 'nope')", ['r3', 'r1']],
    ["run_id NOT IN ('r1', 'r3')", ['r7', 'r4', 'r2']],
    ["`Run name` = 'beta'", ['r2']],
    ['start_time >= 300', ['r7', 'r4', 'r3']],
    ['start_time > 299.5', ['r7', 'r4', 'r3']],
    ['start_time < 1e30', ['r7', 'r4', 'r3', 'r2', 'r1']],
    ['created < 300', ['r2', 'r1']],
    ['end_time > 100', ['r7', 'r4', 'r1']],
  ])('attribute filter %s', async (filter, expected) => {
    expect(await ids(filter)).toEqual(expected);
  });

  it.each([
    ["datasets.name = 'train'", ['r3', 'r2', 'r1']],
    ["datasets.name ILIKE 'EVAL'", ['r2']],
    ["datasets.name != 'train'", ['r2']],
    ["datasets.name IN ('Eval', 'other')", ['r2']],
    ["datasets.name NOT IN ('train')", ['r2']],
    ["datasets.digest = 'xyz'", ['r3']],
    ["datasets.digest IN ('abc', 'xyz')", ['r3', 'r2', 'r1']],
    ["datasets.context = 'training'", ['r2', 'r1']],
    ["datasets.context LIKE 'eval%'", ['r2']],
    ["datasets.context NOT IN ('training')", ['r2']],
  ])('dataset filter %s', async (filter, expected) => {
    expect(await ids(filter)).toEqual(expected);
  });

  it('combines conditions with AND', async () => {
    expect(await ids("metrics.acc > 0.5 AND params.lr = '0.1' and tags.team ILIKE 'vision'")).toEqual(['r1']);
  });

  it.each([
    [['metrics.acc DESC'], ['r7', 'r1', 'r2', 'r3', 'r4']],
    [['metrics.acc ASC'], ['r2', 'r7', 'r1', 'r3', 'r4']],
    [['metrics.loss'], ['r7', 'r1', 'r2', 'r4', 'r3']],
    [['metrics.loss DESC'], ['r1', 'r7', 'r2', 'r4', 'r3']],
    [['params.lr'], ['r2', 'r3', 'r1', 'r7', 'r4']],
    [['params.lr DESC'], ['r3', 'r1', 'r2', 'r7', 'r4']],
    [['params.lr DESC', 'metrics.acc ASC'], ['r1', 'r3', 'r2', 'r7', 'r4']],
    [['tags.team'], ['r1', 'r3', 'r2', 'r7', 'r4']],
    [['tags.team', 'start_time ASC'], ['r1', 'r3', 'r2', 'r4', 'r7']],
    [['attributes.end_time DESC'], ['r7', 'r4', 'r1', 'r3', 'r2']],
    [['end_time'], ['r1', 'r4', 'r7', 'r3', 'r2']],
    [['attributes.run_name'], ['r4', 'r1', 'r2', 'r7', 'r3']],
    [['tags.mlflow.runName DESC'], ['r3', 'r7', 'r2', 'r1', 'r4']],
    [['status DESC'], ['r3', 'r7', 'r4', 'r1', 'r2']],
    [['start_time ASC'], ['r1', 'r2', 'r3', 'r4', 'r7']],
    [['run_id DESC'], ['r7', 'r4', 'r3', 'r2', 'r1']],
  ])('order_by %j puts missing values (and NaN before them) last', async (orderBy, expected) => {
    expect(await ids('', orderBy)).toEqual(expected);
  });

  it.each([
    [['metrics.acc DESC'], ''],
    [['metrics.acc'], "params.lr != 'x'"],
    [['metrics.loss DESC', 'params.model'], ''],
    [['params.lr DESC', 'metrics.acc ASC'], ''],
    [['tags.team DESC'], 'start_time > 0'],
    [['params.model'], "datasets.name = 'train'"],
  ])('streams %j from the index in exactly the order of the full sort', async (orderBy, filter) => {
    for (const runViewType of ['ACTIVE_ONLY', 'ALL'] as const) {
      const plan = planRunSearch(fixture.db, { experimentIds: [1, 2], filter, orderBy, runViewType, maxResults: 100 })!;
      expect(plan.split).toBeDefined();
      const full = (await plan.all.query(100, 0).execute()).map((r) => r.run_uuid);
      const head = (await plan.split!.head.query(100, 0).execute()).map((r) => r.run_uuid);
      const tail = (await plan.split!.tail.query(100, 0).execute()).map((r) => r.run_uuid);
      expect([...head, ...tail]).toEqual(full);
    }
  });

  it('selects by view type and experiment', async () => {
    expect((await search({ runViewType: 'DELETED_ONLY' })).runIds).toEqual(['r5']);
    expect((await search({ runViewType: 'ALL', experimentIds: [1, 2] })).runIds).toEqual(['r7', 'r4', 'r3', 'r5', 'r6', 'r2', 'r1']);
    expect((await search({ experimentIds: [2] })).runIds).toEqual(['r6']);
    expect((await search({ experimentIds: [] })).runIds).toEqual([]);
  });

  it('pages through three pages with tokens', async () => {
    const seen: string[][] = [];
    let pageToken: string | undefined;
    do {
      const page = await search({ runViewType: 'ALL', experimentIds: [1, 2], maxResults: 3, pageToken });
      seen.push(page.runIds);
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(seen).toEqual([['r7', 'r4', 'r3'], ['r5', 'r6', 'r2'], ['r1']]);
  });

  it('pages across the runs with a metric value and those without', async () => {
    for (const maxResults of [1, 2, 3]) {
      const seen: string[] = [];
      let pageToken: string | undefined;
      do {
        const page = await search({ runViewType: 'ALL', experimentIds: [1, 2], orderBy: ['metrics.acc DESC'], maxResults, pageToken });
        expect(page.runIds.length).toBeLessThanOrEqual(maxResults);
        seen.push(...page.runIds);
        pageToken = page.nextPageToken;
      } while (pageToken);
      expect(seen).toEqual(['r6', 'r7', 'r5', 'r1', 'r2', 'r3', 'r4']);
    }
  });

  it('rejects bad page tokens and max_results', async () => {
    await expect(search({ pageToken: 'garbage!' })).rejects.toThrow('Invalid page token');
    await expect(search({ maxResults: 0 })).rejects.toThrow("Invalid value 0 for parameter 'max_results' supplied");
    await expect(search({ maxResults: 50_001 })).rejects.toThrow('It must be at most 50000');
  });

  it('keeps injection attempts as data, and the runs table survives them', async () => {
    expect(await ids("params.`x' OR 1=1 --` = 'a'")).toEqual([]);
    expect(await ids("params.lr = '0.1'' OR ''1''=''1'")).toEqual([]);
    expect(await ids("tags.team = 'x''; DROP TABLE runs; --'")).toEqual([]);
    expect(await ids("tags.team LIKE '%'' OR 1=1 --'")).toEqual([]);
    await expect(ids("params.x = 'a'; DROP TABLE runs; --'")).rejects.toThrow("unexpected character ';'");
    await expect(ids('metrics.acc > 1', ['metrics.acc; DROP TABLE runs'])).rejects.toThrow("unexpected character ';'");
    const count = await fixture.db.selectFrom('runs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(7);
  });
});
