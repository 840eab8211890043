/**
 * Start-to-ready time and resident memory of a standalone serving process with one small model:
 * `capstan serve <folder>` (the compiled CLI, as a container runs it) on the 30-feature logistic
 * regression, from spawn until `/v2/health/ready` answers 200 (the model is loaded, warmed up and
 * the port open), then RSS when ready and after 2,000 requests. Baseline measured in the same run:
 * the bare Fastify + onnxruntime server (baselines/bare-oip-server.mjs) started the same way.
 * `npm run build` first (bench/run-all.ts does).
 *
 *   npx tsx bench/serving-startup.ts [--starts 5] [--requests 2000]
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBenchArgs } from './lib/args.js';
import { rssMiB } from './lib/child.js';
import { HttpClient } from './lib/http.js';
import { emit, progress } from './lib/log.js';
import { machineInfo } from './lib/machine.js';
import { oipRow, servingFixture } from './lib/serving.js';
import { round, summarize } from './lib/stats.js';

const TARGET_READY_MS = 1000;
const TARGET_RSS_MIB = 200;
const CLI = fileURLToPath(new URL('../packages/cli/bin/capstan.js', import.meta.url));
const BARE = fileURLToPath(new URL('./baselines/bare-oip-server.mjs', import.meta.url));

const args = parseBenchArgs({ starts: 5, requests: 2000 });
const { starts, requests } = args.numbers;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

interface Start {
  readyMs: number;
  rssReadyMiB: number;
  rssLoadedMiB: number;
}

/** Spawns the command, polls readiness every 5 ms, then measures RSS before and after some load. */
async function startOnce(command: string[], port: number, readyPath: string, body: string): Promise<Start> {
  const started = performance.now();
  const child = spawn(process.execPath, command, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  try {
    let readyMs: number | undefined;
    while (readyMs === undefined) {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}: ${stderr}`);
      if (performance.now() - started > 30_000) throw new Error(`not ready in 30 s: ${stderr}`);
      const ok = await fetch(`http://127.0.0.1:${port}${readyPath}`).then((r) => r.status === 200, () => false);
      if (ok) readyMs = performance.now() - started;
      else await new Promise((r) => setTimeout(r, 5));
    }
    const rssReadyMiB = rssMiB(child.pid!);
    const http = new HttpClient(`http://127.0.0.1:${port}`, 4);
    for (let i = 0; i < requests; i++) await http.post('/v2/models/fraud/infer', body);
    return { readyMs, rssReadyMiB, rssLoadedMiB: rssMiB(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
  }
}

async function main(): Promise<void> {
  const machine = await machineInfo(args.waitQuiet);
  const fixture = await servingFixture('logreg-30');
  const body = oipRow(fixture.rows[0]!);
  const runs: Record<'capstan' | 'bare', Start[]> = { capstan: [], bare: [] };
  for (let i = 0; i < starts; i++) {
    const port = await freePort();
    runs.capstan.push(await startOnce([CLI, 'serve', fixture.dir, '--name', 'fraud', '--port', String(port), '--log-level', 'warn'], port, '/v2/health/ready', body));
    const barePort = await freePort();
    runs.bare.push(await startOnce([BARE, join(fixture.dir, 'model.onnx'), String(barePort)], barePort, '/v2/health/live', body));
    progress(`start ${i + 1}: capstan ready in ${round(runs.capstan.at(-1)!.readyMs)} ms`);
  }
  const of = (xs: Start[]) => ({
    readyMs: summarize(xs.map((x) => x.readyMs)),
    rssReadyMiB: Math.max(...xs.map((x) => x.rssReadyMiB)),
    rssAfterRequestsMiB: Math.max(...xs.map((x) => x.rssLoadedMiB)),
  });
  const results = { command: 'capstan serve fixtures/models/serving/logreg-30 (packages/cli/bin/capstan.js)', starts, requestsBeforeSecondRss: requests, ...of(runs.capstan) };
  emit({
    benchmark: 'serving-startup',
    store: 'none',
    machine,
    date: new Date().toISOString(),
    results,
    baseline: { command: 'bare Fastify + onnxruntime-node (node bench/baselines/bare-oip-server.mjs)', ...of(runs.bare) },
    target: { readyMsP50: TARGET_READY_MS, rssMiB: TARGET_RSS_MIB },
    pass: results.readyMs.p50 < TARGET_READY_MS && results.rssAfterRequestsMiB < TARGET_RSS_MIB,
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
