/** Public types of the drift statistics library. */

/** One cell of a column, as it arrives from JSON: missing values are null. */
export type DriftValue = number | string | boolean | null;

/** A column as an array of cells, and a dataset as columns by name. */
export type DriftColumn = readonly DriftValue[];
export type DriftColumns = Readonly<Record<string, DriftColumn>>;

/**
 * A column already held as float64 values, as numpy/pandas would hold a float64 column: NaN marks
 * a missing cell (dropped, like null), +-Infinity is dropped too, and the column is always
 * numerical (pandas' float64 dtype), even when every value is a whole number. Reading a typed array
 * skips the per-cell type checks a plain array needs.
 */
export type NumericDriftColumn = Float64Array;

/** What the entry points accept: plain cells, or a Float64Array of numbers. */
export type DriftInputColumn = DriftColumn | NumericDriftColumn;
export type DriftInputColumns = Readonly<Record<string, DriftInputColumn>>;

/**
 * Evidently's column kinds. 'text' is never inferred (Evidently only treats a column as text when
 * told to) and no text test is implemented here; see README.md.
 */
export type ColumnType = 'numerical' | 'categorical' | 'text';

/** A column kind that a statistical test can run on. */
export type TestableColumnType = Exclude<ColumnType, 'text'>;

export const STAT_TEST_NAMES = [
  'ks',
  'chisquare',
  'z',
  'jensenshannon',
  'wasserstein',
  'psi',
  'psi_quantile',
  'kl_div',
  'hellinger',
  'ed',
  'anderson',
  'cramer_von_mises',
  't_test',
  'mannw',
  'empirical_mmd',
  'TVD',
  'fisher_exact',
] as const;

export type StatTestName = (typeof STAT_TEST_NAMES)[number];

/** Whether a test's score is a p-value (small means drift) or a distance (large means drift). */
export type ScoreKind = 'p_value' | 'distance';

export interface ColumnDriftOptions {
  /** Column name, used in results and error messages. Default 'column'. */
  readonly column?: string;
  /** Skip type inference. */
  readonly columnType?: ColumnType;
  /** Skip Evidently's default test choice. */
  readonly stattest?: StatTestName;
  /** Replace the test's default threshold. */
  readonly threshold?: number;
  /** Seed of the empirical_mmd permutations (numpy's np.random.seed). Default 0. */
  readonly seed?: number;
}

export interface ColumnDriftResult {
  readonly column: string;
  readonly columnType: TestableColumnType;
  readonly stattest: StatTestName;
  /** Evidently's display name of the test, e.g. 'K-S p_value'. */
  readonly stattestDisplayName: string;
  readonly threshold: number;
  readonly scoreKind: ScoreKind;
  /** Evidently's drift_score: the p-value or the distance. */
  readonly score: number;
  /** Present for p-value tests (equals score). */
  readonly pValue?: number;
  /** Present for distance tests (equals score). */
  readonly distance?: number;
  /** The test statistic behind a p-value (KS D, chi-square, z, t, U, A2, T, MMD, TVD, odds ratio). */
  readonly statistic?: number;
  readonly drifted: boolean;
  /** Cells compared after nulls, NaN and +-Infinity were dropped. */
  readonly referenceSize: number;
  readonly currentSize: number;
  /** Set when the test capped or floored its p-value (anderson). */
  readonly warning?: string;
}

export interface DatasetDriftOptions {
  /** Columns to compare; default: every reference column that current also has. */
  readonly columns?: readonly string[];
  readonly columnTypes?: Readonly<Record<string, ColumnType>>;
  /** Evidently's all_features_stattest / num_features_stattest / cat_features_stattest / per_feature_stattest. */
  readonly stattest?: StatTestName;
  readonly numericalStattest?: StatTestName;
  readonly categoricalStattest?: StatTestName;
  readonly perColumnStattest?: Readonly<Record<string, StatTestName>>;
  /** Evidently's all_features_threshold / num_... / cat_... / per_feature_threshold. */
  readonly threshold?: number;
  readonly numericalThreshold?: number;
  readonly categoricalThreshold?: number;
  readonly perColumnThreshold?: Readonly<Record<string, number>>;
  /** The dataset drifts when the share of drifted columns is >= driftShare. Default 0.5. */
  readonly driftShare?: number;
  /** Seed of the empirical_mmd permutations. Default 0. */
  readonly seed?: number;
}

export interface DatasetDriftResult {
  readonly columns: readonly ColumnDriftResult[];
  readonly numberOfColumns: number;
  readonly numberOfDriftedColumns: number;
  readonly shareOfDriftedColumns: number;
  readonly driftShare: number;
  readonly datasetDrift: boolean;
}
