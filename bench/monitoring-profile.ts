/**
 * Mergeable column profiles (packages/server/src/modules/monitoring/profiles): profiling speed,
 * serialised size as rows grow, heap growth while streaming, and the error of profile-based drift.
 *
 * - Speed: `profileColumns` on 1,000,000 rows x 10 numeric columns (Float64Array columns, and the
 *   same as plain number arrays, which is what JSON gives), and on a mixed table (6 float, 2
 *   integer-code and 2 string columns, cells). Median of `--rounds`.
 * - Size: the profile of 1e5, 1e6 and 1e7 rows x 10 numeric columns, streamed in batches of 1e5
 *   rows, as JSON bytes; heap used before and after the 1e7 stream (after a forced GC).
 * - Baselines in the same run: exact figures by sorting (a Float64Array copy and sort per column
 *   plus mean/std/min/max and deciles), and numpy (Debian's python3-numpy at /usr/bin/python3, if
 *   present) computing the same figures on arrays of the same size.
 * - Error: 20 random numeric column pairs (20,000 values a side; normal, lognormal, uniform,
 *   integer; shifted or not), profile-based vs sample-based drift: KS statistic, normalised
 *   Wasserstein, Jensen-Shannon, PSI, and verdict agreement of the default test.
 *
 *   npx tsx bench/monitoring-profile.ts [--rows 1000000] [--rounds 3] [--wait-quiet 120]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { detectColumnDrift, type DriftValue } from '../packages/server/src/modules/monitoring/drift/index.js';
import {
  ColumnProfile,
  DatasetProfile,
  detectColumnDriftOnProfiles,
  profileColumns,
  serializeProfile,
} from '../packages/server/src/modules/monitoring/profiles/index.js';
import { parseBenchArgs } from './lib/args.js';
import { emit, progress } from './lib/log.js';
import { machineInfo } from './lib/machine.js';
import { seededRandom } from './lib/rand.js';

const TARGET_ROWS_PER_SECOND = 1_000_000;
const COLUMNS = 10;
const PYTHON = '/usr/bin/python3';

const args = parseBenchArgs({ rows: 1_000_000, rounds: 3 });
const { rows, rounds } = args.numbers;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, digits = 0): number => Math.round(x * 10 ** digits) / 10 ** digits;

function normalFrom(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function numericTable(count: number, seed: number): Record<string, Float64Array> {
  const random = seededRandom(seed);
  const normal = normalFrom(random);
  const out: Record<string, Float64Array> = {};
  for (let c = 0; c < COLUMNS; c++) {
    const column = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const kind = c % 3;
      column[i] = kind === 0 ? normal() * (c + 1) + c : kind === 1 ? Math.exp(normal()) : random() * 1000;
      if (i % 997 === c) column[i] = Number.NaN;
    }
    out[`x${c}`] = column;
  }
  return out;
}

function mixedTable(count: number, seed: number): Record<string, DriftValue[]> {
  const random = seededRandom(seed);
  const normal = normalFrom(random);
  const out: Record<string, DriftValue[]> = {};
  for (let c = 0; c < 6; c++) out[`f${c}`] = Array.from({ length: count }, () => normal() * 3 + c);
  for (let c = 0; c < 2; c++) out[`code${c}`] = Array.from({ length: count }, () => Math.floor(random() * (4 + 40 * c)));
  const cities = Array.from({ length: 2000 }, (_, i) => `city-${i}`);
  out.city = Array.from({ length: count }, () => cities[Math.floor(random() ** 3 * cities.length)]);
  out.plan = Array.from({ length: count }, () => (random() < 0.01 ? null : random() < 0.3 ? 'pro' : 'free'));
  return out;
}

function time(fn: () => void): number {
  const started = performance.now();
  fn();
  return (performance.now() - started) / 1000;
}

/** Exact figures by sorting: the sample-based way to get quantiles, mean, std, min, max. */
function exactSummaries(columns: Record<string, Float64Array>): void {
  for (const column of Object.values(columns)) {
    const finite = column.filter((v) => Number.isFinite(v)).sort();
    let sum = 0;
    for (const v of finite) sum += v;
    const mean = sum / finite.length;
    let m2 = 0;
    for (const v of finite) m2 += (v - mean) ** 2;
    const deciles = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => finite[Math.floor((d / 10) * (finite.length - 1))]);
    if (!(m2 >= 0) || deciles.length !== 9 || finite[0] > finite[finite.length - 1]) throw new Error('bad baseline');
  }
}

