/**
 * The fast paths behind large inputs (radix sort, streamed pairwise sums, the one-pass cell scan,
 * Float64Array columns, buffers reused across columns) give exactly what the straightforward code
 * gives: compared bit for bit (Object.is) with it, not with a tolerance.
 */
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { Mt19937 } from './numeric/mt19937.js';
import { pairwiseBlocks, pairwiseCombine, pairwiseSum, squaredDeviationSum } from './numeric/pairwise-sum.js';
import { countDistinctUpTo, mergeSorted, sortAscending, sortedCopy } from './numeric/sorted.js';
import { detectColumnDrift, detectDatasetDrift, inferColumnType, type DriftValue } from './index.js';

const random = new Mt19937(20261122);
const uniform = (): number => random.nextDouble();
const normal = (): number => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

describe('sortAscending', () => {
  const cases: [string, () => Float64Array][] = [
    ['normal values with zeros of both signs and infinities', () => {
      const v = Float64Array.from({ length: 50_000 }, normal);
      v.set([0, -0, 0, -0, Infinity, -Infinity, Number.MAX_VALUE, -Number.MIN_VALUE, Number.MIN_VALUE], 100);
      return v;
    }],
    ['many ties', () => Float64Array.from({ length: 20_000 }, () => Math.round(normal() * 3) / 2)],
    ['whole numbers (shared low digits are skipped)', () => Float64Array.from({ length: 30_000 }, () => Math.floor(uniform() * 1000))],
    ['negative only', () => Float64Array.from({ length: 10_000 }, () => -1 - uniform() * 1e6)],
    ['one value', () => new Float64Array(5000).fill(-2.5)],
    ['one digit that differs (an odd number of passes)', () => Float64Array.from({ length: 6000 }, (_, i) => 2 ** 40 + (i % 500))],
    ['two digits that differ (an even number)', () => Float64Array.from({ length: 6000 }, (_, i) => -(2 ** 20) - ((i * 7919) % 100_000))],
    ['NaN anywhere (falls back to the native sort)', () => {
      const v = Float64Array.from({ length: 8000 }, normal);
      v[17] = Number.NaN;
      v[4000] = -Number.NaN;
      return v;
    }],
    ['below the radix threshold', () => Float64Array.from({ length: 100 }, normal)],
  ];
  it.each(cases)('%s: the same as Float64Array.prototype.sort', (_, make) => {
    const values = make();
    const expected = values.slice().sort();
    expect(sameBits(sortAscending(values.slice()), expected)).toBe(true);
    // With scratch buffers larger than needed, on a view into a larger buffer.
    const host = new Float64Array(values.length + 10);
    host.set(values, 3);
    const view = host.subarray(3, 3 + values.length);
    const scratch = { temp: new Float64Array(values.length + 7), counts: new Uint32Array(4 * 65536 + 5).fill(9) };
    expect(sameBits(sortAscending(view, scratch), expected)).toBe(true);
    expect([host[0], host[1], host[2]]).toEqual([0, 0, 0]);
    // Into another array, the source left as it was.
    const source = values.slice();
    expect(sameBits(sortedCopy(source, new Float64Array(values.length), scratch), expected)).toBe(true);
    expect(sameBits(source, values)).toBe(true);
  });
});

describe('countDistinctUpTo', () => {
  it('counts up to the limit over several arrays, -0 and +0 as one value', () => {
    expect(countDistinctUpTo([Float64Array.of(1, 1, 2), Float64Array.of(2, 3)], 6)).toBe(3);
    expect(countDistinctUpTo([Float64Array.of(0, -0, 0)], 6)).toBe(1);
    expect(countDistinctUpTo([Float64Array.from({ length: 100 }, (_, i) => i)], 6)).toBe(6);
    expect(countDistinctUpTo([Float64Array.of(1, 2, 3, 4, 5, 6)], 6)).toBe(6);
    expect(countDistinctUpTo([new Float64Array(0)], 6)).toBe(0);
  });
});

