import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { createHttpServer } from './http-server.js';

function capture(level: 'info' | 'debug') {
  const lines: { msg: string; reqId?: string }[] = [];
  const stream = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(JSON.parse(chunk.toString())), done()) });
  const app = createHttpServer(createLogger(level, stream), 1024);
  app.get('/loud', async () => ({ ok: true }));
  app.get('/quiet', { config: { quietRequestLog: true } }, async (request) => {
    request.log.warn('still logged');
    return { ok: true };
  });
  return { app, lines };
}

describe('the HTTP server', () => {
  it('echoes a sane x-request-id and makes one for anything else', async () => {
    const { app } = capture('info');
    expect((await app.inject({ url: '/loud', headers: { 'x-request-id': 'abc-1' } })).headers['x-request-id']).toBe('abc-1');
    expect((await app.inject({ url: '/loud', headers: { 'x-request-id': 'bad id!' } })).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('writes no request lines for quiet routes at info, but keeps what their handlers log', async () => {
    const { app, lines } = capture('info');
    await app.inject({ url: '/quiet', headers: { 'x-request-id': 'q' } });
    await app.inject({ url: '/loud', headers: { 'x-request-id': 'l' } });
    expect(lines.filter((l) => l.reqId === 'q').map((l) => l.msg)).toEqual(['still logged']);
    expect(lines.filter((l) => l.reqId === 'l').map((l) => l.msg)).toEqual(['incoming request', 'request completed']);
  });

  it('logs every request at debug', async () => {
    const { app, lines } = capture('debug');
    await app.inject({ url: '/quiet', headers: { 'x-request-id': 'q' } });
    expect(lines.filter((l) => l.reqId === 'q').map((l) => l.msg)).toEqual(['incoming request', 'still logged', 'request completed']);
  });
});
