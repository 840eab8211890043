/**
 * Single-row inference over the Open Inference Protocol's JSON REST, on the 30-feature
 * logistic regression (fixtures/models/serving/logreg-30), against a baseline measured in the
 * same run: a bare Fastify route calling the same onnxruntime session (baselines/bare-oip-server.mjs).
 *   - throughput: as many requests as `connections` keep-alive clients get answered, rounds
 *     interleaved between Capstan and the baseline;
 *   - latency at a steady 1,000 requests/s (p50, p99; evenly paced, lib/load.ts runPaced);
 *   - overhead: one client, one request at a time; Capstan's p50 minus the HTTP round trip of its
 *     own `/v2/health/live` minus session.run's p50 measured in this process on the same model.
 * Capstan runs as deployed: the compiled `capstan server` (dist, as `npm start`) on SQLite at log
 * level info, one deployment. `npm run build` first (bench/run-all.ts does).
 *
 *   npx tsx bench/serving-throughput.ts [--rounds 3] [--seconds 5] [--connections 32] [--rate-seconds 10] [--serial 3000]
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { parseBenchArgs } from './lib/args.js';
import { startChildServer, rssMiB } from './lib/child.js';
import { HttpClient } from './lib/http.js';
import { runLoad, runPaced } from './lib/load.js';
import { emit, progress } from './lib/log.js';
import { machineInfo } from './lib/machine.js';
import { startCapstan } from './lib/server.js';
import { deploy, oipRow, publishModel, servingFixture } from './lib/serving.js';
import { round, summarize } from './lib/stats.js';
import { createBenchStore } from './lib/store.js';

const TARGET_RPS = 10_000;
const TARGET_SHARE_OF_BARE = 0.7;
const TARGET_P99_AT_1K_MS = 5;
const TARGET_OVERHEAD_US = 150;

const args = parseBenchArgs({ rounds: 3, seconds: 5, connections: 32, 'rate-seconds': 10, serial: 3000 });
const { rounds, seconds, connections, serial } = args.numbers;
const rateSeconds = args.numbers['rate-seconds'];

async function latencyAtRate(base: string, body: string): Promise<{ p50: number; p99: number; failed: number }> {
  const paced = await runPaced({ client: new HttpClient(base, 16), path: '/v2/models/fraud/infer', body, rate: 1000, durationSeconds: rateSeconds });
  const s = summarize(paced.answers.map((a) => a.ms));
  return { p50: s.p50, p99: s.p99, failed: paced.failed };
}

async function serialP50(http: HttpClient, path: string, body: string | undefined, count: number): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < count; i++) {
    const res = await http.send(body === undefined ? 'GET' : 'POST', path, body);
    if (res.status !== 200) throw new Error(`${path} -> ${res.status}: ${res.text}`);
    ms.push(res.ms);
  }
  return summarize(ms).p50;
}

async function sessionRunP50(modelPath: string, row: number[], count: number): Promise<number> {
  const session = await InferenceSession.create(await readFile(modelPath), { executionProviders: ['cpu'] });
  const ms: number[] = [];
  for (let i = 0; i < count + 200; i++) {
    const started = performance.now();
    await session.run({ input: new Tensor('float32', Float32Array.from(row), [1, row.length]) });
    if (i >= 200) ms.push(performance.now() - started);
  }
  await session.release();
  return summarize(ms).p50;
}

async function main(): Promise<void> {
  const machine = await machineInfo(args.waitQuiet);
  const fixture = await servingFixture('logreg-30');
  const body = oipRow(fixture.rows[0]!);
  const store = await createBenchStore('sqlite');
  const capstan = await startCapstan({ backendStoreUri: store.uri, artifactsDir: join(store.dir, 'artifacts'), compiled: true });
  const bare = await startChildServer([], fileURLToPath(new URL('./baselines/bare-oip-server.mjs', import.meta.url)), [join(fixture.dir, 'model.onnx')]);
  try {
    await publishModel(capstan.url, fixture.dir, 'fraud');
    await deploy(capstan.url, { name: 'fraud', spec: { models: [{ uri: 'models:/fraud/1' }] } });
    const targets = { capstan: `${capstan.url}/v2/models/fraud/infer`, bare: `${bare.url}/v2/models/fraud/infer` };
    for (const url of Object.values(targets)) await runLoad({ url, body, connections, durationSeconds: 2 });

    const throughput: Record<'capstan' | 'bare', number[]> = { capstan: [], bare: [] };
    const failures = { capstan: 0, bare: 0 };
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? (['capstan', 'bare'] as const) : (['bare', 'capstan'] as const);
      for (const which of order) {
        const load = await runLoad({ url: targets[which], body, connections, durationSeconds: seconds });
        throughput[which].push(load.requestsPerSecond);
        failures[which] += load.non2xx + load.errors;
        progress(`round ${r + 1} ${which}: ${load.requestsPerSecond} req/s, p99 ${load.latencyMs.p99} ms`);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const rps = { capstan: median(throughput.capstan), bare: median(throughput.bare) };

    progress('latency at 1,000 req/s');
    const atRate = { capstan: await latencyAtRate(capstan.url, body), bare: await latencyAtRate(bare.url, body) };

    progress('serial overhead');
    const client = new HttpClient(capstan.url, 1);
    const bareClient = new HttpClient(bare.url, 1);
    await serialP50(client, '/v2/models/fraud/infer', body, 500);
    const inferP50 = await serialP50(client, '/v2/models/fraud/infer', body, serial);
    const liveP50 = await serialP50(client, '/v2/health/live', undefined, serial);
    await serialP50(bareClient, '/v2/models/fraud/infer', body, 500);
    const bareP50 = await serialP50(bareClient, '/v2/models/fraud/infer', body, serial);
    const runP50 = await sessionRunP50(join(fixture.dir, 'model.onnx'), fixture.rows[0]!, serial);
    const overheadUs = Math.round((inferP50 - liveP50 - runP50) * 1000);

    const results = {
      model: 'logreg-30 (30 FP32 features, sklearn LogisticRegression via skl2onnx)',
      connections,
      requestsPerSecond: rps.capstan,
      requestsPerSecondRounds: throughput.capstan,
      shareOfBare: round(rps.capstan / rps.bare, 3),
      failedRequests: failures.capstan,
      at1000PerSecond: { p50Ms: atRate.capstan.p50, p99Ms: atRate.capstan.p99, failed: atRate.capstan.failed },
      serialP50Ms: { infer: inferP50, healthLive: liveP50, sessionRun: runP50 },
      overheadAboveSessionRunUs: overheadUs,
      overheadVsBareUs: Math.round((inferP50 - bareP50) * 1000),
      serverRssMiB: rssMiB(capstan.pid),
    };
    const baseline = {
      requestsPerSecond: rps.bare,
      requestsPerSecondRounds: throughput.bare,
      failedRequests: failures.bare,
      at1000PerSecond: { p50Ms: atRate.bare.p50, p99Ms: atRate.bare.p99 },
      serialP50Ms: bareP50,
      serverRssMiB: bare.rssMiB(),
    };
    const target = { requestsPerSecond: TARGET_RPS, shareOfBare: TARGET_SHARE_OF_BARE, p99At1000PerSecondMs: TARGET_P99_AT_1K_MS, overheadAboveSessionRunUs: TARGET_OVERHEAD_US };
    emit({
      benchmark: 'serving-throughput',
      store: 'sqlite',
      machine,
      date: new Date().toISOString(),
      results,
      baseline,
      target,
      pass:
        rps.capstan >= TARGET_RPS &&
        rps.capstan / rps.bare >= TARGET_SHARE_OF_BARE &&
        atRate.capstan.p99 < TARGET_P99_AT_1K_MS &&
        overheadUs < TARGET_OVERHEAD_US &&
        failures.capstan === 0,
      notes: ['load generator: autocannon in the benchmark process, on the same 2 cores as the server'],
    });
  } finally {
    await Promise.all([capstan.stop(), bare.stop()]);
    await store.cleanup();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