function numpyBaseline(count: number): Record<string, unknown> {
  if (!existsSync(PYTHON)) return { skipped: `${PYTHON} not found` };
  const script = `
import json, time, numpy as np
rng = np.random.default_rng(1)
cols = [rng.normal(size=${count}) for _ in range(${COLUMNS})]
for c in cols: c[::997] = np.nan
times = []
for _ in range(${rounds}):
    t = time.perf_counter()
    for c in cols:
        f = c[np.isfinite(c)]
        figures = (np.isnan(c).sum(), f.mean(), f.std(), f.min(), f.max(), np.quantile(f, np.linspace(0.1, 0.9, 9)), np.unique(f).size)
    times.append(time.perf_counter() - t)
times.sort()
print(json.dumps({"numpy": np.__version__, "seconds": times[len(times)//2]}))
`;
  const result = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8' });
  if (result.status !== 0) return { skipped: `python3 failed: ${result.stderr.slice(0, 300)}` };
  const parsed = JSON.parse(result.stdout) as { numpy: string; seconds: number };
  return { numpy: parsed.numpy, seconds: round(parsed.seconds, 3), rowsPerSecond: round(count / parsed.seconds) };
}

function streamedProfile(total: number, batch: number): DatasetProfile {
  const profile = new DatasetProfile();
  for (let done = 0; done < total; done += batch) profile.add(numericTable(Math.min(batch, total - done), 1000 + done / batch));
  return profile;
}

function accuracy(): Record<string, unknown> {
  const random = seededRandom(77);
  const normal = normalFrom(random);
  const shapes = [normal, () => Math.exp(normal()), () => random() * 10, () => Math.floor(random() * 5000)];
  const gaps = { ks: [] as number[], ksBound: [] as number[], wasserstein: [] as number[], jensenshannon: [] as number[], psi: [] as number[] };
  /** Errors on pairs whose exact score is at most 0.5, i.e. near the 0.1 thresholds rather than far past them. */
  const nearGaps = { wasserstein: [] as number[], jensenshannon: [] as number[], psi: [] as number[] };
  let agree = 0;
  let clear = 0;
  let agreeAll = 0;
  for (let t = 0; t < 20; t++) {
    const shape = shapes[t % 4];
    const shift = [0, 0, 0.05, 0.6, 2][t % 5];
    const reference = Array.from({ length: 20_000 }, shape);
    const current = Array.from({ length: 20_000 }, () => shape() + shift);
    const ref = new ColumnProfile();
    ref.add(reference);
    const cur = new ColumnProfile();
    cur.add(current);
    for (const stattest of ['ks', 'wasserstein', 'jensenshannon', 'psi'] as const) {
      const exact = detectColumnDrift(reference, current, { stattest });
      const approx = detectColumnDriftOnProfiles(ref, cur, { stattest });
      if (stattest === 'ks') {
        gaps.ks.push(Math.abs((approx.statistic as number) - (exact.statistic as number)));
        gaps.ksBound.push(approx.rankError);
      } else {
        gaps[stattest].push(Math.abs(approx.score - exact.score));
        if (exact.score <= 0.5) nearGaps[stattest].push(Math.abs(approx.score - exact.score));
      }
    }
    const exact = detectColumnDrift(reference, current);
    const approx = detectColumnDriftOnProfiles(ref, cur);
    if (approx.drifted === exact.drifted) agreeAll++;
    if (exact.score >= 2 * exact.threshold || exact.score <= exact.threshold / 2) {
      clear++;
      if (approx.drifted === exact.drifted) agree++;
    }
  }
  const describe = (xs: number[]): { mean: number; max: number } => ({
    mean: round(xs.reduce((a, b) => a + b, 0) / xs.length, 4),
    max: round(Math.max(...xs), 4),
  });
  return {
    pairs: 20,
    valuesPerSide: 20_000,
    ksStatisticAbsError: describe(gaps.ks),
    ksBound: round(gaps.ksBound[0], 4),
    wassersteinNormedAbsError: describe(gaps.wasserstein),
    jensenShannonAbsError: describe(gaps.jensenshannon),
    psiAbsError: describe(gaps.psi),
    absErrorWhereExactScoreAtMostHalf: {
      wasserstein: describe(nearGaps.wasserstein),
      jensenshannon: describe(nearGaps.jensenshannon),
      psi: describe(nearGaps.psi),
    },
    defaultTestVerdictAgreement: `${agreeAll}/20`,
    clearPairsVerdictAgreement: `${agree}/${clear}`,
  };
}

