import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelVersion, RegisteredModel } from '@capstan/contracts';
import { CapstanClient } from '@capstan/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './test-support/run-cli.js';
import { startTestServer, type TestServer } from './test-support/test-server.js';

const FIXTURE = fileURLToPath(new URL('../../../fixtures/models/iris-onnx', import.meta.url));

let server: TestServer;
let work: string;
let runId: string;
beforeAll(async () => {
  server = await startTestServer();
  work = await mkdtemp(join(tmpdir(), 'capstan-cli-models-'));
  const client = new CapstanClient({ url: server.url, env: {} });
  const run = await client.startRun({ experimentName: 'cli-models', runName: 'train-iris' });
  await run.end();
  runId = run.runId;
});
afterAll(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

const capstan = (...argv: string[]) => runCli(argv, { env: { CAPSTAN_URL: server.url } });

/** The fixture's files, relative, sorted. */
async function filesOf(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name).sort();
}

describe('capstan models against a real server', () => {
  it('logs, registers, aliases and downloads the iris fixture byte for byte', async () => {
    const logged = await capstan('models', 'log', FIXTURE, '--run', runId);
    expect(logged).toEqual({ code: 0, stdout: `runs:/${runId}/model\n`, stderr: '' });

    const registered = await capstan('models', 'register', `runs:/${runId}/model`, '--name', 'iris');
    expect(registered).toEqual({ code: 0, stdout: "Registered 'iris' version 1\n", stderr: '' });
    const again = await capstan('models', 'register', `runs:/${runId}/model`, '--name', 'iris', '--json');
    expect(JSON.parse(again.stdout) as ModelVersion).toMatchObject({ name: 'iris', version: '2', run_id: runId, status: 'READY' });

    const alias = await capstan('models', 'alias', 'set', 'iris', 'champion', '1');
    expect(alias).toEqual({ code: 0, stdout: "Set alias 'champion' of 'iris' to version 1\n", stderr: '' });

    const dest = join(work, 'champion');
    const downloaded = await capstan('models', 'download', 'models:/iris@champion', '--output', dest);
    expect(downloaded).toEqual({ code: 0, stdout: `Downloaded 'iris' version 1 to ${dest}\n`, stderr: '' });
    const files = await filesOf(FIXTURE);
    expect(files).toContain('MLmodel');
    expect(await filesOf(dest)).toEqual(files);
    for (const file of files) expect((await readFile(join(dest, file))).equals(await readFile(join(FIXTURE, file)))).toBe(true);

    const latest = await capstan('models', 'download', 'models:/iris/latest', '--output', join(work, 'latest'), '--json');
    expect(JSON.parse(latest.stdout)).toEqual({ name: 'iris', version: '2', artifact_uri: expect.stringMatching(/^mlflow-artifacts:\/.+\/model$/), path: join(work, 'latest') });
  });

  it('prints the lineage of a version as a tree from the server graph', async () => {
    const tree = await capstan('models', 'lineage', 'iris', '1');
    expect(tree.code).toBe(0);
    expect(tree.stdout).toContain('model_version');
    expect(tree.stdout).toContain('produced_by');
    expect(tree.stdout).toContain(runId);
    const json = JSON.parse((await capstan('models', 'lineage', 'iris', '1', '--json')).stdout) as { root: string; edges: { relation: string }[] };
    expect(json.root).toBe('model_version:iris/1');
    expect(json.edges.map((e) => e.relation)).toEqual(expect.arrayContaining(['version_of', 'produced_by', 'in_experiment']));
  });

  it('lists models and versions as tables and JSON', async () => {
    await capstan('models', 'register', `runs:/${runId}/model`, '--name', 'other-model');
    const table = await capstan('models', 'list');
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+LATEST VERSIONS\s+ALIASES\s+UPDATED\s+DESCRIPTION$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['iris', 'other-model']);
    expect(lines[1]).toMatch(/^iris\s+2 \(None\)\s+champion=1\s+\d{4}-\d\d-\d\dT/);

    const filtered = await capstan('models', 'list', '--filter', "name LIKE 'oth%'", '--json');
    expect((JSON.parse(filtered.stdout) as RegisteredModel[]).map((m) => m.name)).toEqual(['other-model']);
    const one = await capstan('models', 'list', '--max-results', '1', '--json');
    expect(JSON.parse(one.stdout)).toHaveLength(1);

    const versions = await capstan('models', 'versions', 'iris');
    expect(versions.code).toBe(0);
    const rows = versions.stdout.trimEnd().split('\n');
    expect(rows[0]).toMatch(/^VERSION\s+STAGE\s+STATUS\s+ALIASES\s+CREATED\s+RUN ID\s+SOURCE$/);
    expect(rows[1]).toMatch(new RegExp(`^2\\s+None\\s+READY\\s+-\\s+\\S+Z\\s+${runId}\\s+runs:/${runId}/model$`));
    expect(rows[2]).toMatch(/^1\s+None\s+READY\s+champion\s+/);
    const json = await capstan('models', 'versions', 'iris', '--json');
    expect((JSON.parse(json.stdout) as ModelVersion[]).map((v) => v.version)).toEqual(['2', '1']);
  });

  it('moves versions between stages, archiving the others on request', async () => {
    expect(await capstan('models', 'stage', 'iris', '1', 'production')).toEqual({ code: 0, stdout: "Moved 'iris' version 1 to Production\n", stderr: '' });
    const second = await capstan('models', 'stage', 'iris', '2', 'Production', '--archive-existing', '--json');
    expect(JSON.parse(second.stdout) as ModelVersion).toMatchObject({ version: '2', current_stage: 'Production' });
    const versions = JSON.parse((await capstan('models', 'versions', 'iris', '--json')).stdout) as ModelVersion[];
    expect(versions.map((v) => [v.version, v.current_stage])).toEqual([
      ['2', 'Production'],
      ['1', 'Archived'],
    ]);
    const bad = await capstan('models', 'stage', 'iris', '1', 'Prod');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/'Prod' is invalid for argument 'stage'\. expected one of None, Staging, Production, Archived/);
  });

  it('deletes aliases and reports errors as `error: CODE: message`', async () => {
    await capstan('models', 'alias', 'set', 'iris', 'temp', '2');
    expect(await capstan('models', 'alias', 'delete', 'iris', 'temp')).toEqual({ code: 0, stdout: "Deleted alias 'temp' of 'iris'\n", stderr: '' });
    const gone = await capstan('models', 'download', 'models:/iris@temp', '--output', join(work, 'temp'));
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^error: RESOURCE_DOES_NOT_EXIST: /);

    const malformed = await capstan('models', 'download', 'models:/iris');
    expect(malformed).toMatchObject({ code: 1, stdout: '' });
    expect(malformed.stderr).toMatch(/^error: INVALID_ARGUMENT: Malformed model URI 'models:\/iris'/);

    const notModel = await capstan('models', 'log', work, '--run', runId);
    expect(notModel.code).toBe(1);
    expect(notModel.stderr).toMatch(/has no MLmodel file/);

    const unknown = await capstan('models', 'versions', 'no-such-model');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: RESOURCE_DOES_NOT_EXIST: /);
  });
});
