/** Public types of the data-quality checks library. */
import type { DriftValue, TestableColumnType } from '../drift/types.js';

/** One cell, as it arrives from JSON (the drift library's cell type). */
export type QualityValue = DriftValue;

export type QualityColumn = readonly QualityValue[];
export type QualityColumns = Readonly<Record<string, QualityColumn>>;

/** A value that is not missing. */
export type Category = number | string | boolean;

/** MLflow column-signature types. */
export const SIGNATURE_TYPES = ['double', 'float', 'long', 'integer', 'boolean', 'string', 'datetime'] as const;
export type SignatureType = (typeof SIGNATURE_TYPES)[number];

export interface SignatureColumn {
  readonly name: string;
  readonly type: SignatureType;
  /** MLflow's default is true. */
  readonly required?: boolean;
}

/** Evidently's approx(value, relative, absolute): equal within max(|value| * relative, absolute). */
export interface Approx {
  readonly kind: 'approx';
  readonly value: number;
  readonly relative: number;
  readonly absolute: number;
}

export type Threshold = number | Approx;

/** Evidently's TestValueCondition: every operator given must hold. */
export interface Condition {
  readonly eq?: Threshold;
  readonly not_eq?: Threshold;
  readonly gt?: Threshold;
  readonly gte?: Threshold;
  readonly lt?: Threshold;
  readonly lte?: Threshold;
  readonly is_in?: readonly Category[];
  readonly not_in?: readonly Category[];
}

export type TestStatus = 'SUCCESS' | 'FAIL' | 'WARNING' | 'ERROR' | 'SKIPPED';

export const CHECK_IDS = [
  'row_count',
  'column_count',
  'reference_schema',
  'signature',
  'dataset_missing_share',
  'duplicated_rows',
  'duplicated_columns',
  'constant_columns',
  'missing_share',
  'new_categories',
  'out_of_range',
  'constant',
  'almost_constant',
  'mean',
  'mean_in_sigmas',
  'std',
  'unique_count',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export interface CheckOptions {
  /** Replaces the default condition. */
  readonly condition?: Condition;
  /** A non-critical check reports WARNING instead of FAIL. Default true (false for almost_constant). */
  readonly critical?: boolean;
  /** Leave the check out of the results. Default true. */
  readonly enabled?: boolean;
}

export type ChecksOptions = Readonly<Partial<Record<CheckId, CheckOptions>>>;

export interface QualityInput {
  /** The dataset conditions are derived from; without it only reference-free defaults apply. */
  readonly reference?: QualityColumns;
  readonly current: QualityColumns;
  /** Skip type inference for these columns. */
  readonly columnTypes?: Readonly<Record<string, TestableColumnType>>;
  /** The model's input signature, checked against the current dataset. */
  readonly signature?: readonly SignatureColumn[];
  /** Cells counted as missing besides null, '', NaN and +-Infinity. */
  readonly missingValues?: readonly (string | number)[];
  /** almost_constant fails at this share of the most common value. Default 0.95. */
  readonly almostConstantShare?: number;
  /** mean_in_sigmas accepts the reference mean +- nSigmas reference std. Default 2. */
  readonly nSigmas?: number;
  /** Per-check options for every column (and the dataset checks). */
  readonly checks?: ChecksOptions;
  /** Per-column options, over `checks`. */
  readonly columnChecks?: Readonly<Record<string, ChecksOptions>>;
}

export interface QualityTestResult {
  readonly check: CheckId;
  readonly name: string;
  readonly column?: string;
  readonly status: TestStatus;
  readonly description: string;
  readonly parameters: {
    /** null when the value could not be computed. */
    readonly value: number | null;
    /** null when no condition applies (ERROR, or SKIPPED for want of one). */
    readonly condition: Condition | null;
  };
}

export interface ColumnSummary {
  readonly column: string;
  readonly type: TestableColumnType;
  readonly rowCount: number;
  readonly missingCount: number;
  readonly missingShare: number;
  /** Distinct values that are not missing (pandas nunique). */
  readonly uniqueCount: number;
  readonly mostCommonValue: Category | null;
  /** Count of the most common value over all rows, missing ones included (Evidently's). */
  readonly mostCommonShare: number;
  /** Numerical columns whose values are all numbers; std needs two values (ddof = 1). */
  readonly min?: number;
  readonly max?: number;
  readonly mean?: number;
  readonly std?: number;
  /** Current side of a categorical column with a reference: values the reference never had. */
  readonly newCategories?: readonly Category[];
}

export interface DatasetSummary {
  readonly rowCount: number;
  readonly columnCount: number;
  /** Missing cells over all columns. */
  readonly missingCount: number;
  readonly missingShare: number;
  /** Rows equal to an earlier row (pandas duplicated().sum()). */
  readonly duplicatedRows: number;
  /** Columns equal to an earlier column (pandas T.duplicated().sum()). */
  readonly duplicatedColumns: number;
  readonly constantColumns: number;
  readonly columns: readonly ColumnSummary[];
}

export interface QualityReport {
  readonly tests: readonly QualityTestResult[];
  readonly summary: { readonly current: DatasetSummary; readonly reference?: DatasetSummary };
}
