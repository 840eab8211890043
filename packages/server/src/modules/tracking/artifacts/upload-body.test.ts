import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandling } from '../../../app/http/error-handler.js';
import { invalidParameter } from '../../../core/errors.js';
import { acceptRawBodies, withUploadBody } from './upload-body.js';

describe('raw upload bodies', () => {
  let app: FastifyInstance;
  let consumed = 0;
  beforeAll(async () => {
    app = Fastify({ bodyLimit: 1024 });
    installErrorHandling(app);
    await app.register(async (scope) => {
      acceptRawBodies(scope);
      scope.put('/upload', async (request) =>
        withUploadBody(request, 10, async (body) => {
          consumed++;
          const chunks: Buffer[] = [];
          for await (const chunk of body) chunks.push(chunk as Buffer);
          return { text: Buffer.concat(chunks).toString() };
        }),
      );
      scope.put('/refuse', async (request) =>
        withUploadBody(request, 10, async () => {
          throw invalidParameter('refused before reading');
        }),
      );
    });
    app.post('/json', async (request) => request.body);
    await app.ready();
  });
  afterAll(async () => app.close());

  const upload = (payload: string | Buffer | Readable, headers: Record<string, string> = {}) =>
    app.inject({ method: 'PUT', url: '/upload', payload, headers });

  it('passes any content type through untouched', async () => {
    expect((await upload('{not json', { 'content-type': 'application/json' })).json()).toEqual({ text: '{not json' });
    expect((await upload(Buffer.from('abc'), { 'content-type': 'image/png' })).json()).toEqual({ text: 'abc' });
    expect((await upload(Buffer.from('raw'))).json()).toEqual({ text: 'raw' });
    expect((await app.inject({ method: 'PUT', url: '/upload' })).json()).toEqual({ text: '' });
  });

  it('refuses a declared length over the limit before reading anything', async () => {
    const before = consumed;
    const res = await upload(Buffer.alloc(11), { 'content-type': 'application/octet-stream' });
    expect(res.statusCode).toBe(413);
    expect(res.json().error_code).toBe('REQUEST_TOO_LARGE');
    expect(consumed).toBe(before);
  });

  it('stops a chunked body once it passes the limit', async () => {
    const stream = Readable.from([Buffer.alloc(6), Buffer.alloc(6)]);
    const res = await upload(stream, { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' });
    expect(res.statusCode).toBe(413);
    expect(res.json().error_code).toBe('REQUEST_TOO_LARGE');
  });

  it('still answers with the error when the consumer gives up without reading', async () => {
    const res = await app.inject({ method: 'PUT', url: '/refuse', payload: Buffer.alloc(8) });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe('refused before reading');
  });

  it('leaves JSON parsing and its body limit in place outside the scope', async () => {
    expect((await app.inject({ method: 'POST', url: '/json', payload: { a: 1 } })).json()).toEqual({ a: 1 });
    const big = await app.inject({ method: 'POST', url: '/json', payload: { a: 'x'.repeat(2048) } });
    expect(big.statusCode).toBe(413);
  });
});
