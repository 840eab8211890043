import { describe, expect, it } from 'vitest';
import { CapstanClient } from '../client.js';
import type { FetchFn } from '../http/transport.js';

interface Call {
  method: string;
  url: string;
  headers: Headers;
  body: string | undefined;
}

/** A scripted `fetch` recording each request; each call consumes the next step. */
function scripted(steps: Array<Response | Error>) {
  const calls: Call[] = [];
  const fetch: FetchFn = async (input, init) => {
    const body = typeof init?.body === 'string' ? init.body : undefined;
    calls.push({ method: init?.method ?? 'GET', url: String(input), headers: new Headers(init?.headers), body });
    const step = steps.shift();
    if (!step) throw new Error('no more scripted responses');
    if (step instanceof Error) throw step;
    return step;
  };
  return { fetch, calls };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const client = (fetch: FetchFn, env: Record<string, string> = {}) =>
  new CapstanClient({ url: 'http://server', fetch, env, retries: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 } });
const reset = () => new TypeError('fetch failed', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) });
const event = (seq: number) => ({ seq, action: 'security.whoami' });

describe('SecurityClient requests', () => {
  it('sends GET fields in the query string and fills path parameters', async () => {
    const { fetch, calls } = scripted([json({ tokens: [] }), json({ user: {} })]);
    const c = client(fetch);
    await c.security.listTokens({ all: true });
    await c.security.getUser({ username: 'a b/c' });
    expect(calls.map((x) => [x.method, x.url, x.body])).toEqual([
      ['GET', 'http://server/api/capstan/v1/tokens?all=true', undefined],
      ['GET', 'http://server/api/capstan/v1/users/a%20b%2Fc', undefined],
    ]);
  });

  it('sends the other fields of PUT, PATCH and DELETE as a JSON body, without the path parameters', async () => {
    const { fetch, calls } = scripted([json({ members: [] }), json({ grants: [] }), json({ user: {} })]);
    const c = client(fetch);
    await c.security.removeWorkspaceMember({ workspace: 'team', group: 'ml' });
    await c.security.deleteGrant({ object_type: 'experiment', object_id: '7', user: 'bob' });
    await c.security.updateUser({ username: 'bob', disabled: true });
    expect(calls.map((x) => [x.method, x.url, x.body && JSON.parse(x.body)])).toEqual([
      ['DELETE', 'http://server/api/capstan/v1/workspaces/team/members', { group: 'ml' }],
      ['DELETE', 'http://server/api/capstan/v1/grants', { object_type: 'experiment', object_id: '7', user: 'bob' }],
      ['PATCH', 'http://server/api/capstan/v1/users/bob', { disabled: true }],
    ]);
    expect(calls[0]?.headers.get('content-type')).toBe('application/json');
  });

  it('retries a dropped PUT but not a dropped POST, which may have created something', async () => {
    const put = scripted([reset(), json({ group: { name: 'g', description: '', members: ['u'] } })]);
    await expect(client(put.fetch).security.addGroupMember({ group: 'g', username: 'u' })).resolves.toMatchObject({ group: { members: ['u'] } });
    expect(put.calls).toHaveLength(2);

    const post = scripted([reset(), json({})]);
    await expect(client(post.fetch).security.createToken({ name: 'ci', scopes: ['read'] })).rejects.toMatchObject({ name: 'CapstanNetworkError' });
    expect(post.calls).toHaveLength(1);
  });

  it('surfaces UNAUTHENTICATED with the server message', async () => {
    const { fetch } = scripted([json({ error_code: 'UNAUTHENTICATED', message: 'Invalid or revoked API token' }, 401)]);
    await expect(client(fetch).security.whoami()).rejects.toMatchObject({ code: 'UNAUTHENTICATED', status: 401, message: 'Invalid or revoked API token' });
  });
});

describe('workspace header', () => {
  it('goes on every request when CAPSTAN_WORKSPACE or the option names one', async () => {
    const { fetch, calls } = scripted([json({ experiment_id: '1' }), json({ workspaces: [] }), json({ workspaces: [] })]);
    const c = client(fetch, { CAPSTAN_WORKSPACE: 'team-a' });
    await c.createExperiment({ name: 'x' });
    await c.security.listWorkspaces();
    await new CapstanClient({ url: 'http://server', fetch, env: { CAPSTAN_WORKSPACE: 'team-a' }, workspace: 'team-b' }).security.listWorkspaces();
    expect(calls.map((x) => x.headers.get('x-capstan-workspace'))).toEqual(['team-a', 'team-a', 'team-b']);
  });

  it('is absent when no workspace is configured', async () => {
    const { fetch, calls } = scripted([json({ workspaces: [] })]);
    await client(fetch).security.listWorkspaces();
    expect(calls[0]?.headers.has('x-capstan-workspace')).toBe(false);
  });
});

describe('audit', () => {
  it('follows next_page_token, keeping the filters on every page', async () => {
    const { fetch, calls } = scripted([
      json({ events: [event(5), event(4)], next_page_token: 'p2' }),
      json({ events: [event(3)], next_page_token: 'p3' }),
      json({ events: [] }),
    ]);
    const seqs: number[] = [];
    for await (const e of client(fetch).security.auditEvents({ actor: 'bob', since: '2024-05-01T00:00:00Z', max_results: 2 })) seqs.push(e.seq);
    expect(seqs).toEqual([5, 4, 3]);
    const queries = calls.map((x) => Object.fromEntries(new URL(x.url).searchParams));
    expect(queries).toEqual([
      { actor: 'bob', since: '2024-05-01T00:00:00Z', max_results: '2' },
      { actor: 'bob', since: '2024-05-01T00:00:00Z', max_results: '2', page_token: 'p2' },
      { actor: 'bob', since: '2024-05-01T00:00:00Z', max_results: '2', page_token: 'p3' },
    ]);
  });

  it('stops fetching pages when the caller stops', async () => {
    const { fetch, calls } = scripted([json({ events: [event(2), event(1)], next_page_token: 'p2' })]);
    for await (const e of client(fetch).security.auditEvents()) if (e.seq === 2) break;
    expect(calls).toHaveLength(1);
  });

  it('streams export lines split across chunks, skipping blank lines', async () => {
    const encoder = new TextEncoder();
    const chunks = ['{"seq":1}\n{"se', 'q":2}\n\n', '{"seq":3}'];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
        controller.close();
      },
    });
    const { fetch, calls } = scripted([new Response(body, { headers: { 'content-type': 'application/x-ndjson' } })]);
    const events = [];
    for await (const e of client(fetch).security.exportAuditEvents({ action: 'security.*' })) events.push(e);
    expect(events).toEqual([{ seq: 1 }, { seq: 2 }, { seq: 3 }]);
    expect(calls[0]?.url).toBe('http://server/api/capstan/v1/audit/export?action=security.*');
  });

  it('cancels the export download when the caller stops early', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode('{"seq":1}\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    const { fetch } = scripted([new Response(body)]);
    for await (const line of client(fetch).security.exportAuditLines()) if (line === '{"seq":1}') break;
    expect(cancelled).toBe(true);
  });

  it('returns the raw export text', async () => {
    const { fetch } = scripted([new Response('{"seq":1}\n{"seq":2}\n')]);
    await expect(client(fetch).security.exportAudit()).resolves.toBe('{"seq":1}\n{"seq":2}\n');
  });
});
