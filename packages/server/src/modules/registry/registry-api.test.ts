import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../adapters/sql/test-support/test-databases.js';
import { createTestApp, type TestApp } from '../../app/test-support/test-app.js';

describe.each(TEST_DIALECTS)('model registry API on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.cleanup());

  const create = (name: string, body: Record<string, unknown> = {}) => t.mlflow('POST', '/registered-models/create', { name, ...body });
  const newVersion = async (name: string, source = 's3://bucket/model') => (await t.mlflow('POST', '/model-versions/create', { name, source })).json().model_version;

  it('creates, reads, renames, describes and deletes registered models with MLflow errors', async () => {
    const created = await create('churn', { description: 'predicts churn', tags: [{ key: 'team', value: 'growth' }] });
    expect(created.json().registered_model).toMatchObject({ name: 'churn', description: 'predicts churn', tags: [{ key: 'team', value: 'growth' }] });
    const duplicate = await create('churn');
    expect(duplicate.statusCode).toBe(400);
    expect(duplicate.json()).toEqual({ error_code: 'RESOURCE_ALREADY_EXISTS', message: 'Registered Model (name=churn) already exists.' });
    expect((await create('')).json().error_code).toBe('INVALID_PARAMETER_VALUE');

    const renamed = await t.mlflow('POST', '/registered-models/rename', { name: 'churn', new_name: 'churn-v2' });
    expect(renamed.json().registered_model.name).toBe('churn-v2');
    const gone = await t.mlflow('GET', '/registered-models/get', { name: 'churn' });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Registered Model with name=churn not found' });

    const updated = await t.mlflow('PATCH', '/registered-models/update', { name: 'churn-v2', description: 'new words' });
    expect(updated.json().registered_model.description).toBe('new words');
    await newVersion('churn-v2');
    expect((await t.mlflow('DELETE', '/registered-models/delete', { name: 'churn-v2' })).json()).toEqual({});
    expect((await t.mlflow('GET', '/registered-models/get', { name: 'churn-v2' })).statusCode).toBe(404);
    expect((await create('churn-v2')).statusCode).toBe(200);
    expect((await t.mlflow('GET', '/model-versions/get', { name: 'churn-v2', version: '1' })).statusCode).toBe(404);
  });

  it('numbers versions max+1 and never reuses a deleted number', async () => {
    await create('numbered');
    for (const expected of ['1', '2', '3']) expect((await newVersion('numbered')).version).toBe(expected);
    expect((await t.mlflow('DELETE', '/model-versions/delete', { name: 'numbered', version: '3' })).json()).toEqual({});
    expect((await t.mlflow('GET', '/model-versions/get', { name: 'numbered', version: '3' })).json()).toEqual({
      error_code: 'RESOURCE_DOES_NOT_EXIST',
      message: 'Model Version (name=numbered, version=3) not found',
    });
    expect((await newVersion('numbered')).version).toBe('4');
    expect((await t.mlflow('GET', '/model-versions/get', { name: 'numbered', version: 'x' })).json()).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: "Model version must be an integer, got 'x'",
    });
    expect((await t.mlflow('POST', '/model-versions/create', { name: 'no-such-model', source: 's' })).statusCode).toBe(404);
    expect((await t.mlflow('POST', '/model-versions/create', { name: 'numbered' })).json().error_code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('moves versions between stages, archiving the previous holder on request', async () => {
    await create('staged');
    await newVersion('staged');
    await newVersion('staged');
    const first = await t.mlflow('POST', '/model-versions/transition-stage', { name: 'staged', version: '1', stage: 'production', archive_existing_versions: false });
    expect(first.json().model_version.current_stage).toBe('Production');
    await t.mlflow('POST', '/model-versions/transition-stage', { name: 'staged', version: '2', stage: 'Production', archive_existing_versions: true });
    expect((await t.mlflow('GET', '/model-versions/get', { name: 'staged', version: '1' })).json().model_version.current_stage).toBe('Archived');
    const bad = await t.mlflow('POST', '/model-versions/transition-stage', { name: 'staged', version: '1', stage: 'Shipped', archive_existing_versions: false });
    expect(bad.json().message).toContain('Invalid Model Version stage: Shipped');
    const none = await t.mlflow('POST', '/model-versions/transition-stage', { name: 'staged', version: '1', stage: 'None', archive_existing_versions: true });
    expect(none.json().error_code).toBe('INVALID_PARAMETER_VALUE');
    const latest = (await t.mlflow('POST', '/registered-models/get-latest-versions', { name: 'staged' })).json().model_versions as { version: string; current_stage: string }[];
    expect(latest.map((v) => [v.current_stage, v.version])).toEqual([
      ['Production', '2'],
      ['Archived', '1'],
    ]);
    const onlyProduction = await t.mlflow('GET', '/registered-models/get-latest-versions', { name: 'staged', stages: ['production'] });
    expect((onlyProduction.json().model_versions as { version: string }[]).map((v) => v.version)).toEqual(['2']);
  });

  it('sets, moves, reads and deletes aliases, refusing reserved and malformed names', async () => {
    await create('aliased');
    await newVersion('aliased');
    await newVersion('aliased');
    expect((await t.mlflow('POST', '/registered-models/alias', { name: 'aliased', alias: 'champion', version: '1' })).json()).toEqual({});
    await t.mlflow('POST', '/registered-models/alias', { name: 'aliased', alias: 'champion', version: '2' });
    const byAlias = await t.mlflow('GET', '/registered-models/alias', { name: 'aliased', alias: 'champion' });
    expect(byAlias.json().model_version).toMatchObject({ version: '2', aliases: ['champion'] });
    expect((await t.mlflow('GET', '/registered-models/get', { name: 'aliased' })).json().registered_model.aliases).toEqual([{ alias: 'champion', version: '2' }]);
    for (const alias of ['latest', 'LATEST', 'v3', 'has space', 'dot.ted']) {
      expect((await t.mlflow('POST', '/registered-models/alias', { name: 'aliased', alias, version: '1' })).json().error_code, alias).toBe('INVALID_PARAMETER_VALUE');
    }
    expect((await t.mlflow('POST', '/registered-models/alias', { name: 'aliased', alias: 'x', version: '9' })).statusCode).toBe(404);
    await t.mlflow('DELETE', '/model-versions/delete', { name: 'aliased', version: '2' });
    expect((await t.mlflow('GET', '/registered-models/alias', { name: 'aliased', alias: 'champion' })).statusCode).toBe(404);
    await t.mlflow('POST', '/registered-models/alias', { name: 'aliased', alias: 'challenger', version: '1' });
    expect((await t.mlflow('DELETE', '/registered-models/alias', { name: 'aliased', alias: 'challenger' })).json()).toEqual({});
    expect((await t.mlflow('DELETE', '/registered-models/alias', { name: 'aliased', alias: 'challenger' })).statusCode).toBe(404);
  });

  it('sets and deletes tags on models and versions', async () => {
    await create('tagged');
    await newVersion('tagged');
    await t.mlflow('POST', '/registered-models/set-tag', { name: 'tagged', key: 'owner', value: 'ana' });
    await t.mlflow('POST', '/model-versions/set-tag', { name: 'tagged', version: '1', key: 'validated', value: 'true' });
    expect((await t.mlflow('GET', '/registered-models/get', { name: 'tagged' })).json().registered_model.tags).toEqual([{ key: 'owner', value: 'ana' }]);
    expect((await t.mlflow('GET', '/model-versions/get', { name: 'tagged', version: '1' })).json().model_version.tags).toEqual([{ key: 'validated', value: 'true' }]);
    expect((await t.mlflow('DELETE', '/registered-models/delete-tag', { name: 'tagged', key: 'owner' })).json()).toEqual({});
    expect((await t.mlflow('DELETE', '/model-versions/delete-tag', { name: 'tagged', version: '1', key: 'validated' })).json()).toEqual({});
    expect((await t.mlflow('DELETE', '/model-versions/delete-tag', { name: 'tagged', version: '1', key: 'validated' })).statusCode).toBe(404);
  });

  it('resolves runs:/ sources to the run artifact location for downloads', async () => {
    const experimentId = (await t.mlflow('POST', '/experiments/create', { name: 'registry-source' })).json().experiment_id as string;
    const run = (await t.mlflow('POST', '/runs/create', { experiment_id: experimentId })).json().run.info;
    await create('from-run');
    await t.mlflow('POST', '/model-versions/create', { name: 'from-run', source: `runs:/${run.run_id}/model`, run_id: run.run_id });
    const uri = await t.mlflow('GET', '/model-versions/get-download-uri', { name: 'from-run', version: '1' });
    expect(uri.json()).toEqual({ artifact_uri: `${run.artifact_uri}/model` });
  });
});

