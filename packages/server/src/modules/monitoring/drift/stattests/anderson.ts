/**
 * k-sample Anderson-Darling with k = 2: scipy.stats.anderson_ksamp([ref, cur]) (midrank version,
 * Scholz & Stephens 1987), as Evidently calls it; drift when p < threshold (default 0.1).
 *
 * scipy does not compute a p-value from a distribution: it interpolates log(significance) over the
 * seven tabulated critical values with a quadratic fit, and caps the result to [0.001, 0.25] with a
 * warning ("p-value capped: true value larger than 0.25" / "p-value floored: true value smaller
 * than 0.001"). We return the same numbers and the warning text. scipy refuses samples with fewer
 * than two distinct values; with three observations in total its variance divides by zero.
 */
import { DriftError } from '../errors.js';
import { pairwiseSum } from '../numeric/pairwise-sum.js';
import { polyfit, polyval } from '../numeric/polyfit.js';
import { mergeSorted, searchLeft, searchRight } from '../numeric/sorted.js';
import type { SamplePair } from '../samples.js';
import type { StatTestDefinition, StatTestOutcome } from './definition.js';

const B0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085];
const B1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615];
const B2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154];
const SIGNIFICANCE = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001];

/** A2akN of Scholz & Stephens, eq. 7 (ties by midranks). */
function midrankStatistic(samples: readonly Float64Array[], z: Float64Array, zStar: Float64Array): number {
  const bigN = z.length;
  const m = zStar.length;
  const lj = new Float64Array(m);
  const bj = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const left = searchLeft(z, zStar[j]);
    lj[j] = bigN === m ? 1 : searchRight(z, zStar[j]) - left;
    bj[j] = left + lj[j] / 2;
  }
  let a2 = 0;
  for (const s of samples) {
    const n = s.length;
    const inner = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      const right = searchRight(s, zStar[j]);
      const fij = right - searchLeft(s, zStar[j]);
      const mij = right - fij / 2;
      const d = bigN * mij - bj[j] * n;
      inner[j] = ((lj[j] / bigN) * (d * d)) / (bj[j] * (bigN - bj[j]) - (bigN * lj[j]) / 4);
    }
    a2 += pairwiseSum(inner) / n;
  }
  return a2 * ((bigN - 1) / bigN);
}

function andersonKsamp(reference: Float64Array, current: Float64Array): StatTestOutcome {
  const samples = [reference, current];
  const k = samples.length;
  const z = mergeSorted(reference, current);
  const bigN = z.length;
  const zStar = z.filter((v, i) => i === 0 || v !== z[i - 1]);
  if (zStar.length < 2) throw new DriftError('anderson_ksamp needs more than one distinct observation');
  if (bigN < 3) throw new DriftError('anderson_ksamp needs at least three observations in total');
  const a2kN = midrankStatistic(samples, z, zStar);

  const bigH = 1 / reference.length + 1 / current.length;
  // hs_cs = cumsum(1 / [N-1, N-2, ..., 2]); h = its last value + 1; g = sum(hs_cs / [2 .. N-1]).
  const hsCs = new Float64Array(bigN - 2);
  let running = 0;
  for (let i = 0; i < hsCs.length; i++) {
    running += 1 / (bigN - 1 - i);
    hsCs[i] = running;
  }
  const h = hsCs[hsCs.length - 1] + 1;
  const g = pairwiseSum(hsCs.map((value, i) => value / (i + 2)));
  const a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * bigH;
  const b = (2 * g - 4) * k ** 2 + 8 * h * k + (2 * g - 14 * h - 4) * bigH - 8 * h + 4 * g - 6;
  const c = (6 * h + 2 * g - 2) * k ** 2 + (4 * h - 4 * g + 6) * k + (2 * h - 6) * bigH + 4 * h;
  const d = (2 * h + 6) * k ** 2 - 4 * h * k;
  const sigmaSq = (a * bigN ** 3 + b * bigN ** 2 + c * bigN + d) / ((bigN - 1) * (bigN - 2) * (bigN - 3));
  if (sigmaSq < 0) throw new DriftError('math domain error');
  const m = k - 1;
  const statistic = (a2kN - m) / Math.sqrt(sigmaSq);

  const critical = B0.map((b0, i) => b0 + B1[i] / Math.sqrt(m) + B2[i] / m);
  if (statistic < Math.min(...critical)) {
    return { statistic, score: 0.25, warning: 'p-value capped: true value larger than 0.25' };
  }
  if (statistic > Math.max(...critical)) {
    return { statistic, score: 0.001, warning: 'p-value floored: true value smaller than 0.001' };
  }
  const fit = polyfit(critical, SIGNIFICANCE.map(Math.log), 2);
  return { statistic, score: Math.exp(polyval(fit, statistic)) };
}

export const andersonStatTest: StatTestDefinition = {
  name: 'anderson',
  displayName: 'Anderson-Darling',
  allowedTypes: ['numerical'],
  defaultThreshold: 0.1,
  scoreKind: 'p_value',
  driftWhen: '<',
  run: (pair: SamplePair) => {
    const { reference, current } = pair.sorted();
    return andersonKsamp(reference, current);
  },
};
