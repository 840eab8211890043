import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listLocalFiles } from '../artifacts/local-files.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

const FIXTURE = fileURLToPath(new URL('../../../../fixtures/models/iris-onnx', import.meta.url));

let server: TestServer;
let work: string;
beforeAll(async () => {
  server = await startTestServer();
  work = await mkdtemp(join(tmpdir(), 'capstan-sdk-registry-'));
});
afterAll(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

describe('registry workflows against a real server', () => {
  it('logs a model folder, registers it twice, resolves models:/ URIs and downloads byte for byte', async () => {
    const client = server.client();
    const run = await client.startRun({ experimentName: 'sdk-registry' });
    const source = await client.registry.logModel(FIXTURE, run.runId);
    await run.end();
    expect(source).toBe(`runs:/${run.runId}/model`);
    const listed = await client.listArtifacts({ run_id: run.runId, path: 'model' });
    expect(listed.files?.map((f) => f.path).sort()).toEqual((await listLocalFiles(FIXTURE)).map((f) => `model/${f}`));

    const first = await client.registry.registerModel(source, 'sdk-iris', { tags: { team: 'ml' } });
    expect(first).toMatchObject({ name: 'sdk-iris', version: '1', run_id: run.runId, source, status: 'READY' });
    // The model now exists: the second registration tolerates RESOURCE_ALREADY_EXISTS.
    const second = await client.registry.registerModel(source, 'sdk-iris');
    expect(second.version).toBe('2');

    await client.registry.setRegisteredModelAlias({ name: 'sdk-iris', alias: 'champion', version: '1' });
    const byAlias = await client.registry.resolveModelUri('models:/sdk-iris@champion');
    expect(byAlias).toEqual({ name: 'sdk-iris', version: '1', artifactUri: expect.stringMatching(new RegExp(`^mlflow-artifacts:/.+/${run.runId}/artifacts/model$`)) });
    await client.registry.transitionModelVersionStage({ name: 'sdk-iris', version: '1', stage: 'Production', archive_existing_versions: false });
    expect((await client.registry.resolveModelUri('models:/sdk-iris/latest')).version).toBe('2');
    expect((await client.registry.resolveModelUri('models:/sdk-iris/Production')).version).toBe('1');

    const dest = join(work, 'champion');
    expect(await client.registry.downloadModel('models:/sdk-iris@champion', dest)).toBe(dest);
    const files = await listLocalFiles(FIXTURE);
    expect(await listLocalFiles(dest)).toEqual(files);
    for (const file of files) expect((await readFile(join(dest, file))).equals(await readFile(join(FIXTURE, file)))).toBe(true);

    // DELETE sends its fields as a JSON body; the server must read them from there.
    await client.registry.deleteRegisteredModelAlias({ name: 'sdk-iris', alias: 'champion' });
    await expect(client.registry.resolveModelUri('models:/sdk-iris@champion')).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
  });

  it('pages through registered models and versions', async () => {
    const client = server.client();
    const run = await client.startRun({ experimentName: 'sdk-registry-paging' });
    const source = await client.registry.logModel(FIXTURE, run.runId, 'nested/model');
    await run.end();
    expect(source).toBe(`runs:/${run.runId}/nested/model`);
    for (const name of ['page-a', 'page-b', 'page-c']) await client.registry.registerModel(source, name);
    for (let i = 0; i < 2; i++) await client.registry.registerModel(source, 'page-a');

    const names: string[] = [];
    for await (const m of client.registry.registeredModels({ filter: "name LIKE 'page-%'", max_results: 2 })) names.push(m.name);
    expect(names).toEqual(['page-a', 'page-b', 'page-c']);
    const versions: string[] = [];
    for await (const v of client.registry.modelVersions({ filter: "name = 'page-a'", max_results: 2 })) versions.push(v.version);
    expect(versions).toEqual(['3', '2', '1']);
  });

  it('refuses to log a folder that is not an MLflow model', async () => {
    const client = server.client();
    const run = await client.startRun({ experimentName: 'sdk-registry' });
    await expect(client.registry.logModel(work, run.runId)).rejects.toThrow(/has no MLmodel file/);
    await run.end();
  });
});
