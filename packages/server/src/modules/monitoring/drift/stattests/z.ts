/**
 * Two-proportion z-test (Evidently's _z_stat_test): the smallest category (in sorted order) against
 * all others, pooled variance, two-sided p = 2 * (1 - Phi(|z|)); drift when p < threshold (default
 * 0.05). When both samples hold the same single value the p-value is 1 without a statistic.
 *
 * Evidently computes 1 - Phi(|z|) rather than the upper tail directly; we keep that form so the
 * numbers match, which means p-values below ~1e-16 come out as 0 in both.
 */
import { ndtr } from '../numeric/special.js';
import type { SamplePair } from '../samples.js';
import type { StatTestDefinition, StatTestOutcome } from './definition.js';

function zTest(pair: SamplePair): StatTestOutcome {
  const counts = pair.categoryCounts();
  const referenceDistinct = pair.referenceDistinctCount();
  const currentDistinct = counts.current.filter((c) => c > 0).length;
  if (referenceDistinct === 1 && currentDistinct === 1 && pair.reference[0] === pair.current[0]) return { score: 1 };
  const n1 = pair.reference.length;
  const n2 = pair.current.length;
  // Values other than the first sorted category are coded 1.
  const p1 = (n1 - counts.reference[0]) / n1;
  const p2 = (n2 - counts.current[0]) / n2;
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
  return { statistic: z, score: 2 * (1 - ndtr(Math.abs(z))) };
}

export const zStatTest: StatTestDefinition = {
  name: 'z',
  displayName: 'Z-test p_value',
  allowedTypes: ['categorical'],
  defaultThreshold: 0.05,
  scoreKind: 'p_value',
  driftWhen: '<',
  run: zTest,
};
