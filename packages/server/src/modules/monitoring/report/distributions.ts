/**
 * What a drift report draws for each column: the reference and current distributions on one
 * scale, so the two can be overlaid.
 *
 * - Numerical columns get a histogram whose edges are shared by both sides (Sturges' rule over
 *   the two samples together, at most `maxBins`): with edges chosen per side, as Evidently's
 *   small_distribution does, bars of the two sides cover different intervals and cannot be
 *   compared by eye.
 * - Categorical columns get the shares of the `topCategories` most frequent categories (frequency
 *   over both sides, so a category that only appears in current still shows), the rest folded into
 *   one "other" bucket: an ID-like column with 100,000 values would otherwise draw 100,000 bars.
 *
 * Cells are cleaned as the tests clean them (null, NaN and ±Infinity dropped), so the picture shows
 * what was tested. A side with nothing left is a skipped distribution with a reason, not an error:
 * a report should still show the other columns.
 *
 * Columns may hold a million cells: values are copied once into a Float64Array (min and max on the
 * way) and binned in a second linear pass; nothing is sorted.
 */
import { linspace } from '../drift/numeric/histogram.js';
import type { DatasetDriftResult, DriftColumn, DriftColumns, TestableColumnType } from '../drift/index.js';

export type Category = number | string | boolean;

/** One side's counts per bin (or category) and the same as shares of the values counted. */
export interface SideCounts {
  readonly counts: Float64Array;
  /** counts / total; sums to 1 (up to rounding). */
  readonly shares: Float64Array;
  /** Values counted. */
  readonly total: number;
  /** Cells left out: null, NaN, ±Infinity (and, in a numerical column, anything not a number). */
  readonly dropped: number;
}

export interface NumericalDistribution {
  readonly kind: 'numerical';
  /** bins + 1 ascending edges, the same for both sides; bin i is [edges[i], edges[i+1]), the last one closed. */
  readonly edges: Float64Array;
  readonly reference: SideCounts;
  readonly current: SideCounts;
}

export interface CategoricalDistribution {
  readonly kind: 'categorical';
  /** The categories drawn, most frequent over both sides first. */
  readonly categories: readonly Category[];
  /** How many rarer categories the last bucket folds together; 0 when there is no such bucket. */
  readonly otherCategories: number;
  /** One count per category, plus the "other" bucket last when otherCategories > 0. */
  readonly reference: SideCounts;
  readonly current: SideCounts;
}

export interface SkippedDistribution {
  readonly kind: 'skipped';
  readonly reason: string;
}

export type ColumnDistribution = NumericalDistribution | CategoricalDistribution | SkippedDistribution;

export interface DistributionOptions {
  /** Most histogram bins. Default 40: more bars than that are no longer readable in a small chart. */
  readonly maxBins?: number;
  /** Categories drawn before the rest is folded into "other". Default 20. */
  readonly topCategories?: number;
}

/** The label of the bucket folding the rarest categories; says how many, so it cannot pass for a real category unnoticed. */
export function otherBucketLabel(folded: number): string {
  return `(other: ${folded} categories)`;
}

const DEFAULT_MAX_BINS = 40;
const DEFAULT_TOP_CATEGORIES = 20;

/** Per tested column of `result`, its distributions on both sides (keyed by column name). */
export function driftDistributions(
  reference: DriftColumns,
  current: DriftColumns,
  result: DatasetDriftResult,
  options: DistributionOptions = {},
): Map<string, ColumnDistribution> {
  const out = new Map<string, ColumnDistribution>();
  for (const column of result.columns) {
    out.set(column.column, columnDistribution(column.column, reference[column.column] ?? [], current[column.column] ?? [], column.columnType, options));
  }
  return out;
}

export function columnDistribution(
  name: string,
  reference: DriftColumn,
  current: DriftColumn,
  columnType: TestableColumnType,
  options: DistributionOptions = {},
): ColumnDistribution {
  return columnType === 'numerical'
    ? numericalDistribution(name, reference, current, options.maxBins ?? DEFAULT_MAX_BINS)
    : categoricalDistribution(name, reference, current, options.topCategories ?? DEFAULT_TOP_CATEGORIES);
}

function emptySide(name: string, side: 'reference' | 'current'): SkippedDistribution {
  return { kind: 'skipped', reason: `Column '${name}' has no values in the ${side} dataset once null, NaN and ±Infinity are dropped.` };
}

interface FiniteValues {
  readonly values: Float64Array;
  readonly min: number;
  readonly max: number;
}

/** The finite numbers of a column (booleans as 0/1, as the tests read them), with their range. */
function finiteValues(column: DriftColumn): FiniteValues {
  const values = new Float64Array(column.length);
  let n = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < column.length; i++) {
    const cell = column[i];
    const x = typeof cell === 'number' ? cell : typeof cell === 'boolean' ? Number(cell) : Number.NaN;
    // x - x is 0 only for finite x: one comparison drops NaN and both infinities.
    if (x - x !== 0) continue;
    values[n++] = x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return { values: values.subarray(0, n), min, max };
}

