import { describe, expect, it } from 'vitest';
import { CapstanApiError, CapstanNetworkError } from '../errors.js';
import { readJson, Transport, type FetchFn } from './transport.js';

type Step = Response | Error;

/** A scripted `fetch`: each call consumes the next step. Tests the retry loop without a network. */
function scripted(steps: Step[]) {
  const calls: Array<{ url: string; init: RequestInit | undefined }> = [];
  const fetch: FetchFn = async (input, init) => {
    calls.push({ url: String(input), init });
    const step = steps.shift();
    if (!step) throw new Error('no more scripted responses');
    if (step instanceof Error) throw step;
    return step;
  };
  return { fetch, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const transport = (fetch: FetchFn, authorization?: string) =>
  new Transport({ url: 'http://server', fetch, timeoutMs: 0, retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2 }, ...(authorization ? { authorization } : {}) });

const get = (idempotent = true) => ({ method: 'GET', path: '/x', idempotent, read: (r: Response) => readJson<{ ok?: boolean }>(r, 'GET /x') });

describe('Transport', () => {
  it('sends the authorization header and decodes JSON', async () => {
    const { fetch, calls } = scripted([json(200, { ok: true })]);
    await expect(transport(fetch, 'Bearer t').send(get())).resolves.toEqual({ ok: true });
    expect(new Headers(calls[0]!.init?.headers).get('authorization')).toBe('Bearer t');
  });

  it('retries 503 and 429, honouring Retry-After', async () => {
    const { fetch, calls } = scripted([json(503, {}), json(429, {}, { 'retry-after': '0' }), json(200, { ok: true })]);
    await expect(transport(fetch).send(get(false))).resolves.toEqual({ ok: true });
    expect(calls).toHaveLength(3);
  });

  it('never retries a 4xx and surfaces the server error code', async () => {
    const { fetch, calls } = scripted([json(400, { error_code: 'INVALID_PARAMETER_VALUE', message: 'bad' })]);
    const error = await transport(fetch).send(get()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CapstanApiError);
    expect(error).toMatchObject({ code: 'INVALID_PARAMETER_VALUE', status: 400, message: 'bad' });
    expect(calls).toHaveLength(1);
  });

  it('infers a code from the status when the body is not MLflow JSON', async () => {
    const { fetch } = scripted([new Response('<html>gateway</html>', { status: 404 })]);
    await expect(transport(fetch).send(get())).rejects.toMatchObject({ code: 'ENDPOINT_NOT_FOUND', status: 404 });
  });

  it('retries a dropped connection only for idempotent requests', async () => {
    const reset = () => new TypeError('fetch failed', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) });
    const a = scripted([reset(), json(200, { ok: true })]);
    await expect(transport(a.fetch).send(get(true))).resolves.toEqual({ ok: true });
    const b = scripted([reset(), json(200, { ok: true })]);
    await expect(transport(b.fetch).send(get(false))).rejects.toBeInstanceOf(CapstanNetworkError);
    expect(b.calls).toHaveLength(1);
  });

  it('gives up after maxRetries', async () => {
    const { fetch, calls } = scripted([json(503, {}), json(503, {}), json(503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'busy' })]);
    await expect(transport(fetch).send(get())).rejects.toMatchObject({ code: 'TEMPORARILY_UNAVAILABLE', status: 503 });
    expect(calls).toHaveLength(3);
  });

  it('does not retry or disguise a local file error while reading the body', async () => {
    const { fetch, calls } = scripted([json(200, {}), json(200, {})]);
    const diskFull = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC', syscall: 'write', path: '/tmp/x' });
    const read = async () => {
      throw diskFull;
    };
    await expect(transport(fetch).send({ method: 'GET', path: '/x', idempotent: true, read })).rejects.toBe(diskFull);
    expect(calls).toHaveLength(1);
  });

  it('reports a timeout as a network error', async () => {
    const hang: FetchFn = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    const t = new Transport({ url: 'http://server', fetch: hang, timeoutMs: 20, retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 } });
    await expect(t.send(get())).rejects.toMatchObject({ name: 'CapstanNetworkError', timedOut: true });
  });
});
