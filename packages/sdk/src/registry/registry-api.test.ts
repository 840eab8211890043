import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CapstanClient } from '../client.js';
import type { FetchFn } from '../http/transport.js';

interface Call {
  method: string;
  url: string;
  body: unknown;
}

/** A scripted `fetch` recording each request; each call consumes the next step. */
function scripted(steps: Response[]) {
  const calls: Call[] = [];
  const fetch: FetchFn = async (input, init) => {
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    calls.push({ method: init?.method ?? 'GET', url: String(input).replace('http://server', ''), body });
    const step = steps.shift();
    if (!step) throw new Error('no more scripted responses');
    return step;
  };
  return { fetch, calls, client: new CapstanClient({ url: 'http://server', fetch, env: {}, retries: 0 }) };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const version = (v: string, stage = 'None') => ({ name: 'iris', version: v, current_stage: stage, source: 'runs:/r/model', status: 'READY', creation_timestamp: 1, last_updated_timestamp: 1 });
const API = '/api/2.0/mlflow';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'capstan-registry-unit-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('registry requests', () => {
  it('puts GET fields in the query string, repeating list keys', async () => {
    const { client, calls } = scripted([json({}), json({ model_version: version('2') }), json({ artifact_uri: 'x' })]);
    await client.registry.searchRegisteredModels({ filter: "name LIKE 'ir%'", order_by: ['name ASC', 'timestamp DESC'], max_results: 5 });
    await client.registry.getModelVersionByAlias({ name: 'a b', alias: 'champion' });
    await client.registry.getModelVersionDownloadUri({ name: 'iris', version: '2' });
    expect(calls).toEqual([
      { method: 'GET', url: `${API}/registered-models/search?filter=name+LIKE+%27ir%25%27&order_by=name+ASC&order_by=timestamp+DESC&max_results=5`, body: undefined },
      { method: 'GET', url: `${API}/registered-models/alias?name=a+b&alias=champion`, body: undefined },
      { method: 'GET', url: `${API}/model-versions/get-download-uri?name=iris&version=2`, body: undefined },
    ]);
  });

  it('sends POST, PATCH and DELETE fields as a JSON body, as MLflow does', async () => {
    const { client, calls } = scripted([json({}), json({}), json({}), json({ model_version: version('1') }), json({})]);
    await client.registry.setRegisteredModelAlias({ name: 'iris', alias: 'champion', version: '1' });
    await client.registry.deleteRegisteredModelAlias({ name: 'iris', alias: 'champion' });
    await client.registry.deleteModelVersionTag({ name: 'iris', version: '1', key: 'k' });
    await client.registry.updateModelVersion({ name: 'iris', version: '1', description: 'd' });
    await client.registry.getLatestVersions({ name: 'iris', stages: ['Production'] });
    expect(calls).toEqual([
      { method: 'POST', url: `${API}/registered-models/alias`, body: { name: 'iris', alias: 'champion', version: '1' } },
      { method: 'DELETE', url: `${API}/registered-models/alias`, body: { name: 'iris', alias: 'champion' } },
      { method: 'DELETE', url: `${API}/model-versions/delete-tag`, body: { name: 'iris', version: '1', key: 'k' } },
      { method: 'PATCH', url: `${API}/model-versions/update`, body: { name: 'iris', version: '1', description: 'd' } },
      { method: 'POST', url: `${API}/registered-models/get-latest-versions`, body: { name: 'iris', stages: ['Production'] } },
    ]);
  });

  it('follows next_page_token through model versions', async () => {
    const { client, calls } = scripted([
      json({ model_versions: [version('3'), version('2')], next_page_token: 't1' }),
      json({ model_versions: [version('1')] }),
    ]);
    const seen: string[] = [];
    for await (const v of client.registry.modelVersions({ filter: "name = 'iris'", max_results: 2 })) seen.push(v.version);
    expect(seen).toEqual(['3', '2', '1']);
    expect(calls.map((c) => c.url)).toEqual([
      `${API}/model-versions/search?filter=name+%3D+%27iris%27&max_results=2`,
      `${API}/model-versions/search?filter=name+%3D+%27iris%27&max_results=2&page_token=t1`,
    ]);
  });

  it('asks Capstan for the lineage graph by name and version', async () => {
    const graph = { root: 'model_version:iris/1', nodes: [], edges: [] };
    const { client, calls } = scripted([json(graph)]);
    await expect(client.registry.lineage('iris', 1)).resolves.toEqual(graph);
    expect(calls[0]?.url).toBe('/api/capstan/v1/model-versions/lineage?name=iris&version=1');
  });
});

