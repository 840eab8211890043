import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CapstanClient } from '@capstan/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './test-support/run-cli.js';
import { startTestServer, type TestServer } from './test-support/test-server.js';

const FIXTURE = fileURLToPath(new URL('../../../fixtures/models/iris-onnx', import.meta.url));

let server: TestServer;
let work: string;
beforeAll(async () => {
  server = await startTestServer();
  work = await mkdtemp(join(tmpdir(), 'capstan-cli-deploy-'));
  const client = new CapstanClient({ url: server.url, env: {} });
  const run = await client.startRun({ experimentName: 'cli-deploy', runName: 'train-iris' });
  await run.end();
  expect((await capstan('models', 'log', FIXTURE, '--run', run.runId)).code).toBe(0);
  expect((await capstan('models', 'register', `runs:/${run.runId}/model`, '--name', 'iris')).code).toBe(0);
  expect((await capstan('models', 'alias', 'set', 'iris', 'champion', '1')).code).toBe(0);
});
afterAll(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

const capstan = (...argv: string[]) => runCli(argv, { env: { CAPSTAN_URL: server.url } });

const infer = async (name: string) => {
  const res = await fetch(`${server.url}/v2/models/${name}/infer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 4], data: [5.1, 3.5, 1.4, 0.2] }] }),
  });
  return { status: res.status, body: (await res.json()) as { model_version: string; outputs: { name: string; data: number[] }[] } };
};

describe('capstan deploy and apply against a real server', () => {
  it('puts a registered model live in one command and waits until it answers', async () => {
    const deployed = await capstan('deploy', 'models:/iris@champion', '--name', 'iris');
    expect(deployed.code, deployed.stderr).toBe(0);
    expect(deployed.stderr).toContain("Deployment 'iris' serves iris version 1");
    expect(deployed.stderr).toContain('Ready: POST /v2/models/iris/infer');
    const answer = await infer('iris');
    expect(answer.status).toBe(200);
    expect(answer.body.outputs.find((o) => o.name === 'label')!.data).toEqual([0]);
  });

  it('applies a YAML manifest idempotently, and reports bad manifests by field', async () => {
    const file = join(work, 'deployment.yaml');
    await writeFile(file, 'kind: Deployment\nname: iris-gitops\nspec:\n  models:\n    - uri: models:/iris/1\n  batching:\n    max_batch_size: 8\n    max_queue_delay_micros: 500\n');
    const first = await capstan('apply', '-f', file);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toBe('deployment/iris-gitops created\n');
    expect((await infer('iris-gitops')).status).toBe(200);
    const second = await capstan('apply', '-f', file);
    expect(second.stderr).toBe('deployment/iris-gitops unchanged\n');

    await writeFile(file, 'name: iris-gitops\nspec:\n  models:\n    - uri: models:/iris/1\n  batching:\n    max_batch: 8\n');
    const bad = await capstan('apply', '-f', file);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/spec\.batching/);
  });

  it('grants access to one deployment', async () => {
    await new CapstanClient({ url: server.url, env: {} }).security.createUser({ username: 'alice' });
    const set = await capstan('grants', 'set', '--deployment', 'iris', '--user', 'alice', '--permission', 'READ');
    expect(set.code, set.stderr).toBe(0);
    const listed = await capstan('grants', 'list', '--deployment', 'iris');
    expect(listed.stdout).toContain('alice');
  });

  it('lists, inspects and deletes deployments', async () => {
    const listed = await capstan('deployments', 'list');
    expect((JSON.parse(listed.stdout) as { name: string }[]).map((d) => d.name).sort()).toEqual(['iris', 'iris-gitops']);
    const status = await capstan('deployments', 'status', 'iris');
    expect(JSON.parse(status.stdout)).toMatchObject({ name: 'iris', ready: true, versions: [{ version: '1', state: 'ready' }] });
    expect((await capstan('deployments', 'delete', 'iris-gitops')).code).toBe(0);
    expect((await infer('iris-gitops')).status).toBe(404);
  });
});
