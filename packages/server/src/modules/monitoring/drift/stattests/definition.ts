/** What every statistical test declares: the registry and the drift decision read these fields. */
import type { SamplePair } from '../samples.js';
import type { ColumnDriftResult, ScoreKind, StatTestName, TestableColumnType } from '../types.js';

export interface StatTestOutcome {
  /** The p-value or distance that is compared with the threshold. */
  readonly score: number;
  readonly statistic?: number;
  readonly warning?: string;
}

export interface StatTestContext {
  /** Seed for tests that permute (empirical_mmd). */
  readonly seed: number;
}

/** How Evidently compares a test's score with its threshold; it is not the same for every test. */
export type DriftComparison = '<' | '<=' | '>=' | '>';

export interface StatTestDefinition {
  readonly name: StatTestName;
  readonly displayName: string;
  readonly allowedTypes: readonly TestableColumnType[];
  readonly defaultThreshold: number;
  readonly scoreKind: ScoreKind;
  readonly driftWhen: DriftComparison;
  readonly run: (pair: SamplePair, context: StatTestContext) => StatTestOutcome;
}

export function isDrifted(score: number, threshold: number, comparison: DriftComparison): boolean {
  switch (comparison) {
    case '<':
      return score < threshold;
    case '<=':
      return score <= threshold;
    case '>=':
      return score >= threshold;
    case '>':
      return score > threshold;
  }
}

/**
 * A column's result as Evidently reports it, from the test that ran, its threshold and outcome:
 * one place for samples and profiles alike.
 */
export function columnResult(
  column: string,
  columnType: TestableColumnType,
  test: Pick<StatTestDefinition, 'name' | 'displayName' | 'scoreKind' | 'driftWhen'>,
  threshold: number,
  outcome: { readonly score: number; readonly statistic?: number; readonly warning?: string },
  sizes: { readonly referenceSize: number; readonly currentSize: number },
): ColumnDriftResult {
  const { score } = outcome;
  return {
    column,
    columnType,
    stattest: test.name,
    stattestDisplayName: test.displayName,
    threshold,
    scoreKind: test.scoreKind,
    score,
    ...(test.scoreKind === 'p_value' ? { pValue: score } : { distance: score }),
    ...(outcome.statistic !== undefined ? { statistic: outcome.statistic } : {}),
    drifted: isDrifted(score, threshold, test.driftWhen),
    referenceSize: sizes.referenceSize,
    currentSize: sizes.currentSize,
    ...(outcome.warning !== undefined ? { warning: outcome.warning } : {}),
  };
}

