/**
 * Tests by name (Evidently's register_stattest / get_registered_stattest) and Evidently's default
 * choice (registry.py _get_default_stattest, taken from the code, not from the docs):
 *
 *   reference size <= 1000:  numerical with <= 5 distinct values -> chisquare (> 2) or z (<= 2),
 *                            numerical otherwise -> ks,
 *                            categorical -> chisquare (> 2 distinct) or z (<= 2);
 *   reference size  > 1000:  numerical with <= 5 distinct values -> jensenshannon,
 *                            numerical otherwise -> wasserstein,
 *                            categorical -> jensenshannon.
 *
 * "Distinct values" are counted over both samples together, sizes after dropping missing cells.
 * Note the default may pick chisquare/z for a numerical column even though naming them explicitly
 * is only allowed for categorical ones; that is Evidently's behaviour too.
 */
import { DriftError } from './errors.js';
import type { SamplePair } from './samples.js';
import { andersonStatTest } from './stattests/anderson.js';
import { energyDistanceStatTest, wassersteinStatTest } from './stattests/cdf-distances.js';
import { chiSquareStatTest } from './stattests/chisquare.js';
import { cramerVonMisesStatTest } from './stattests/cramer-von-mises.js';
import type { StatTestDefinition } from './stattests/definition.js';
import { fisherExactStatTest } from './stattests/fisher-exact.js';
import { hellingerStatTest } from './stattests/hellinger.js';
import { jensenShannonStatTest } from './stattests/jensenshannon.js';
import { klDivStatTest } from './stattests/kl-div.js';
import { ksTest } from './stattests/ks.js';
import { mannWhitneyStatTest } from './stattests/mann-whitney.js';
import { empiricalMmdStatTest } from './stattests/mmd.js';
import { psiQuantileStatTest, psiStatTest } from './stattests/psi.js';
import { tTestStatTest } from './stattests/t-test.js';
import { tvdStatTest } from './stattests/tvd.js';
import { zStatTest } from './stattests/z.js';
import type { StatTestName, TestableColumnType } from './types.js';

const STAT_TESTS: Readonly<Record<StatTestName, StatTestDefinition>> = {
  ks: ksTest,
  chisquare: chiSquareStatTest,
  z: zStatTest,
  jensenshannon: jensenShannonStatTest,
  wasserstein: wassersteinStatTest,
  psi: psiStatTest,
  psi_quantile: psiQuantileStatTest,
  kl_div: klDivStatTest,
  hellinger: hellingerStatTest,
  ed: energyDistanceStatTest,
  anderson: andersonStatTest,
  cramer_von_mises: cramerVonMisesStatTest,
  t_test: tTestStatTest,
  mannw: mannWhitneyStatTest,
  empirical_mmd: empiricalMmdStatTest,
  TVD: tvdStatTest,
  fisher_exact: fisherExactStatTest,
};

const EVIDENTLY_TYPE: Readonly<Record<TestableColumnType, string>> = { numerical: 'num', categorical: 'cat' };

/** The named test, refused (as Evidently refuses) when it does not apply to the column type. */
export function statTestByName(name: string, columnType: TestableColumnType): StatTestDefinition {
  if (!Object.hasOwn(STAT_TESTS, name)) {
    throw new DriftError(`No stattest found of name ${name}. Available stattests: ${Object.keys(STAT_TESTS).join(', ')}`);
  }
  const test = STAT_TESTS[name as StatTestName];
  if (!test.allowedTypes.includes(columnType)) {
    throw new DriftError(
      `Stattest ${name} isn't applicable to feature of type ${EVIDENTLY_TYPE[columnType]}. ` +
        `Available feature types: ${test.allowedTypes.map((t) => EVIDENTLY_TYPE[t]).join(', ')}`,
    );
  }
  return test;
}

const SMALL_REFERENCE = 1000;
const FEW_VALUES = 5;

export function defaultStatTest(pair: SamplePair): StatTestDefinition {
  // Only "more than 2" and "at most 5" matter, so counting stops at 6.
  return defaultStatTestOf(pair.columnType, pair.referenceSize, pair.distinctCountUpTo(FEW_VALUES + 1));
}

/**
 * Evidently's _get_default_stattest from the figures it reads: the column type, the reference's
 * size, and the distinct values of both sides together (exact or estimated, as profiles give it).
 */
export function defaultStatTestOf(columnType: TestableColumnType, referenceSize: number, distinct: number): StatTestDefinition {
  const smallOrBinary = distinct > 2 ? STAT_TESTS.chisquare : STAT_TESTS.z;
  if (referenceSize <= SMALL_REFERENCE) {
    if (columnType === 'numerical') return distinct <= FEW_VALUES ? smallOrBinary : STAT_TESTS.ks;
    return smallOrBinary;
  }
  if (columnType === 'numerical') return distinct <= FEW_VALUES ? STAT_TESTS.jensenshannon : STAT_TESTS.wasserstein;
  return STAT_TESTS.jensenshannon;
}