describe('resolveModelUri', () => {
  it('resolves an alias, then asks for the download URI', async () => {
    const { client, calls } = scripted([json({ model_version: version('4') }), json({ artifact_uri: 'mlflow-artifacts:/1/r/artifacts/model' })]);
    await expect(client.registry.resolveModelUri('models:/iris@champion')).resolves.toEqual({
      name: 'iris',
      version: '4',
      artifactUri: 'mlflow-artifacts:/1/r/artifacts/model',
    });
    expect(calls.map((c) => c.url)).toEqual([`${API}/registered-models/alias?name=iris&alias=champion`, `${API}/model-versions/get-download-uri?name=iris&version=4`]);
  });

  it('takes the highest version across stages for latest, numerically', async () => {
    const { client, calls } = scripted([json({ model_versions: [version('9', 'Production'), version('10', 'None'), version('2', 'Staging')] }), json({ artifact_uri: 'u' })]);
    await expect(client.registry.resolveModelUri('models:/iris/latest')).resolves.toMatchObject({ version: '10' });
    expect(calls[0]).toEqual({ method: 'POST', url: `${API}/registered-models/get-latest-versions`, body: { name: 'iris' } });
  });

  it('asks for one stage, and says so when it is empty', async () => {
    const { client, calls } = scripted([json({})]);
    await expect(client.registry.resolveModelUri('models:/iris/staging')).rejects.toThrow("Registered model 'iris' has no versions in stage Staging");
    expect(calls[0]?.body).toEqual({ name: 'iris', stages: ['Staging'] });
  });

  it('goes straight to the download URI for a version number, and rejects malformed URIs before any request', async () => {
    const { client, calls } = scripted([json({ artifact_uri: 'u' })]);
    await expect(client.registry.resolveModelUri('models:/iris/3')).resolves.toEqual({ name: 'iris', version: '3', artifactUri: 'u' });
    await expect(client.registry.resolveModelUri('models:/iris')).rejects.toThrow(/Malformed model URI/);
    expect(calls).toHaveLength(1);
  });
});

describe('registerModel', () => {
  it('creates the model, tolerates RESOURCE_ALREADY_EXISTS, and passes the run ID parsed from the source', async () => {
    const { client, calls } = scripted([
      json({ error_code: 'RESOURCE_ALREADY_EXISTS', message: 'Registered Model (name=iris) already exists.' }, 400),
      json({ model_version: version('2') }),
    ]);
    await expect(client.registry.registerModel('runs:/abc/model', 'iris', { tags: { team: 'ml' } })).resolves.toMatchObject({ version: '2' });
    expect(calls).toEqual([
      { method: 'POST', url: `${API}/registered-models/create`, body: { name: 'iris' } },
      { method: 'POST', url: `${API}/model-versions/create`, body: { name: 'iris', source: 'runs:/abc/model', run_id: 'abc', tags: [{ key: 'team', value: 'ml' }] } },
    ]);
  });

  it('stops on other errors and waits out a pending registration', async () => {
    const denied = scripted([json({ error_code: 'PERMISSION_DENIED', message: 'no' }, 403)]);
    await expect(denied.client.registry.registerModel('runs:/abc/model', 'iris')).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(denied.calls).toHaveLength(1);

    const pending = scripted([json({ registered_model: {} }), json({ model_version: { ...version('1'), status: 'PENDING_REGISTRATION' } }), json({ model_version: version('1') })]);
    await expect(pending.client.registry.registerModel('s3://bucket/m', 'iris', { pollIntervalMs: 1 })).resolves.toMatchObject({ status: 'READY' });
    expect(pending.calls[1]?.body).toEqual({ name: 'iris', source: 's3://bucket/m' });
    expect(pending.calls[2]?.url).toBe(`${API}/model-versions/get?name=iris&version=1`);
  });
});

describe('model files', () => {
  it('refuses a folder without an MLmodel file before touching the server', async () => {
    await writeFile(join(work, 'model.onnx'), 'x');
    const { client, calls } = scripted([]);
    await expect(client.registry.logModel(work, 'abc')).rejects.toThrow(/is not an MLflow model: it has no MLmodel file/);
    await expect(client.registry.logModel(join(work, 'missing'), 'abc')).rejects.toThrow(/is not a folder/);
    await expect(client.registry.logModel(work, 'abc', '../up')).rejects.toThrow(/must not contain/);
    expect(calls).toHaveLength(0);
  });

  it('explains that a version outside the artifact proxy cannot be downloaded', async () => {
    const { client } = scripted([json({ artifact_uri: 's3://bucket/models/iris' })]);
    await expect(client.registry.downloadModel('models:/iris/1', join(work, 'out'))).rejects.toThrow(
      /Model iris version 1 is stored at s3:\/\/bucket\/models\/iris, which this client cannot read: it downloads only through the tracking server's artifact proxy/,
    );
  });
});
