/**
 * search_runs over 10,000 runs (20 params, 20 metrics each, seeded through the HTTP API with
 * concurrent clients): `metrics.m3 > 0.5` ordered by `metrics.m7 DESC`, 100 per page, the first
 * page and the following ones via page_token. Baseline, same run and interleaved: the same pages
 * without filter and order_by (default order). Then ANALYZE and a shorter second measurement, as
 * planner statistics change PostgreSQL's plans a lot.
 *
 *   npx tsx bench/search-runs.ts [--store sqlite|postgres] [--runs 10000] [--iterations 60]
 *     [--pages 5] [--concurrency 8] [--after-analyze 20] [--profile DIR] [--keep 1]
 */
import type { SearchRunsRequest, SearchRunsResponse } from '@capstan/contracts';
import { parseBenchArgs } from './lib/args.js';
import { CpuMeter } from './lib/cpu.js';
import { HttpClient, runPool } from './lib/http.js';
import { emit, progress } from './lib/log.js';
import { machineInfo } from './lib/machine.js';
import { createExperiment, createRun, rpcPath } from './lib/mlflow.js';
import { seededRandom } from './lib/rand.js';
import { openRaw } from './lib/raw.js';
import { startCapstan } from './lib/server.js';
import { round, summarize } from './lib/stats.js';
import { createBenchStore } from './lib/store.js';

const TARGET_P50_MS = 50;
const PAGE_SIZE = 100;
const KEYS = 20;
const FILTER = 'metrics.m3 > 0.5';
const ORDER_BY = ['metrics.m7 DESC'];

const args = parseBenchArgs({ runs: 10_000, iterations: 60, warmup: 3, pages: 5, concurrency: 8, 'after-analyze': 20, keep: 0 });
const { runs, iterations, warmup, pages, concurrency } = args.numbers;
const afterAnalyze = args.numbers['after-analyze'];

interface SeededRun {
  params: { key: string; value: string }[];
  metrics: { key: string; value: number; timestamp: number; step: number }[];
}

function seedData(): SeededRun[] {
  const rand = seededRandom(42);
  return Array.from({ length: runs }, () => ({
    params: Array.from({ length: KEYS }, (_, k) => ({ key: `p${k}`, value: `v${Math.floor(rand() * 10)}` })),
    metrics: Array.from({ length: KEYS }, (_, k) => ({ key: `m${k}`, value: rand(), timestamp: 1_700_000_000_000, step: 0 })),
  }));
}

interface PageSample {
  ms: number;
  bytes: number;
  page: number;
  body: SearchRunsResponse;
}

/** One iteration: the first page, then `pages - 1` more via next_page_token. */
async function searchPages(http: HttpClient, request: SearchRunsRequest): Promise<PageSample[]> {
  const out: PageSample[] = [];
  let token: string | undefined;
  for (let page = 0; page < pages; page++) {
    const res = await http.post(rpcPath('searchRuns'), { ...request, ...(token ? { page_token: token } : {}) });
    const body = JSON.parse(res.text) as SearchRunsResponse;
    out.push({ ms: res.ms, bytes: res.bytes, page, body });
    token = body.next_page_token;
    if (!token) break;
  }
  return out;
}

function metricOf(run: NonNullable<SearchRunsResponse['runs']>[number], key: string): number {
  const m = run.data.metrics?.find((x) => x.key === key);
  return typeof m?.value === 'number' ? m.value : Number.NaN;
}

/** Checks a filtered, ordered sequence of pages really is what was asked for. */
function checkFiltered(samples: PageSample[], matches: number): string[] {
  const problems: string[] = [];
  const all = samples.flatMap((s) => s.body.runs ?? []);
  if (samples.some((s) => (s.body.runs ?? []).length !== Math.min(PAGE_SIZE, matches - s.page * PAGE_SIZE))) {
    problems.push('a filtered page had the wrong number of runs');
  }
  if (all.some((r) => !(metricOf(r, 'm3') > 0.5))) problems.push('a run with m3 <= 0.5 was returned');
  for (let i = 1; i < all.length; i++) {
    if (metricOf(all[i]!, 'm7') > metricOf(all[i - 1]!, 'm7')) {
      problems.push(`runs not ordered by m7 DESC at position ${i}`);
      break;
    }
  }
  if (new Set(all.map((r) => r.info.run_id)).size !== all.length) problems.push('a run appeared on two pages');
  const first = all[0];
  if (first && ((first.data.params ?? []).length !== KEYS || (first.data.metrics ?? []).length !== KEYS)) {
    problems.push('runs do not carry 20 params and 20 metrics');
  }
  return problems;
}

function summarizePages(samples: PageSample[]) {
  const first = samples.filter((s) => s.page === 0);
  const later = samples.filter((s) => s.page > 0);
  return {
    allPagesMs: summarize(samples.map((s) => s.ms)),
    firstPageMs: summarize(first.map((s) => s.ms)),
    laterPagesMs: summarize(later.map((s) => s.ms)),
    bytesPerPage: Math.round(samples.reduce((s, x) => s + x.bytes, 0) / samples.length),
  };
}