describe.each(TEST_DIALECTS)('registry search on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    for (let i = 0; i < 12; i++) {
      const name = `model-${String(i).padStart(2, '0')}`;
      await t.mlflow('POST', '/registered-models/create', { name, tags: i % 4 === 0 ? [{ key: 'mlflow.prompt.is_prompt', value: 'true' }] : i % 4 === 1 ? [{ key: 'mlflow.prompt.is_prompt', value: 'false' }] : [] });
      for (let v = 0; v < (i % 3) + 1; v++) await t.mlflow('POST', '/model-versions/create', { name, source: `s3://b/${name}/${v}`, run_id: `run-${i % 2}` });
    }
  });
  afterAll(async () => t.cleanup());

  const names = (body: { registered_models?: { name: string }[] }) => (body.registered_models ?? []).map((m) => m.name);

  it('filters models by name and tags; a != on a tag also matches models without it', async () => {
    expect(names((await t.mlflow('GET', '/registered-models/search', { filter: "name LIKE 'model-0%'" })).json())).toHaveLength(10);
    expect(names((await t.mlflow('GET', '/registered-models/search', { filter: "name = 'model-03'" })).json())).toEqual(['model-03']);
    const notPrompts = names((await t.mlflow('GET', '/registered-models/search', { filter: "tags.`mlflow.prompt.is_prompt` != 'true'" })).json());
    expect(notPrompts).toHaveLength(9);
    expect(notPrompts).not.toContain('model-00');
    expect(notPrompts).toContain('model-02');
    expect(names((await t.mlflow('GET', '/registered-models/search', { filter: "tags.`mlflow.prompt.is_prompt` = 'true'" })).json())).toEqual(['model-00', 'model-04', 'model-08']);
    expect((await t.mlflow('GET', '/registered-models/search', { filter: 'run_id = 1' })).json().error_code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('orders and pages models without gaps or repeats', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const body = (await t.mlflow('GET', '/registered-models/search', { max_results: 5, order_by: ['name DESC'], ...(token ? { page_token: token } : {}) })).json();
      seen.push(...names(body));
      token = body.next_page_token;
    } while (token);
    expect(seen).toEqual([...seen].sort().reverse());
    expect(seen).toHaveLength(12);
    expect((await t.mlflow('GET', '/registered-models/search', { max_results: 1001 })).json().error_code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('searches versions by name, run id list and version number, ordered name ASC then version DESC by default', async () => {
    const all = (await t.mlflow('GET', '/model-versions/search', {})).json().model_versions as { name: string; version: string }[];
    expect(all).toHaveLength(24);
    expect(all.slice(0, 3).map((v) => `${v.name}/${v.version}`)).toEqual(['model-00/1', 'model-01/2', 'model-01/1']);
    const byRun = (await t.mlflow('GET', '/model-versions/search', { filter: "run_id IN ('run-1')" })).json().model_versions as { run_id: string }[];
    expect(byRun.every((v) => v.run_id === 'run-1')).toBe(true);
    const newer = (await t.mlflow('GET', '/model-versions/search', { filter: "name = 'model-02' AND version_number > 1" })).json().model_versions as { version: string }[];
    expect(newer.map((v) => v.version)).toEqual(['3', '2']);
  });
});
