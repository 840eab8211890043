/**
 * A hot swap under load: `capstan server` serves deployment `fraud` following `models:/fraud@champion`
 * (logreg-30 version 1) at a fixed 1,000 requests/s; after `--before` seconds the alias moves to
 * version 2 (logreg-30-v2) through the registry API, and the deployment loads, warms and swaps in
 * the new version while traffic continues, sent at an even pace (lib/load.ts runPaced). Every answer is timestamped: the report compares the
 * p99 from the alias move until 1 s after the new version serves with the steady state before the
 * move (the baseline, same run), and counts failed requests over the whole run.
 *
 *   npx tsx bench/serving-hot-swap.ts [--before 6] [--seconds 14] [--rate 1000]
 */
import { join } from 'node:path';
import { parseBenchArgs } from './lib/args.js';
import { HttpClient } from './lib/http.js';
import { runPaced } from './lib/load.js';
import { emit, progress } from './lib/log.js';
import { machineInfo } from './lib/machine.js';
import { startCapstan } from './lib/server.js';
import { deploy, oipRow, publishModel, servingFixture, setAlias, waitFor } from './lib/serving.js';
import { round, summarize } from './lib/stats.js';
import { createBenchStore } from './lib/store.js';

const TARGET_P99_RATIO = 2;
const args = parseBenchArgs({ before: 6, seconds: 14, rate: 1000, connections: 16 });
const { before, seconds, rate, connections } = args.numbers;

async function servedVersion(base: string): Promise<string | undefined> {
  const { status } = (await (await fetch(`${base}/api/capstan/v1/deployments/fraud/status`)).json()) as { status: { versions: { version: string; state: string; weight: number }[] } };
  return status.versions.find((v) => v.weight === 100 && v.state === 'ready')?.version;
}

async function main(): Promise<void> {
  const machine = await machineInfo(args.waitQuiet);
  const v1 = await servingFixture('logreg-30');
  const v2 = await servingFixture('logreg-30-v2');
  const store = await createBenchStore('sqlite');
  const capstan = await startCapstan({ backendStoreUri: store.uri, artifactsDir: join(store.dir, 'artifacts'), compiled: true });
  try {
    await publishModel(capstan.url, v1.dir, 'fraud');
    await publishModel(capstan.url, v2.dir, 'fraud');
    await setAlias(capstan.url, 'fraud', 'champion', '1');
    await deploy(capstan.url, { name: 'fraud', spec: { models: [{ uri: 'models:/fraud@champion' }], on_alias_move: 'swap' } });
    const path = '/v2/models/fraud/infer';
    const body = oipRow(v1.rows[0]!);
    const client = new HttpClient(capstan.url, connections);
    await runPaced({ client, path, body, rate, durationSeconds: 2 });

    const start = performance.now();
    let moved = 0;
    let swapped = 0;
    const swap = (async () => {
      await new Promise((r) => setTimeout(r, before * 1000));
      moved = performance.now();
      await setAlias(capstan.url, 'fraud', 'champion', '2');
      await waitFor(async () => (await servedVersion(capstan.url)) === '2', 'version 2 serving');
      swapped = performance.now();
      progress(`alias moved at ${round((moved - start) / 1000)} s; version 2 serving ${round(swapped - moved)} ms later`);
    })();
    const load = await runPaced({ client, path, body, rate, durationSeconds: seconds });
    await swap;
    const answers = load.answers;

    const steady = answers.filter((a) => a.at < moved).map((a) => a.ms);
    const during = answers.filter((a) => a.at >= moved && a.at <= swapped + 1000).map((a) => a.ms);
    const s = summarize(steady);
    const d = summarize(during);
    const failed = load.failed;
    emit({
      benchmark: 'serving-hot-swap',
      store: 'sqlite',
      machine,
      date: new Date().toISOString(),
      results: {
        ratePerSecond: rate,
        requests: load.sent,
        failedRequests: failed,
        aliasMoveToServingMs: round(swapped - moved),
        duringSwap: d,
        p99Ratio: round(d.p99 / s.p99, 2),
      },
      baseline: { steadyState: s },
      target: { failedRequests: 0, p99Ratio: TARGET_P99_RATIO },
      pass: failed === 0 && d.p99 < TARGET_P99_RATIO * s.p99,
      notes: ['the swap window runs from the alias move until 1 s after the new version is reported serving; the control loop polls aliases every serving.reconcileIntervalMs (1 s)'],
    });
  } finally {
    await capstan.stop();
    await store.cleanup();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
