/**
 * Deterministic reference/current tables for the drift benchmark: `columns` numerical columns of
 * `rows` cells per side, built as a JSON body would arrive (plain arrays of numbers, `null` for a
 * missing cell), from a seeded PRNG so every run compares the same data.
 *
 * Column kinds, cycling by index (Evidently's default test is the normalised Wasserstein distance
 * for all of them: more than 1000 reference rows and far more than 5 distinct values):
 *   normal     N(0, 1)
 *   lognormal  exp(N(0, 0.5))
 *   uniform    U(0, 10)
 *   rounded    N(50, 10) rounded to 2 decimals (many ties)
 *   integer    whole numbers 0..1000 (an integer column: pandas int64 dtype)
 *   nulls      N(0, 1) with 1 % of cells missing (null; NaN on the Python side)
 * Every third column of the current side is shifted by 0.25 standard deviations (drifts at the
 * default 0.1 threshold), the others by 0.01 (does not).
 */
import { seededRandom } from './rand.js';

export type DriftBenchKind = 'normal' | 'lognormal' | 'uniform' | 'rounded' | 'integer' | 'nulls';

const KINDS: readonly DriftBenchKind[] = ['normal', 'lognormal', 'uniform', 'rounded', 'normal', 'integer', 'uniform', 'nulls', 'lognormal', 'rounded'];

export interface DriftBenchColumn {
  name: string;
  kind: DriftBenchKind;
  shifted: boolean;
}

export interface DriftBenchTables {
  columns: DriftBenchColumn[];
  reference: Record<string, (number | null)[]>;
  current: Record<string, (number | null)[]>;
}

export function driftBenchColumns(count: number): DriftBenchColumn[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `f${String(i).padStart(2, '0')}`,
    kind: KINDS[i % KINDS.length]!,
    shifted: i % 3 === 0,
  }));
}

/** Standard normal draws by Box-Muller, both values of each pair used. */
function normals(random: () => number): () => number {
  let spare = Number.NaN;
  return () => {
    if (!Number.isNaN(spare)) {
      const out = spare;
      spare = Number.NaN;
      return out;
    }
    const u = 1 - random(); // (0, 1]
    const v = random();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/**
 * One column: the values go into a Float64Array first (NaN where the cell is missing) and become a
 * plain array at the end, so each array gets the elements kind JSON.parse would give it: unboxed
 * doubles for numbers only, boxed values once a null is in it. (Pushing into one shared array
 * literal would let V8's allocation-site tracking make every column after the first with a null
 * boxed too.)
 */
function makeColumn(kind: DriftBenchKind, rows: number, shift: number, seed: number): (number | null)[] {
  const random = seededRandom(seed);
  const normal = normals(random);
  const values = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    switch (kind) {
      case 'normal':
        values[i] = normal() + shift;
        break;
      case 'lognormal':
        // std of exp(N(0, 0.5)) is about 0.6
        values[i] = Math.exp(0.5 * normal()) + 0.6 * shift;
        break;
      case 'uniform':
        // std of U(0, 10) is about 2.89
        values[i] = 10 * random() + 2.89 * shift;
        break;
      case 'rounded':
        values[i] = Math.round((50 + 10 * (normal() + shift)) * 100) / 100;
        break;
      case 'integer':
        // std of U{0..1000} is about 289
        values[i] = Math.min(1000, Math.floor(1001 * random() + 289 * shift));
        break;
      case 'nulls': {
        const value = normal() + shift;
        values[i] = random() < 0.01 ? Number.NaN : value;
        break;
      }
    }
  }
  return kind === 'nulls' ? Array.from(values, (v) => (Number.isNaN(v) ? null : v)) : Array.from(values);
}

export function makeDriftBenchTables(rows: number, columnCount: number, seed = 20261122): DriftBenchTables {
  const columns = driftBenchColumns(columnCount);
  const reference: Record<string, (number | null)[]> = {};
  const current: Record<string, (number | null)[]> = {};
  columns.forEach((column, i) => {
    reference[column.name] = makeColumn(column.kind, rows, 0, seed + 2 * i);
    current[column.name] = makeColumn(column.kind, rows, column.shifted ? 0.25 : 0.01, seed + 2 * i + 1);
  });
  return { columns, reference, current };
}
