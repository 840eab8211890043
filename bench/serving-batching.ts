/**
 * Dynamic batching under 64 concurrent single-row clients, on the 256-wide MLP
 * (fixtures/models/serving/mlp-256: two 256x256 matrix products per call, whose cost per row falls
 * as the batch grows). Two deployments of the same version on one `capstan server`: batching off
 * (the baseline, measured in the same run) and on (max_batch_size 32, max_queue_delay 2 ms),
 * rounds interleaved. Reports rows/s, latency and the mean batch size the server's own metric saw.
 *
 *   npx tsx bench/serving-batching.ts [--rounds 3] [--seconds 5] [--connections 64]
 */
import { join } from 'node:path';
import { parseBenchArgs } from './lib/args.js';
import { runLoad } from './lib/load.js';
import { emit, progress } from './lib/log.js';
import { machineInfo } from './lib/machine.js';
import { startCapstan } from './lib/server.js';
import { deploy, oipRow, publishModel, servingFixture } from './lib/serving.js';
import { round } from './lib/stats.js';
import { createBenchStore } from './lib/store.js';

const TARGET_SPEEDUP = 1.5;
const args = parseBenchArgs({ rounds: 3, seconds: 5, connections: 64, 'max-batch': 32, 'delay-us': 2000 });
const { rounds, seconds, connections } = args.numbers;

/** Mean batch size from `capstan_serving_batch_size` for one deployment. */
async function meanBatch(base: string, deployment: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name}\\{[^}]*deployment="${deployment}"[^}]*\\} ([0-9.e+]+)$`, 'm').exec(text)?.[1] ?? NaN);
  return round(value('capstan_serving_batch_size_sum') / value('capstan_serving_batch_size_count'), 2);
}

async function main(): Promise<void> {
  const machine = await machineInfo(args.waitQuiet);
  const fixture = await servingFixture('mlp-256');
  const body = oipRow(fixture.rows[0]!);
  const store = await createBenchStore('sqlite');
  const capstan = await startCapstan({ backendStoreUri: store.uri, artifactsDir: join(store.dir, 'artifacts'), compiled: true });
  try {
    await publishModel(capstan.url, fixture.dir, 'mlp');
    const spec = { models: [{ uri: 'models:/mlp/1' }], logging: { sample_rate: 0 } };
    await deploy(capstan.url, { name: 'unbatched', spec });
    await deploy(capstan.url, { name: 'batched', spec: { ...spec, batching: { max_batch_size: args.numbers['max-batch'], max_queue_delay_micros: args.numbers['delay-us'] } } });
    const url = (d: string) => `${capstan.url}/v2/models/${d}/infer`;
    for (const d of ['unbatched', 'batched']) await runLoad({ url: url(d), body, connections, durationSeconds: 2 });

    const rps: Record<string, number[]> = { unbatched: [], batched: [] };
    const p99: Record<string, number[]> = { unbatched: [], batched: [] };
    let failed = 0;
    for (let r = 0; r < rounds; r++) {
      for (const d of r % 2 === 0 ? ['unbatched', 'batched'] : ['batched', 'unbatched']) {
        const load = await runLoad({ url: url(d), body, connections, durationSeconds: seconds });
        rps[d]!.push(load.requestsPerSecond);
        p99[d]!.push(load.latencyMs.p99);
        failed += load.non2xx + load.errors;
        progress(`round ${r + 1} ${d}: ${load.requestsPerSecond} rows/s, p99 ${load.latencyMs.p99} ms`);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const speedup = round(median(rps.batched!) / median(rps.unbatched!), 2);
    emit({
      benchmark: 'serving-batching',
      store: 'sqlite',
      machine,
      date: new Date().toISOString(),
      results: {
        model: 'mlp-256 (MLPClassifier 30 -> 256 -> 256 -> 2, skl2onnx)',
        connections,
        batching: { max_batch_size: args.numbers['max-batch'], max_queue_delay_micros: args.numbers['delay-us'] },
        rowsPerSecond: median(rps.batched!),
        rounds: rps.batched,
        p99Ms: median(p99.batched!),
        meanBatchSize: await meanBatch(capstan.url, 'batched'),
        speedup,
        failedRequests: failed,
      },
      baseline: { batching: 'off', rowsPerSecond: median(rps.unbatched!), rounds: rps.unbatched, p99Ms: median(p99.unbatched!), meanBatchSize: await meanBatch(capstan.url, 'unbatched') },
      target: { speedup: TARGET_SPEEDUP },
      pass: speedup >= TARGET_SPEEDUP && failed === 0,
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
