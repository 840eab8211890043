import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../adapters/sql/test-support/test-databases.js';
import { createTestApp, type TestApp } from '../../../app/test-support/test-app.js';

describe.each(TEST_DIALECTS)('MLflow experiments API on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.cleanup());

  it('has the Default experiment "0" on a new store, with a proxied artifact location', async () => {
    const res = await t.mlflow('GET', '/experiments/get', { experiment_id: '0' });
    expect(res.statusCode).toBe(200);
    expect(res.json().experiment).toMatchObject({
      experiment_id: '0',
      name: 'Default',
      artifact_location: 'mlflow-artifacts:/0',
      lifecycle_stage: 'active',
    });
  });

  it('creates, reads by id and by name, renames, tags, deletes and restores', async () => {
    const created = await t.mlflow('POST', '/experiments/create', { name: 'fraud', tags: [{ key: 'team', value: 'risk' }] });
    expect(created.statusCode).toBe(200);
    const id = created.json().experiment_id as string;
    expect(id).toMatch(/^\d+$/);

    const byName = await t.mlflow('GET', '/experiments/get-by-name', { experiment_name: 'fraud' });
    expect(byName.json().experiment).toMatchObject({ experiment_id: id, artifact_location: `mlflow-artifacts:/${id}`, tags: [{ key: 'team', value: 'risk' }] });
    expect(typeof byName.json().experiment.creation_time).toBe('number');

    expect((await t.mlflow('POST', '/experiments/update', { experiment_id: id, new_name: 'fraud-v2' })).json()).toEqual({});
    expect((await t.mlflow('POST', '/experiments/set-experiment-tag', { experiment_id: id, key: 'owner', value: 'ana' })).json()).toEqual({});
    expect((await t.mlflow('POST', '/experiments/delete-experiment-tag', { experiment_id: id, key: 'team' })).statusCode).toBe(200);
    const renamed = (await t.mlflow('GET', '/experiments/get', { experiment_id: id })).json().experiment;
    expect(renamed.name).toBe('fraud-v2');
    expect(renamed.tags).toEqual([{ key: 'owner', value: 'ana' }]);

    expect((await t.mlflow('POST', '/experiments/delete', { experiment_id: id })).json()).toEqual({});
    expect((await t.mlflow('GET', '/experiments/get', { experiment_id: id })).json().experiment.lifecycle_stage).toBe('deleted');
    const renameDeleted = await t.mlflow('POST', '/experiments/update', { experiment_id: id, new_name: 'x' });
    expect(renameDeleted.json().error_code).toBe('INVALID_STATE');
    expect((await t.mlflow('POST', '/experiments/restore', { experiment_id: id })).statusCode).toBe(200);
    expect((await t.mlflow('GET', '/experiments/get', { experiment_id: id })).json().experiment.lifecycle_stage).toBe('active');
  });

  it('answers on the /ajax-api twin too', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/ajax-api/2.0/mlflow/experiments/get?experiment_id=0' });
    expect(res.json().experiment.name).toBe('Default');
  });

  it('searches with filters, ordering and paging by POST and GET', async () => {
    for (const name of ['search-a', 'search-b', 'search-c']) await t.mlflow('POST', '/experiments/create', { name });
    const page1 = await t.mlflow('POST', '/experiments/search', { filter: "name LIKE 'search-%'", order_by: ['name DESC'], max_results: 2 });
    expect(page1.statusCode).toBe(200);
    expect(page1.json().experiments.map((e: { name: string }) => e.name)).toEqual(['search-c', 'search-b']);
    const page2 = await t.mlflow('GET', '/experiments/search', {
      filter: "name LIKE 'search-%'",
      order_by: ['name DESC'],
      max_results: 2,
      page_token: page1.json().next_page_token,
    });
    expect(page2.json().experiments.map((e: { name: string }) => e.name)).toEqual(['search-a']);
    expect(page2.json().next_page_token).toBeUndefined();
  });

  it('returns MLflow errors for the bad paths', async () => {
    const dup = await t.mlflow('POST', '/experiments/create', { name: 'Default' });
    expect(dup.statusCode).toBe(400);
    expect(dup.json()).toMatchObject({ error_code: 'RESOURCE_ALREADY_EXISTS' });

    const missingName = await t.mlflow('POST', '/experiments/create', {});
    expect(missingName.statusCode).toBe(400);
    expect(missingName.json()).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: "Missing value for required parameter 'name'. See the API docs for more information about request parameters.",
    });

    const wrongType = await t.mlflow('POST', '/experiments/create', { name: 42 });
    expect(wrongType.json().error_code).toBe('INVALID_PARAMETER_VALUE');

    for (const id of ['999999', 'abc']) {
      const res = await t.mlflow('GET', '/experiments/get', { experiment_id: id });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: `No Experiment with id=${id} exists` });
    }
    const byName = await t.mlflow('GET', '/experiments/get-by-name', { experiment_name: 'nope' });
    expect(byName.statusCode).toBe(404);

    const badFilter = await t.mlflow('POST', '/experiments/search', { filter: 'name ~ 1' });
    expect(badFilter.statusCode).toBe(400);
    expect(badFilter.json().error_code).toBe('INVALID_PARAMETER_VALUE');

    const tooMany = await t.mlflow('POST', '/experiments/search', { max_results: 50001 });
    expect(tooMany.json().error_code).toBe('INVALID_PARAMETER_VALUE');
  });
});
