import autocannon from 'autocannon';
import type { HttpClient } from './http.js';

export interface LoadOptions {
  url: string;
  body: string;
  connections: number;
  durationSeconds: number;
}

export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  /** Answers that were not 2xx, and requests that got no answer (errors and timeouts). */
  non2xx: number;
  errors: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
}

/**
 * Drives a POST endpoint with autocannon (keep-alive connections, HdrHistogram latencies) from
 * this process. The server under test runs in its own process.
 */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const r = await autocannon({
    url: o.url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: o.body,
    connections: o.connections,
    duration: o.durationSeconds,
  });
  return {
    requests: r.requests.total,
    requestsPerSecond: Math.round(r.requests.total / (r.duration || o.durationSeconds)),
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max, mean: r.latency.mean },
  };
}

export interface PacedResult {
  sent: number;
  failed: number;
  /** Latency of each answer, in ms, with when it arrived (performance.now()). */
  answers: { at: number; ms: number; ok: boolean }[];
}

/**
 * Sends requests at an even pace (`rate` per second, in 1 ms ticks) over keep-alive connections,
 * timing each from send to last byte. Unlike autocannon's rate mode, which releases a second's
 * requests in bursts, this measures the latency a steady stream of callers sees.
 */
export async function runPaced(o: { client: HttpClient; path: string; body: string; rate: number; durationSeconds: number }): Promise<PacedResult> {
  const answers: PacedResult['answers'] = [];
  const pending: Promise<void>[] = [];
  let failed = 0;
  const started = performance.now();
  let sent = 0;
  while (performance.now() - started < o.durationSeconds * 1000) {
    const due = Math.floor(((performance.now() - started) / 1000) * o.rate);
    for (; sent < due; sent++) {
      pending.push(
        o.client.send('POST', o.path, o.body).then(
          (res) => void answers.push({ at: performance.now(), ms: res.ms, ok: res.status === 200 }),
          () => void failed++,
        ),
      );
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(pending);
  return { sent, failed: failed + answers.filter((a) => !a.ok).length, answers };
}
