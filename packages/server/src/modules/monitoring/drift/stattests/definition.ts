/** What every statistical test declares: the registry and the drift decision read these fields. */
import type { SamplePair } from '../samples.js';
import type { ScoreKind, StatTestName, TestableColumnType } from '../types.js';

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
