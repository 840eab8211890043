import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from './test-support/server-process.js';

/**
 * Two server processes on one SQLite file, written to concurrently: the lock handling (WAL, busy
 * timeout, BEGIN IMMEDIATE) must keep "database is locked" from ever reaching a client.
 */
describe('parallel writers on one SQLite file', () => {
  let dir: string;
  let servers: ServerProcess[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'capstan-parallel-'));
    const args = ['--backend-store-uri', `sqlite:///${join(dir, 'shared.db')}`, '--artifacts-destination', join(dir, 'artifacts')];
    servers = await Promise.all([startServerProcess(args), startServerProcess(args)]);
  }, 60_000);

  afterAll(async () => {
    const codes = await Promise.all(servers.map((s) => s.stop()));
    expect(codes).toEqual([0, 0]);
    await rm(dir, { recursive: true, force: true });
  });

  it('never fails a write, and every write lands', async () => {
    const post = async (base: string, path: string, body: unknown) => {
      const res = await fetch(new URL(`/api/2.0/mlflow${path}`, base), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as Record<string, unknown>;
      if (res.status !== 200) throw new Error(`${path} -> ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const runIds = await Promise.all(
      servers.map(async (s) => ((await post(s.url, '/runs/create', {})) as { run: { info: { run_id: string } } }).run.info.run_id),
    );
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; i < 20; i++) {
        const server = servers[(w + i) % 2]!;
        const runId = runIds[i % 2]!;
        const metrics = Array.from({ length: 50 }, (_, k) => ({ key: `w${w}`, value: k, timestamp: i, step: i * 50 + k }));
        await post(server.url, '/runs/log-batch', { run_id: runId, metrics, tags: [{ key: `writer-${w}`, value: String(i) }] });
      }
    });
    await Promise.all(writers);

    for (const runId of runIds) {
      for (let w = 0; w < 8; w++) {
        const res = await fetch(new URL(`/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=w${w}`, servers[0]!.url));
        const history = (await res.json()) as { metrics: unknown[] };
        expect(history.metrics).toHaveLength(10 * 50);
      }
    }
  }, 120_000);
});
