import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { PROXY, expectInvalid, type ArtifactTestClient, type CreateResponse } from './artifact-test-client.js';

/** Proxied multipart uploads: create, part uploads to the returned URLs, complete and abort. */
export function defineMultipartTests(c: ArtifactTestClient): void {
  it('completes a multipart upload whose parts arrive out of order', async () => {
    const folder = `${c.fresh()}/artifacts/model`;
    const parts = [randomBytes(64 * 1024), randomBytes(64 * 1024), randomBytes(1000)];
    const created = await c.mpu('create', folder, { path: '/home/me/outputs/model.bin', num_parts: 3 });
    expect(created.statusCode).toBe(200);
    const { upload_id: uploadId, credentials } = created.json() as CreateResponse;
    expect(uploadId).toEqual(expect.any(String));
    expect(credentials.map((credential) => credential.part_number)).toEqual([1, 2, 3]);
    for (const credential of credentials) {
      expect(credential.url).toMatch(/^http:\/\/localhost(:80)?\/api\/2\.0\/mlflow-artifacts\/mpu\/part\//);
      expect(credential.headers).toEqual({});
    }

    const etags = new Map<number, string>();
    for (const index of [2, 0, 1]) {
      const credential = credentials[index]!;
      const res = await c.putToUrl(credential.url, parts[index]!);
      expect(res.statusCode).toBe(200);
      const etag = res.headers.etag;
      expect(etag).toMatch(/^".+"$/);
      etags.set(credential.part_number, String(etag));
    }
    const done = await c.mpu('complete', folder, {
      path: '/home/me/outputs/model.bin',
      upload_id: uploadId,
      parts: [3, 1, 2].map((n) => ({ part_number: n, etag: etags.get(n), url: credentials[n - 1]!.url })),
    });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toEqual({});
    const got = await c.get(`${folder}/model.bin`);
    expect(got.rawPayload.equals(Buffer.concat(parts))).toBe(true);
  });

  it('names the object after the base name of a Windows client path', async () => {
    const folder = c.fresh();
    const { upload_id: uploadId, credentials } = (
      await c.mpu('create', folder, { path: 'C:\\Users\\me\\model.onnx', num_parts: 1 })
    ).json() as CreateResponse;
    const etag = String((await c.putToUrl(credentials[0]!.url, Buffer.from('onnx'))).headers.etag);
    const parts = [{ part_number: 1, etag }];
    expect((await c.mpu('complete', folder, { path: 'C:\\Users\\me\\model.onnx', upload_id: uploadId, parts })).statusCode).toBe(200);
    expect((await c.get(`${folder}/model.onnx`)).payload).toBe('onnx');
  });

  it('aborts a multipart upload, after which it can be neither continued nor completed', async () => {
    const folder = c.fresh();
    const body = { path: '/tmp/big.bin', num_parts: 2 };
    const { upload_id: uploadId, credentials } = (await c.mpu('create', folder, body)).json() as CreateResponse;
    const etag = String((await c.putToUrl(credentials[0]!.url, randomBytes(1024))).headers.etag);
    const aborted = await c.mpu('abort', folder, { path: body.path, upload_id: uploadId });
    expect(aborted.statusCode).toBe(200);
    expect(aborted.json()).toEqual({});
    const late = await c.mpu('complete', folder, { path: body.path, upload_id: uploadId, parts: [{ part_number: 1, etag }] });
    expect(late.statusCode).toBe(404);
    expect(late.json().error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    expect((await c.putToUrl(credentials[1]!.url, randomBytes(10))).statusCode).toBe(404);
    expect((await c.get(`${folder}/big.bin`)).statusCode).toBe(404);
    expect((await c.list(folder)).json()).toEqual({});
  });

  it('refuses to complete with a wrong ETag and leaves no file', async () => {
    const folder = c.fresh();
    const body = { path: '/tmp/data.bin', num_parts: 2 };
    const { upload_id: uploadId, credentials } = (await c.mpu('create', folder, body)).json() as CreateResponse;
    const etags: string[] = [];
    for (const credential of credentials) etags.push(String((await c.putToUrl(credential.url, randomBytes(2048))).headers.etag));
    const wrong = await c.mpu('complete', folder, {
      path: body.path,
      upload_id: uploadId,
      parts: [
        { part_number: 1, etag: etags[0] },
        { part_number: 2, etag: '"0123456789abcdef0123456789abcdef"' },
      ],
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error_code).toBe('INVALID_PARAMETER_VALUE');
    expect((await c.get(`${folder}/data.bin`)).statusCode).toBe(404);
    expect((await c.list(folder)).json()).toEqual({});
  });

  it('validates multipart requests like MLflow', async () => {
    const folder = c.fresh();
    expectInvalid(await c.mpu('create', folder, { num_parts: 1 }));
    expectInvalid(await c.mpu('create', folder, { path: '/tmp/x.bin' }));
    expectInvalid(await c.mpu('create', folder, { path: '/tmp/x.bin', num_parts: 0 }));
    expectInvalid(await c.mpu('create', folder, { path: '/tmp/x.bin', num_parts: 10_001 }));
    expectInvalid(await c.mpu('complete', folder, { path: '/tmp/x.bin', upload_id: 'u', parts: [] }));
    expectInvalid(await c.mpu('abort', folder, { path: '/tmp/x.bin' }));
    const badPart = await c.inject({ method: 'PUT', url: `${PROXY}/mpu/part/u/0/${folder}/x.bin`, payload: 'x' });
    expectInvalid(badPart);
    const unknownUpload = await c.inject({ method: 'PUT', url: `${PROXY}/mpu/part/not-an-upload/1/${folder}/x.bin`, payload: 'x' });
    expect(unknownUpload.json().error_code).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it('builds part URLs from the forwarded origin the client called', async () => {
    const res = await c.inject({
      method: 'POST',
      url: `/ajax-api/2.0/mlflow-artifacts/mpu/create/${c.fresh()}`,
      payload: { path: '/tmp/a b%.bin', num_parts: 1 },
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'mlflow.example.com', 'x-forwarded-prefix': '/tracking/' },
    });
    const { upload_id: uploadId, credentials } = res.json() as CreateResponse;
    const url = new URL(credentials[0]!.url);
    expect(url.origin).toBe('https://mlflow.example.com');
    expect(url.pathname).toMatch(/^\/tracking\/ajax-api\/2\.0\/mlflow-artifacts\/mpu\/part\/[^/]+\/1\/t-[^/]+\/a%20b%25\.bin$/);
    // The same path, served by this server without the proxy's prefix, takes the part.
    const part = await c.inject({ method: 'PUT', url: url.pathname.replace(/^\/tracking/, ''), payload: 'x' });
    expect(part.statusCode).toBe(200);
    const folder = url.pathname.split('/').slice(-2, -1)[0]!;
    await c.mpu('abort', folder, { path: '/tmp/a b%.bin', upload_id: uploadId });
  });
}