describe('pairwise sums without the array of terms', () => {
  it.each([1, 7, 8, 9, 128, 129, 1000, 4096, 100_003])('blocks then combine = pairwiseSum, %i terms', (count) => {
    const terms = Float64Array.from({ length: count }, () => normal() * 10 ** Math.floor(uniform() * 12));
    const blocks = pairwiseBlocks(count);
    const sums = new Float64Array(blocks.length);
    let at = 0;
    blocks.forEach((size, i) => {
      sums[i] = pairwiseSum(terms, at, size);
      at += size;
    });
    expect(at).toBe(count);
    expect(Object.is(pairwiseCombine(count, sums), pairwiseSum(terms))).toBe(true);
  });

  it.each([1, 5, 8, 127, 128, 129, 1001, 65_537])('squaredDeviationSum = pairwiseSum of the squares, %i values', (count) => {
    const values = Float64Array.from({ length: count }, () => 1e3 + normal());
    const centre = pairwiseSum(values) / count;
    const squares = values.map((v) => (v - centre) * (v - centre));
    expect(Object.is(squaredDeviationSum(values, centre), pairwiseSum(squares))).toBe(true);
  });
});

/** scipy's _cdf_distance the direct way: merged array, searchsorted counts, array of terms. */
function cdfDistanceReference(u: Float64Array, v: Float64Array): number {
  const su = u.slice().sort();
  const sv = v.slice().sort();
  const all = mergeSorted(su, sv);
  const terms = new Float64Array(all.length - 1);
  let i = 0;
  let j = 0;
  for (let k = 0; k < terms.length; k++) {
    while (i < su.length && su[i] <= all[k]) i++;
    while (j < sv.length && sv[j] <= all[k]) j++;
    terms[k] = Math.abs(i / su.length - j / sv.length) * (all[k + 1] - all[k]);
  }
  return pairwiseSum(terms);
}

function stdReference(values: Float64Array): number {
  const mean = pairwiseSum(values) / values.length;
  return Math.sqrt(pairwiseSum(values.map((x) => (x - mean) * (x - mean))) / values.length);
}

describe('wasserstein on large samples', () => {
  it.each([
    ['continuous', () => normal()],
    ['ties', () => Math.round(normal() * 20) / 4],
  ])('%s: the same score as the direct computation', (_, draw) => {
    const reference = Float64Array.from({ length: 30_000 }, draw);
    const current = Float64Array.from({ length: 20_011 }, () => draw() + 0.1);
    const expected = cdfDistanceReference(reference, current) / Math.max(stdReference(reference), 0.001);
    const result = detectColumnDrift(Array.from(reference), Array.from(current));
    expect(result.stattest).toBe('wasserstein');
    expect(Object.is(result.score, expected)).toBe(true);
  });
});

describe('Float64Array columns', () => {
  const plainReference: DriftValue[] = Array.from({ length: 3000 }, (_, i) => (i % 97 === 0 ? null : normal()));
  const plainCurrent: DriftValue[] = Array.from({ length: 2500 }, () => normal() + 0.3);
  plainCurrent[10] = Number.POSITIVE_INFINITY;
  plainCurrent[11] = Number.NaN;
  const typed = (values: DriftValue[]): Float64Array => Float64Array.from(values, (v) => (v === null ? Number.NaN : (v as number)));

  it('give the same result as the same numbers in plain arrays, NaN and null alike missing', () => {
    for (const stattest of [undefined, 'ks', 'psi', 'anderson', 't_test', 'hellinger'] as const) {
      const plain = detectColumnDrift(plainReference, plainCurrent, { stattest });
      const fast = detectColumnDrift(typed(plainReference), typed(plainCurrent), { stattest });
      expect(fast).toEqual(plain);
      expect(Object.is(fast.score, plain.score)).toBe(true);
    }
  });

  it('mix with plain columns in a dataset', () => {
    const reference = { a: typed(plainReference), b: plainReference };
    const current = { a: plainCurrent, b: typed(plainCurrent) };
    const result = detectDatasetDrift(reference, current);
    expect(result.columns[0]).toEqual({ ...detectColumnDrift(plainReference, plainCurrent), column: 'a' });
    expect(result.columns[1]).toEqual({ ...detectColumnDrift(plainReference, plainCurrent), column: 'b' });
  });

  it('are float64 columns: numerical even when every value is whole (a plain array would be int)', () => {
    const whole = [1, 2, 1, 2, 3, 1];
    expect(inferColumnType(whole, whole)).toBe('categorical');
    expect(inferColumnType(Float64Array.from(whole), Float64Array.from(whole))).toBe('numerical');
    // As in Evidently, when both sides are numbers the current side's dtype decides.
    expect(detectColumnDrift(whole, Float64Array.from(whole)).columnType).toBe('numerical');
    expect(detectColumnDrift(Float64Array.from(whole), whole).columnType).toBe('categorical');
  });

  it('can be compared as categories when told to', () => {
    const result = detectColumnDrift(Float64Array.of(1, 2, Number.NaN, 2), Float64Array.of(2, 2, 1), { columnType: 'categorical' });
    expect(result).toEqual(detectColumnDrift([1, 2, null, 2], [2, 2, 1], { columnType: 'categorical' }));
  });

  it('are refused when empty after cleaning, with the usual message', () => {
    expect(() => detectColumnDrift(Float64Array.of(Number.NaN, Infinity), [1], { column: 'x' })).toThrow(
      "An empty column 'x' was provided for drift calculation in the reference dataset.",
    );
  });
});

