import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { listLocalFiles } from './local-files.js';

let server: TestServer;
let work: string;
beforeAll(async () => {
  server = await startTestServer();
  work = await mkdtemp(join(tmpdir(), 'capstan-sdk-art-'));
});
afterAll(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

/** Every byte value, so any text re-encoding on the way would show. */
const binary = Buffer.from(Array.from({ length: 256 * 40 }, (_, i) => i % 256));

async function makeFolder(root: string): Promise<Record<string, Buffer>> {
  const files: Record<string, Buffer> = {
    'model.bin': binary,
    'config/params.json': Buffer.from('{"lr":0.1}\n'),
    'config/nested/deeper/notes with space.txt': Buffer.from('ünïcødé ✓\n'),
    'empty.txt': Buffer.alloc(0),
  };
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return files;
}

describe('artifacts through the proxy', () => {
  it('uploads a folder recursively and downloads it back byte for byte', async () => {
    const client = server.client();
    const run = await client.startRun({ experimentName: 'artifacts' });
    expect(run.artifactUri).toMatch(/^mlflow-artifacts:/);
    const source = join(work, 'source');
    const files = await makeFolder(source);

    await run.logArtifacts(source, 'bundle');
    await run.logArtifact(join(source, 'config/params.json'));
    await run.end();

    const root = await client.listArtifacts({ run_id: run.runId });
    expect(root.files?.map((f) => [f.path, f.is_dir])).toEqual(
      expect.arrayContaining([
        ['bundle', true],
        ['params.json', false],
      ]),
    );
    const nested = await client.listArtifacts({ run_id: run.runId, path: 'bundle/config' });
    expect(nested.files?.map((f) => f.path).sort()).toEqual(['bundle/config/nested', 'bundle/config/params.json']);
    const sized = nested.files?.find((f) => f.path === 'bundle/config/params.json');
    expect(Number(sized?.file_size)).toBe(files['config/params.json']!.length);

    const dest = join(work, 'download');
    const local = await client.downloadArtifacts(run.runId, 'bundle', dest);
    expect(local).toBe(join(dest, 'bundle'));
    expect(await listLocalFiles(local)).toEqual(Object.keys(files).sort());
    for (const [path, content] of Object.entries(files)) {
      expect(await readFile(join(local, path))).toEqual(content);
    }
  });

  it('downloads a single file and the whole root', async () => {
    const client = server.client();
    const run = await client.startRun({ experimentName: 'artifacts' });
    const source = join(work, 'single');
    await makeFolder(source);
    await run.logArtifact(join(source, 'model.bin'), 'weights');
    await run.logArtifacts(join(source, 'config'));

    const one = await client.downloadArtifacts(run.runId, 'weights/model.bin', join(work, 'one'));
    expect(one).toBe(join(work, 'one', 'weights', 'model.bin'));
    expect(await readFile(one)).toEqual(binary);

    const all = await client.downloadArtifacts(run.runId, '', join(work, 'all'));
    expect(await listLocalFiles(all)).toEqual(['nested/deeper/notes with space.txt', 'params.json', 'weights/model.bin']);
    await run.end();
  });

  it('lists through the proxy relative to the listed folder', async () => {
    const client = server.client();
    const run = await client.startRun({ experimentName: 'artifacts' });
    const source = join(work, 'proxy-list');
    await makeFolder(source);
    await run.logArtifacts(source);
    const root = run.artifactUri.replace('mlflow-artifacts:', '').replace(/^\/+/, '');
    const listed = await client.artifacts.list(`${root}/config`);
    expect(listed.map((f) => [f.path, f.is_dir]).sort()).toEqual([
      ['nested', true],
      ['params.json', false],
    ]);
    await run.end();
  });

  it('reports a missing artifact with the server code', async () => {
    const client = server.client();
    const run = await client.startRun({ experimentName: 'artifacts' });
    await expect(client.downloadArtifacts(run.runId, 'nope.txt', join(work, 'missing'))).rejects.toMatchObject({
      name: 'CapstanApiError',
      status: 404,
    });
    await run.end();
  });
});
