/**
 * Drift between two profiles, with the drift library's decisions: its column typing (from the
 * profile's dtype flags and distinct counts), its default test by reference size and distinct
 * values, its per-column/per-type/global option precedence, each test's default threshold and
 * comparison (read from the drift library's registry), and dataset drift when the share of drifted
 * columns is >= driftShare. The result has the shape of detectDatasetDrift's, plus, per column,
 * whether the figures are exact and the rank-error bound of the sketches behind them.
 */
import {
  type ColumnDriftOptions,
  type ColumnDriftResult,
  type DatasetDriftOptions,
  type DatasetDriftResult,
  type TestableColumnType,
} from '../drift/index.js';
import type { ColumnProfile } from './column-profile.js';
import type { DatasetProfile } from './dataset-profile.js';
import { checkThreshold, columnResult, datasetDrift, defaultStatTestOf, NUMBER_UNIQUE_AS_CATEGORICAL, statTestByName, testableType, type StatTestDefinition } from './drift-internals.js';
import { ProfilePair } from './profile-pair.js';
import { profileTest } from './profile-stattests.js';

export interface ProfileColumnDriftResult extends ColumnDriftResult {
  /** Both sides were held exactly: the figures equal the sample-based ones up to rounding. */
  readonly exact: boolean;
  /**
   * Bound (~99 % confidence) on how far any CDF value the test read may be from the samples' own:
   * the two sides' KLL rank errors added, 0 when exact. The KS statistic is within it.
   */
  readonly rankError: number;
}

export interface ProfileDatasetDriftResult extends DatasetDriftResult {
  readonly columns: readonly ProfileColumnDriftResult[];
}


/** pandas' nunique for the column-type rule: distinct values, infinities counted, NaN and null not. */
function nunique(profile: ColumnProfile): number {
  const c = profile.counts;
  const infinities = (c.infinityCount - c.negativeInfinityCount > 0 ? 1 : 0) + (c.negativeInfinityCount > 0 ? 1 : 0);
  return profile.distinctCount().value + infinities;
}

/** The drift library's inferColumnType (Evidently's _get_column_type) on two profiles. */
export function inferProfileColumnType(reference: ColumnProfile, current: ColumnProfile): TestableColumnType {
  const referenceType = reference.dtype;
  let currentType = current.dtype;
  const isNumber = (t: string): boolean => t === 'int' || t === 'float';
  if (referenceType !== currentType && (!isNumber(referenceType) || !isNumber(currentType))) currentType = referenceType;
  if (currentType === 'int') {
    const distinct = nunique(reference) || nunique(current);
    return distinct <= NUMBER_UNIQUE_AS_CATEGORICAL ? 'categorical' : 'numerical';
  }
  return currentType === 'float' ? 'numerical' : 'categorical';
}

/** The drift library's default test (registry.ts defaultStatTest) from profile counts. */
function defaultStatTest(pair: ProfilePair): StatTestDefinition {
  return defaultStatTestOf(pair.columnType, pair.referenceSize, pair.distinctCount().value);
}

/** One column's drift from its two profiles (detectColumnDrift's options; `seed` is unused). */
export function detectColumnDriftOnProfiles(
  reference: ColumnProfile,
  current: ColumnProfile,
  options: ColumnDriftOptions = {},
): ProfileColumnDriftResult {
  const column = options.column ?? 'column';
  checkThreshold('threshold', options.threshold);
  const columnType = testableType(column, options.columnType ?? inferProfileColumnType(reference, current));
  const pair = new ProfilePair(column, columnType, reference, current);
  const test = options.stattest === undefined ? defaultStatTest(pair) : statTestByName(options.stattest, columnType);
  const run = profileTest(test.name);
  const threshold = options.threshold ?? test.defaultThreshold;
  const outcome = run(pair);
  const rankError = outcome.exact ? 0 : reference.kll.rankError() + current.kll.rankError();
  return { ...columnResult(column, columnType, test, threshold, outcome, pair), exact: outcome.exact, rankError };
}

/** detectDatasetDrift on profiles: same options, same result shape. */
export function detectDatasetDriftOnProfiles(
  reference: DatasetProfile,
  current: DatasetProfile,
  options: DatasetDriftOptions = {},
): ProfileDatasetDriftResult {
  const sides = { referenceColumns: reference.columnNames, hasReference: (name: string) => reference.column(name) !== undefined, hasCurrent: (name: string) => current.column(name) !== undefined };
  return datasetDrift(sides, options, (name, choose) => {
    const ref = reference.column(name) as ColumnProfile;
    const cur = current.column(name) as ColumnProfile;
    const columnType = options.columnTypes?.[name] ?? inferProfileColumnType(ref, cur);
    return detectColumnDriftOnProfiles(ref, cur, { column: name, columnType, ...choose(columnType) });
  });
}
