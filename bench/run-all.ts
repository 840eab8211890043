/**
 * Runs every benchmark on SQLite and PostgreSQL, one child process at a time (they would compete
 * for the two cores otherwise), and prints their reports as one JSON array. Progress from the
 * children goes to stderr.
 *
 *   npm run bench                       # all benchmarks, both stores
 *   npm run bench -- --store sqlite     # one store
 *   npm run bench -- --only search-runs # one benchmark
 *   npm run bench -- --wait-quiet 0     # don't wait for an idle machine (default: up to 120 s)
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchReport } from './lib/log.js';
import { progress } from './lib/log.js';

/** Benchmarks whose figures depend on the metadata database: they run on every store. */
const STORE_BENCHMARKS = ['log-batch-ingest', 'search-runs', 'metric-history', 'auth-overhead', 'registry-search'] as const;
/**
 * These run once, on SQLite: serving keeps no metadata on the request path, profiles and drift
 * statistics use no store, and the feature store's figures are its offline and online stores'.
 */
const SQLITE_ONLY = new Set<string>([
  'serving-throughput',
  'serving-batching',
  'serving-hot-swap',
  'serving-startup',
  'monitoring-profile',
  'monitoring-drift',
  'features-historical',
  'features-online-store',
  'features-serving',
]);
const BENCHMARKS: readonly string[] = [...STORE_BENCHMARKS, ...SQLITE_ONLY];
const STORES = ['sqlite', 'postgres'] as const;

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    store: { type: 'string', multiple: true },
    only: { type: 'string', multiple: true },
    'wait-quiet': { type: 'string', default: '120' },
  },
  strict: true,
});
const stores = values.store?.length ? values.store : [...STORES];
const benchmarks = values.only?.length ? values.only : [...BENCHMARKS];

interface Failure {
  benchmark: string;
  store: string;
  error: string;
}

function runOne(benchmark: string, store: string): Promise<BenchReport | Failure> {
  const script = fileURLToPath(new URL(`./${benchmark}.ts`, import.meta.url));
  return new Promise((resolve) => {
    const argv = ['--import', 'tsx', script, '--store', store, '--wait-quiet', values['wait-quiet']];
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => {
      try {
        if (code !== 0) throw new Error(`exited with ${code}`);
        resolve(JSON.parse(out) as BenchReport);
      } catch (err) {
        resolve({ benchmark, store, error: `${(err as Error).message}${out ? `; stdout: ${out.slice(0, 500)}` : ''}` });
      }
    });
  });
}

async function main(): Promise<void> {
  // serving-startup runs the compiled CLI, as a container would: compile what changed first.
  const build = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed');
  const reports: (BenchReport | Failure)[] = [];
  for (const benchmark of benchmarks) {
    if (!BENCHMARKS.includes(benchmark)) throw new Error(`unknown benchmark ${benchmark}`);
    for (const store of stores) {
      if (SQLITE_ONLY.has(benchmark) && store !== 'sqlite') continue;
      progress(`=== ${benchmark} on ${store}`);
      const report = await runOne(benchmark, store);
      progress(`=== ${benchmark} on ${store}: ${'error' in report ? `FAILED: ${report.error}` : report.pass ? 'pass' : 'MISSED TARGET'}`);
      reports.push(report);
    }
  }
  process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
  // A missed target is a finding, not a crash; a benchmark that could not run is.
  if (reports.some((r) => 'error' in r)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