async function main(): Promise<void> {
  const machine = await machineInfo(args.waitQuiet);
  const date = new Date().toISOString();
  const data = seedData();
  const store = await createBenchStore(args.store);
  const server = await startCapstan({
    backendStoreUri: store.uri,
    artifactsDir: `${store.dir}/artifacts`,
    ...(args.profileDir ? { cpuProfileDir: args.profileDir } : {}),
  });
  const http = new HttpClient(server.url, concurrency);
  try {
    const experimentId = await createExperiment(http, 'search-bench');
    progress(`${args.store}: seeding ${runs} runs through the API with ${concurrency} concurrent clients`);
    const seedStart = performance.now();
    const seedCpu = new CpuMeter(server.pid, store.databaseName);
    await seedCpu.begin();
    await runPool(runs, concurrency, async (i) => {
      // start_time = i: a deterministic default order (start_time DESC).
      const runId = await createRun(http, experimentId, `run-${i}`, 1_600_000_000_000 + i);
      await http.post(rpcPath('logBatch'), { run_id: runId, params: data[i]!.params, metrics: data[i]!.metrics });
      if ((i + 1) % 2000 === 0) progress(`${args.store}: seeded ${i + 1} runs`);
    });
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const seeding = { seconds: round(seedSeconds, 1), runsPerSecond: Math.round(runs / seedSeconds), requests: runs * 2, cpu: await seedCpu.end() };
    progress(`${args.store}: seeded in ${seeding.seconds} s; measuring ${iterations} iterations x ${pages} pages`);

    const filtered: SearchRunsRequest = { experiment_ids: [experimentId], filter: FILTER, order_by: ORDER_BY, max_results: PAGE_SIZE };
    const plain: SearchRunsRequest = { experiment_ids: [experimentId], max_results: PAGE_SIZE };
    for (let i = 0; i < warmup; i++) {
      await searchPages(http, filtered);
      await searchPages(http, plain);
    }
    const expectedMatches = data.filter((r) => r.metrics[3]!.value > 0.5).length;
    /** Interleaved iterations, so a disturbance hits the search and its baseline the same way. */
    const measure = async (count: number) => {
      const filteredSamples: PageSample[] = [];
      const plainSamples: PageSample[] = [];
      const meter = new CpuMeter(server.pid, store.databaseName);
      await meter.begin();
      for (let i = 0; i < count; i++) {
        const f = await searchPages(http, filtered);
        for (const p of checkFiltered(f, expectedMatches)) problems.add(p);
        filteredSamples.push(...f);
        const b = await searchPages(http, plain);
        if (b.some((s) => (s.body.runs ?? []).length !== Math.min(PAGE_SIZE, runs - s.page * PAGE_SIZE))) {
          problems.add('a baseline page had the wrong number of runs');
        }
        plainSamples.push(...b);
      }
      return { filteredSamples, plainSamples, cpu: await meter.end() };
    };
    const problems = new Set<string>();
    const { filteredSamples, plainSamples, cpu } = await measure(iterations);

    // Planner statistics: this PostgreSQL runs with autovacuum off, so nothing has analyzed the
    // freshly seeded tables. Measure again after ANALYZE (what autovacuum would eventually do).
    progress(`${args.store}: ANALYZE, then ${afterAnalyze} more iterations`);
    const raw = openRaw(store);
    await raw.all('analyze');
    await raw.close();
    const after = await measure(afterAnalyze);
    const results = {
      runs,
      paramsPerRun: KEYS,
      metricsPerRun: KEYS,
      seeding,
      request: { filter: FILTER, order_by: ORDER_BY, max_results: PAGE_SIZE, pagesPerIteration: pages },
      matchingRuns: expectedMatches,
      iterations,
      ...summarizePages(filteredSamples),
      cpu,
      serverCpuMsPerPage: round(cpu.serverMs / (filteredSamples.length + plainSamples.length), 2),
      postgresCpuMsPerPage: round(cpu.postgresMs / (filteredSamples.length + plainSamples.length), 2),
      afterAnalyze: { iterations: afterAnalyze, ...summarizePages(after.filteredSamples), cpu: after.cpu },
      checks: problems.size ? [...problems] : 'ok',
    };
    const baseline = {
      request: { max_results: PAGE_SIZE, order: 'default (start_time DESC, run_id)', pagesPerIteration: pages },
      ...summarizePages(plainSamples),
      afterAnalyze: summarizePages(after.plainSamples),
    };
    progress(`${args.store}: filtered p50 ${results.allPagesMs.p50} ms, baseline p50 ${baseline.allPagesMs.p50} ms`);
    progress(`${args.store}: after ANALYZE: filtered p50 ${results.afterAnalyze.allPagesMs.p50} ms, baseline p50 ${baseline.afterAnalyze.allPagesMs.p50} ms`);
    emit({
      benchmark: 'search-runs',
      store: args.store,
      machine,
      date,
      results,
      baseline,
      target: { p50MsPerPage: TARGET_P50_MS, judgedOn: 'as seeded, before ANALYZE (results.allPagesMs and firstPageMs)' },
      pass: problems.size === 0 && results.allPagesMs.p50 < TARGET_P50_MS && results.firstPageMs.p50 < TARGET_P50_MS,
    });
  } finally {
    http.close();
    await server.stop();
    // --keep 1 leaves the database for inspection (EXPLAIN etc.); remove it by hand afterwards.
    if (args.numbers.keep) progress(`kept ${store.uri} (${store.dir})`);
    else await store.cleanup();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