/**
 * Sturges' bin count over both samples, capped; a constant column gets one bin [v - 0.5, v + 0.5]
 * (numpy's choice), so its single bar has a width to draw. Edges are np.linspace's, unless the
 * range itself overflows (values near ±Number.MAX_VALUE), where linspace would give Infinity and
 * NaN: then each edge is interpolated as min·(1 − t) + max·t, which stays finite.
 */
function sharedEdges(min: number, max: number, size: number, maxBins: number): Float64Array {
  if (min === max) return linspace(min - 0.5, max + 0.5, 2);
  const bins = Math.max(1, Math.min(maxBins, Math.ceil(Math.log2(size) + 1)));
  if (Number.isFinite(max - min)) return linspace(min, max, bins + 1);
  return Float64Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min * (1 - i / bins) + max * (i / bins)));
}

/**
 * Counts per bin with numpy's rule (edges[i] <= x < edges[i+1], the last bin closed). The bin is
 * computed arithmetically, then moved by one if rounding put a value sitting on an edge on the
 * wrong side of it. Halves keep `last - first` finite for ranges near ±Number.MAX_VALUE.
 */
function binCounts(values: Float64Array, edges: Float64Array): Float64Array {
  const bins = edges.length - 1;
  const counts = new Float64Array(bins);
  const first = edges[0];
  const halfFirst = first / 2;
  const scale = bins / (edges[bins] / 2 - halfFirst);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    let bin = Math.floor((x / 2 - halfFirst) * scale);
    if (bin >= bins) bin = bins - 1;
    else if (bin < 0) bin = 0;
    while (bin > 0 && x < edges[bin]) bin--;
    while (bin < bins - 1 && x >= edges[bin + 1]) bin++;
    counts[bin]++;
  }
  return counts;
}

function side(counts: Float64Array, dropped: number): SideCounts {
  let total = 0;
  for (const c of counts) total += c;
  const shares = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) shares[i] = counts[i] / total;
  return { counts, shares, total, dropped };
}

export function numericalDistribution(name: string, reference: DriftColumn, current: DriftColumn, maxBins = DEFAULT_MAX_BINS): NumericalDistribution | SkippedDistribution {
  const ref = finiteValues(reference);
  if (ref.values.length === 0) return emptySide(name, 'reference');
  const cur = finiteValues(current);
  if (cur.values.length === 0) return emptySide(name, 'current');
  const edges = sharedEdges(Math.min(ref.min, cur.min), Math.max(ref.max, cur.max), ref.values.length + cur.values.length, maxBins);
  return {
    kind: 'numerical',
    edges,
    reference: side(binCounts(ref.values, edges), reference.length - ref.values.length),
    current: side(binCounts(cur.values, edges), current.length - cur.values.length),
  };
}

/** Numbers before booleans before strings, then by value: a stable order for ties in frequency. */
function compareCategories(a: Category, b: Category): number {
  const rank = (v: Category) => (typeof v === 'number' ? 0 : typeof v === 'boolean' ? 1 : 2);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (typeof a === 'string') return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  return Number(a) - Number(b);
}

export function categoricalDistribution(name: string, reference: DriftColumn, current: DriftColumn, topCategories = DEFAULT_TOP_CATEGORIES): CategoricalDistribution | SkippedDistribution {
  // One index per category over both sides; counts grow in plain arrays as categories appear.
  const index = new Map<Category, number>();
  const keys: Category[] = [];
  const refCounts: number[] = [];
  const curCounts: number[] = [];
  const count = (column: DriftColumn, into: number[], other: number[]): number => {
    let kept = 0;
    for (let i = 0; i < column.length; i++) {
      const cell = column[i];
      if (cell === null || cell === undefined || (typeof cell === 'number' && cell - cell !== 0)) continue;
      let at = index.get(cell);
      if (at === undefined) {
        at = keys.length;
        index.set(cell, at);
        keys.push(cell);
        into.push(0);
        other.push(0);
      }
      into[at]!++;
      kept++;
    }
    return kept;
  };
  const refKept = count(reference, refCounts, curCounts);
  if (refKept === 0) return emptySide(name, 'reference');
  const curKept = count(current, curCounts, refCounts);
  if (curKept === 0) return emptySide(name, 'current');

  // Rank by the sum of the two shares, so each side's frequent categories make the cut.
  const weight = (i: number) => refCounts[i]! / refKept + curCounts[i]! / curKept;
  const order = keys.map((_, i) => i).sort((a, b) => weight(b) - weight(a) || compareCategories(keys[a]!, keys[b]!));
  // Folding a single category into "other" hides its name and saves nothing.
  const shown = order.length <= topCategories + 1 ? order : order.slice(0, topCategories);
  const folded = order.length - shown.length;
  const bucket = (counts: number[]) => {
    const out = new Float64Array(shown.length + (folded > 0 ? 1 : 0));
    shown.forEach((i, at) => (out[at] = counts[i]!));
    if (folded > 0) for (let at = shown.length; at < order.length; at++) out[shown.length] += counts[order[at]!]!;
    return out;
  };
  return {
    kind: 'categorical',
    categories: shown.map((i) => keys[i]!),
    otherCategories: folded,
    reference: side(bucket(refCounts), reference.length - refKept),
    current: side(bucket(curCounts), current.length - curKept),
  };
}