describe('a dataset reuses its buffers from column to column', () => {
  it('gives every column the result it gets alone, whatever the lengths and types before it', () => {
    const lengths = [6000, 2000, 9000, 5, 7000];
    const reference: Record<string, DriftValue[]> = {};
    const current: Record<string, DriftValue[]> = {};
    lengths.forEach((n, i) => {
      reference[`n${i}`] = Array.from({ length: n }, () => normal() * (i + 1));
      current[`n${i}`] = Array.from({ length: n + i }, () => normal() * (i + 1) + 0.05 * i);
      reference[`c${i}`] = Array.from({ length: n }, (_, k) => ['a', 'b', 'c'][k % 3]!);
      current[`c${i}`] = Array.from({ length: n }, (_, k) => ['a', 'b', 'c', 'd'][k % 4]!);
    });
    const result = detectDatasetDrift(reference, current);
    for (const column of result.columns) {
      expect(column).toEqual(detectColumnDrift(reference[column.column]!, current[column.column]!, { column: column.column }));
    }
  });
});

describe('the caller’s arrays', () => {
  it('holes are cells that are not JSON scalars, as undefined is', () => {
    // eslint-disable-next-line no-sparse-arrays
    const holey = [1, , 3] as DriftValue[];
    expect(() => detectColumnDrift(holey, [1, 2])).toThrow(/not a number, string, boolean or null/);
    expect(() => detectColumnDrift([1, 2, 3, 4, 5, 6], new Array<DriftValue>(3))).toThrow(/current dataset has a cell that is not/);
  });

  it('keep their unboxed doubles after a dataset mixing them with boxed columns', () => {
    // V8 turns an optimised indexed read that saw both kinds of array into code that converts the
    // double arrays to boxed ones (scan.ts); this is how to see it from JavaScript.
    setFlagsFromString('--allow-natives-syntax');
    const hasDoubles = new Function('a', 'return %HasDoubleElements(a)') as (a: unknown) => boolean;
    const doubles = (): number[] => Array.from(Float64Array.from({ length: 20_000 }, normal));
    const reference: Record<string, DriftValue[]> = {};
    const current: Record<string, DriftValue[]> = {};
    for (let i = 0; i < 8; i++) {
      reference[`d${i}`] = doubles();
      current[`d${i}`] = doubles();
      reference[`n${i}`] = [null, ...doubles()];
      current[`n${i}`] = [...doubles(), null];
      reference[`s${i}`] = Array.from({ length: 2000 }, (_, k) => `v${k % 7}`);
      current[`s${i}`] = Array.from({ length: 2000 }, (_, k) => `v${k % 5}`);
    }
    expect(hasDoubles(reference.d0)).toBe(true);
    expect(hasDoubles(reference.n0)).toBe(false);
    for (let round = 0; round < 3; round++) detectDatasetDrift(reference, current);
    for (let i = 0; i < 8; i++) {
      expect(hasDoubles(reference[`d${i}`])).toBe(true);
      expect(hasDoubles(current[`d${i}`])).toBe(true);
    }
  });
});
