import { randomBytes, randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { MiB, PROXY, expectInvalid, pseudoRandomStream, sha256, type ArtifactTestClient } from './artifact-test-client.js';

/** Upload, download, listing and deletion through the proxy, and its path confinement. */
export function defineProxyTests(c: ArtifactTestClient): void {
  it('round-trips binary bytes exactly, whatever content type the client sends', async () => {
    const root = c.fresh();
    const bytes = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(256 * 1024)]);
    expect((await c.put(`${root}/model.bin`, bytes, { 'content-type': 'application/octet-stream' })).json()).toEqual({});
    const got = await c.get(`${root}/model.bin`);
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(bytes)).toBe(true);
    expect(got.headers['content-length']).toBe(String(bytes.length));
    expect(got.headers['content-type']).toBe('application/octet-stream');
    expect(got.headers['content-disposition']).toContain('attachment; filename="model.bin"');
    expect(got.headers['x-content-type-options']).toBe('nosniff');

    // MLflow labels a .json artifact application/json; the bytes (not even valid JSON) must pass untouched.
    const notJson = Buffer.from('{"not": json at all');
    expect((await c.put(`${root}/metrics.json`, notJson, { 'content-type': 'application/json' })).statusCode).toBe(200);
    const json = await c.get(`${root}/metrics.json`);
    expect(json.rawPayload.equals(notJson)).toBe(true);
    expect(json.headers['content-type']).toMatch(/^text\/plain/);

    expect((await c.put(`${root}/no-type`, Buffer.from('raw'))).statusCode).toBe(200);
    expect((await c.put(`${root}/empty.txt`, Buffer.alloc(0))).statusCode).toBe(200);
    expect((await c.get(`${root}/empty.txt`)).headers['content-length']).toBe('0');
    expect((await c.get(`${root}/no-type`)).payload).toBe('raw');

    // The web UI's twin prefix serves the same store.
    const ajax = await c.inject({ method: 'GET', url: `/ajax-api/2.0/mlflow-artifacts/artifacts/${root}/model.bin` });
    expect(ajax.rawPayload.equals(bytes)).toBe(true);
  });

  it('streams a 20 MiB upload and serves it back byte for byte', async () => {
    const root = c.fresh();
    const { stream, digest } = pseudoRandomStream(20 * MiB, 'twenty');
    const res = await c.put(`${root}/big/weights.bin`, stream, { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' });
    expect(res.statusCode).toBe(200);
    const got = await c.get(`${root}/big/weights.bin`);
    expect(got.headers['content-length']).toBe(String(20 * MiB));
    expect(sha256(got.rawPayload)).toBe(digest());
    expect((await c.list(`${root}/big`)).json()).toEqual({ files: [{ path: 'weights.bin', is_dir: false, file_size: 20 * MiB }] });
  });

  it('lists nested folders with sizes, relative to the listed folder', async () => {
    const root = c.fresh();
    await c.put(`${root}/a.txt`, 'aaa');
    await c.put(`${root}/dir/b.bin`, Buffer.alloc(10));
    await c.put(`${root}/dir/sub/c.txt`, 'c');
    expect((await c.list(root)).json()).toEqual({
      files: [
        { path: 'a.txt', is_dir: false, file_size: 3 },
        { path: 'dir', is_dir: true },
      ],
    });
    expect((await c.list(`${root}/dir`)).json()).toEqual({
      files: [
        { path: 'b.bin', is_dir: false, file_size: 10 },
        { path: 'sub', is_dir: true },
      ],
    });
    expect((await c.list(`${root}/dir/sub/`)).json()).toEqual({ files: [{ path: 'c.txt', is_dir: false, file_size: 1 }] });
    expect((await c.list(`${root}/missing`)).json()).toEqual({});
    expect((await c.list(`${root}/a.txt`)).json()).toEqual({});
    expect((await c.list()).json().files).toContainEqual({ path: root, is_dir: true });
  });

  it('deletes a file and a whole folder; deleting what is absent succeeds', async () => {
    const root = c.fresh();
    await c.put(`${root}/keep.txt`, 'k');
    await c.put(`${root}/gone.txt`, 'g');
    await c.put(`${root}/folder/x.txt`, 'x');
    await c.put(`${root}/folder/deeper/y.txt`, 'y');

    const del = (path: string) => c.inject({ method: 'DELETE', url: `${PROXY}/artifacts/${path}` });
    expect((await del(`${root}/gone.txt`)).json()).toEqual({});
    expect((await c.get(`${root}/gone.txt`)).statusCode).toBe(404);
    expect((await del(`${root}/folder`)).statusCode).toBe(200);
    expect((await c.get(`${root}/folder/deeper/y.txt`)).statusCode).toBe(404);
    expect((await c.list(root)).json()).toEqual({ files: [{ path: 'keep.txt', is_dir: false, file_size: 1 }] });
    expect((await del(`${root}/never-was`)).statusCode).toBe(200);
    // Without a path DELETE would empty the whole store.
    expectInvalid(await del(''));
    expect((await c.get(`${root}/keep.txt`)).payload).toBe('k');
  });

  it("answers a missing file with 404 in MLflow's error shape", async () => {
    const root = c.fresh();
    const missing = await c.get(`${root}/nope.txt`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: expect.stringContaining('nope.txt') });
    await c.put(`${root}/folder/file.txt`, 'f');
    expect((await c.get(`${root}/folder`)).json().error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    expect((await c.inject({ method: 'HEAD', url: `${PROXY}/artifacts/${root}/nope.txt` })).statusCode).toBe(404);
    const head = await c.inject({ method: 'HEAD', url: `${PROXY}/artifacts/${root}/folder/file.txt` });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe('1');
    expect(head.payload).toBe('');
  });

  it('rejects every path that tries to leave the store, and writes nothing', async () => {
    const marker = `escape-${randomUUID()}`;
    const attempts = [
      `..%2f..%2f${marker}`,
      `a/..%2F..%2F..%2F..%2F${marker}`,
      `%252e%252e%252f%252e%252e%252f${marker}`,
      `%25252e%25252e/${marker}`,
      `..%5c..%5c${marker}`,
      `a%5C..%5C${marker}`,
      `%2Ftmp%2F${marker}`,
      `/tmp/${marker}`,
      `C:%5C${marker}`,
      `C:/${marker}`,
      `ok%00${marker}`,
      `a%23${marker}`,
    ];
    for (const path of attempts) {
      for (const method of ['PUT', 'GET', 'DELETE'] as const) {
        const res = await c.inject({ method, url: `${PROXY}/artifacts/${path}`, ...(method === 'PUT' ? { payload: 'pwned' } : {}) });
        expect({ path, method, status: res.statusCode, code: res.json().error_code }).toEqual({
          path,
          method,
          status: 400,
          code: 'INVALID_PARAMETER_VALUE',
        });
      }
      const part = await c.inject({ method: 'PUT', url: `${PROXY}/mpu/part/u/1/${path}`, payload: 'pwned' });
      expect({ path, status: part.statusCode }).toEqual({ path, status: 400 });
    }
    for (const path of ['..', '../..', `../${marker}`, '/etc', '%2e%2e', '%252e%252e/x', 'a\\..\\..', 'a\0b']) {
      expectInvalid(await c.list(path));
    }
    expectInvalid(await c.mpu('create', `..%2f..%2f${marker}`, { path: `/local/${marker}.bin`, num_parts: 1 }));
    expectInvalid(await c.mpu('create', c.fresh(), { path: '/local/..', num_parts: 1 }));
    expectInvalid(await c.mpu('create', c.fresh(), { path: 'C:\\Users\\me\\', num_parts: 1 }));
    expect(await c.env().strayWrites(marker)).toEqual([]);
  });
}
