import { describe, expect, it } from 'vitest';
import { CapstanApiError } from '../errors.js';
import type { FetchFn } from '../http/transport.js';
import { CapstanClient } from '../client.js';
import { MAX_LABELS_PER_CALL } from './performance.js';

interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

function scripted(steps: Response[]) {
  const calls: Call[] = [];
  const fetch: FetchFn = async (input, init) => {
    calls.push({
      method: init?.method ?? 'GET',
      url: String(input).replace('http://server', ''),
      headers: init?.headers as Record<string, string>,
      body: typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
    });
    const step = steps.shift();
    if (!step) throw new Error('no more scripted responses');
    return step;
  };
  return { calls, client: new CapstanClient({ url: 'http://server', fetch, env: {}, retries: 0, workspace: 'risk', token: 't0k' }).monitoring.performance };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('PerformanceClient requests', () => {
  it('posts labels to the deployment, splitting batches the server would refuse', async () => {
    const labels = Array.from({ length: MAX_LABELS_PER_CALL + 2 }, (_, i) => ({ request_id: `r-${i}`, label: i % 2 }));
    const { client, calls } = scripted([json({ stored: MAX_LABELS_PER_CALL }), json({ stored: 2 })]);
    expect(await client.postLabels('fraud model', labels)).toEqual({ stored: MAX_LABELS_PER_CALL + 2 });
    expect(calls.map((c) => [c.method, c.url, (c.body as { labels: unknown[] }).labels.length])).toEqual([
      ['POST', '/api/capstan/v1/deployments/fraud%20model/labels', MAX_LABELS_PER_CALL],
      ['POST', '/api/capstan/v1/deployments/fraud%20model/labels', 2],
    ]);
    expect(calls[1]!.body).toEqual({ labels: labels.slice(MAX_LABELS_PER_CALL) });
    expect(calls[0]!.headers).toMatchObject({ authorization: 'Bearer t0k', 'x-capstan-workspace': 'risk', 'content-type': 'application/json' });
    expect(await client.postLabels('fraud', [])).toEqual({ stored: 0 });
    expect(calls).toHaveLength(2);
  });

  it('sends the report request as is and returns the report; errors keep the server code and message', async () => {
    const performance = { task: 'classification', status: 'no_rows', rows: 0 };
    const { client, calls } = scripted([
      json({ performance }),
      json({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid performance request: prediction: required' }, 400),
    ]);
    const request = { current: { deployment: 'fraud', from: 1, to: 2 }, task: 'classification' as const, prediction: 'label', window_ms: 60_000 };
    expect(await client.report(request)).toEqual(performance);
    expect(calls[0]).toMatchObject({ method: 'POST', url: '/api/capstan/v1/monitoring/performance', body: request });
    const failure = await client.report(request).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(CapstanApiError);
    expect(failure).toMatchObject({ status: 400, code: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining('prediction: required') });
  });
});
