import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readdir, stat } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localTarget, type ArtifactTestEnv } from './test-support/artifact-targets.js';

const PROXY = '/api/2.0/mlflow-artifacts';
const MiB = 1024 * 1024;

/** What only a real HTTP connection shows: streaming while bytes arrive, disconnects, unnormalised URLs. */
describe('artifact proxy over a real socket', () => {
  let env: ArtifactTestEnv;
  let port: number;
  beforeAll(async () => {
    env = await localTarget('sqlite').start();
    await env.t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (env.t.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    // fetch keeps connections alive, and Node does not count a keep-alive socket as idle (so
    // app.close() waits for it) when its last request arrived while a large streamed response was
    // still draining. The client is done with them; drop them before shutting down.
    env.t.app.server.closeAllConnections();
    await env.stop();
  });

  const url = (path: string) => `http://127.0.0.1:${port}${path}`;

  it('stores an upload while it is still arriving, then streams it back', async () => {
    const folder = `sock-${randomUUID()}`;
    const chunks = Array.from({ length: 12 }, () => randomBytes(MiB));
    const upload = openUpload(port, `${PROXY}/artifacts/${folder}/stream.bin`);
    for (const chunk of chunks.slice(0, 4)) upload.request.write(chunk);
    // Proof of streaming: bytes reach the store before the client has finished sending.
    await waitFor(async () => (await bytesUnder(join(env.t.artifactsDir, folder))) > 0);
    for (const chunk of chunks.slice(4)) upload.request.write(chunk);
    upload.request.end();
    const response = await upload.response;
    expect(response.statusCode).toBe(200);

    const download = await fetch(url(`${PROXY}/artifacts/${folder}/stream.bin`));
    expect(download.status).toBe(200);
    expect(download.headers.get('content-length')).toBe(String(12 * MiB));
    const hash = createHash('sha256');
    let received = 0;
    for await (const part of download.body!) {
      hash.update(part);
      received += part.length;
    }
    expect(received).toBe(12 * MiB);
    expect(hash.digest('hex')).toBe(createHash('sha256').update(Buffer.concat(chunks)).digest('hex'));
  });

  it('discards a half-received upload when the client disconnects', async () => {
    const folder = `sock-${randomUUID()}`;
    const upload = openUpload(port, `${PROXY}/artifacts/${folder}/cut.bin`);
    upload.response.catch(() => undefined);
    upload.request.on('error', () => undefined);
    upload.request.write(randomBytes(2 * MiB));
    await waitFor(async () => (await bytesUnder(join(env.t.artifactsDir, folder))) > 0);
    upload.request.destroy();
    await waitFor(async () => (await bytesUnder(join(env.t.artifactsDir, folder))) === 0);
    expect((await fetch(url(`${PROXY}/artifacts/${folder}/cut.bin`))).status).toBe(404);
  });

  it('rejects traversal spelled in ways URL parsers would normalise away', async () => {
    const marker = `escape-${randomUUID()}`;
    const paths = [
      `${PROXY}/artifacts/../../../../${marker}`,
      `${PROXY}/artifacts/a/../../../../../${marker}`,
      `${PROXY}/artifacts/a/%2e%2e/%2e%2e/%2e%2e/%2e%2e/${marker}`,
      `${PROXY}/artifacts/%2E%2E/%2E%2E/${marker}`,
      `/ajax-api/2.0/mlflow-artifacts/artifacts/.%2e/.%2e/${marker}`,
      `${PROXY}/mpu/part/u/1/../../${marker}`,
    ];
    for (const path of paths) {
      for (const method of path.includes('/mpu/part/') ? ['PUT'] : ['PUT', 'GET', 'DELETE']) {
        const res = await rawRequest(port, method, path, method === 'PUT' ? 'pwned' : undefined);
        expect({ path, method, status: res.status, body: res.body }).toMatchObject({
          path,
          method,
          status: 400,
          body: expect.stringContaining('INVALID_PARAMETER_VALUE'),
        });
      }
    }
    expect(await env.strayWrites(marker)).toEqual([]);
  });

  it('completes a multipart upload through the absolute part URLs it hands out', async () => {
    const folder = `sock-${randomUUID()}`;
    const parts = [randomBytes(3 * MiB), randomBytes(3 * MiB), randomBytes(17)];
    const mpu = (action: string, body: object) =>
      fetch(url(`${PROXY}/mpu/${action}/${folder}`), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const created = (await (await mpu('create', { path: '/data/model.safetensors', num_parts: 3 })).json()) as {
      upload_id: string;
      credentials: Array<{ url: string; part_number: number; headers: Record<string, string> }>;
    };
    const uploaded = await Promise.all(
      [...created.credentials].reverse().map(async (credential) => {
        expect(credential.url.startsWith(url(`${PROXY}/mpu/part/`))).toBe(true);
        const res = await fetch(credential.url, { method: 'PUT', headers: credential.headers, body: parts[credential.part_number - 1] });
        expect(res.status).toBe(200);
        return { part_number: credential.part_number, etag: res.headers.get('etag'), url: credential.url };
      }),
    );
    const completed = await mpu('complete', { path: '/data/model.safetensors', upload_id: created.upload_id, parts: uploaded });
    expect(completed.status).toBe(200);
    const got = Buffer.from(await (await fetch(url(`${PROXY}/artifacts/${folder}/model.safetensors`))).arrayBuffer());
    expect(got.equals(Buffer.concat(parts))).toBe(true);
  });
});

function openUpload(port: number, path: string): { request: ReturnType<typeof httpRequest>; response: Promise<IncomingMessage> } {
  const request = httpRequest({
    host: '127.0.0.1',
    port,
    path,
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' },
  });
  const response = once(request, 'response').then(([res]) => {
    (res as IncomingMessage).resume();
    return res as IncomingMessage;
  });
  return { request, response };
}

/** A request whose path goes on the wire exactly as written (fetch and URL would resolve `..`). */
async function rawRequest(port: number, method: string, path: string, body?: string): Promise<{ status: number; body: string }> {
  const request = httpRequest({ host: '127.0.0.1', port, path, method });
  request.end(body);
  const [response] = (await once(request, 'response')) as [IncomingMessage];
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return { status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() };
}

/** Bytes in every file under a folder, the store's in-progress temp files included. */
async function bytesUnder(folder: string): Promise<number> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true }).catch(() => []);
  let total = 0;
  for (const entry of entries) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name)).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