async function main(): Promise<void> {
  const machine = await machineInfo(args.waitQuiet);
  progress(`generating ${rows} x ${COLUMNS} numeric and mixed tables`);
  const typed = numericTable(rows, 1);
  const cells: Record<string, number[]> = Object.fromEntries(Object.entries(typed).map(([k, v]) => [k, Array.from(v)]));
  const mixed = mixedTable(rows, 2);

  progress('profiling (warm-up, then rounds)');
  profileColumns(numericTable(100_000, 9));
  const typedTimes: number[] = [];
  const cellTimes: number[] = [];
  const mixedTimes: number[] = [];
  const sortTimes: number[] = [];
  for (let r = 0; r < rounds; r++) {
    typedTimes.push(time(() => profileColumns(typed)));
    cellTimes.push(time(() => profileColumns(cells)));
    mixedTimes.push(time(() => profileColumns(mixed)));
    sortTimes.push(time(() => exactSummaries(typed)));
  }
  progress('numpy baseline');
  const numpy = numpyBaseline(rows);

  progress('serialised size at 1e5, 1e6, 1e7 rows (streamed in batches of 1e5)');
  const sizes: Record<string, number> = {};
  for (const total of [100_000, 1_000_000]) sizes[String(total)] = JSON.stringify(serializeProfile(streamedProfile(total, 100_000))).length;
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const big = streamedProfile(10_000_000, 100_000);
  gc();
  const heapAfter = process.memoryUsage().heapUsed;
  sizes['10000000'] = JSON.stringify(serializeProfile(big)).length;

  progress('accuracy of profile-based drift on 20 random pairs');
  const error = accuracy();

  const rps = (seconds: number): number => round(rows / seconds);
  const numericRowsPerSecond = rps(median(typedTimes));
  const cellRowsPerSecond = rps(median(cellTimes));
  const bounded = sizes['10000000'] <= 1.2 * sizes['100000'];
  emit({
    benchmark: 'monitoring-profile',
    store: 'none',
    machine: { cpus: machine.cpus, cpuModel: machine.cpuModel, node: machine.node },
    date: new Date().toISOString(),
    results: {
      rows,
      columns: COLUMNS,
      numericFloat64Array: { seconds: round(median(typedTimes), 3), rowsPerSecond: numericRowsPerSecond, valuesPerSecond: numericRowsPerSecond * COLUMNS },
      numericCells: { seconds: round(median(cellTimes), 3), rowsPerSecond: cellRowsPerSecond },
      mixedCells: { columns: '6 float, 2 integer codes, 2 strings', seconds: round(median(mixedTimes), 3), rowsPerSecond: rps(median(mixedTimes)) },
      serializedJsonBytes: sizes,
      heapGrowthWhileStreaming1e7RowsMiB: round((heapAfter - heapBefore) / 2 ** 20, 2),
      driftError: error,
      machineLoad: { loadavg1AtStart: machine.loadavg1AtStart, busyShareAtStart: machine.busyShareAtStart },
    },
    baseline: {
      exactBySorting: { seconds: round(median(sortTimes), 3), rowsPerSecond: rps(median(sortTimes)) },
      numpy,
    },
    target: { rowsPerSecond: TARGET_ROWS_PER_SECOND, serializedSize: '1e7 rows within 1.2x of 1e5 rows' },
    pass: numericRowsPerSecond >= TARGET_ROWS_PER_SECOND && cellRowsPerSecond >= TARGET_ROWS_PER_SECOND && bounded,
    notes: [
      'rows/s counts whole table rows (10 columns each) per second, one thread',
      'numpy baseline: count NaN, mean, std, min, max, 9 deciles (np.quantile) and np.unique per column on arrays of the same size',
    ],
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
