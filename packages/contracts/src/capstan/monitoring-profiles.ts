/**
 * Profiles (`/api/capstan/v1/monitoring/profile`, `.../monitors/{name}/profile`) and drift on
 * profiles (`"method": "profiles"` on `POST /monitoring/drift`). A profile summarises a window per
 * column in constant memory (counts, moments, a KLL quantile sketch, frequent items, a HyperLogLog
 * distinct count); profiles merge across replicas and time and are compared without the raw rows.
 */
import type { ColumnDrift, DriftReport, DriftReportRequest, DriftSource, MonitoringNumber } from './monitoring.js';

export const MONITORING_PROFILE_ROUTES = {
  profile: { method: 'POST', path: '/monitoring/profile' },
} as const;

/**
 * A serialised profile (`format: "capstan.profile"`, version 1). Treat it as opaque: store it, ship
 * it, send it back as a drift side (`{"profile": ...}`) or to `POST /monitoring/profile` to merge;
 * the server validates every field and refuses another version rather than guess.
 */
export interface SerializedDatasetProfile {
  format: 'capstan.profile';
  version: number;
  rowCount: number;
  options: { kllK: number; hllLgK: number; itemsCapacity: number; numbersCapacity: number; seed: number };
  /** [column name, column state] pairs. */
  columns: [string, Record<string, unknown>][];
}

/** `exact` (default): the raw samples, scipy's numbers. `profiles`: both sides profiled first, approximate beyond small windows. */
export type DriftMethod = 'exact' | 'profiles';

/** A drift side given as a profile made earlier (by this API, a monitor or a replica); `method: "profiles"` only. */
export interface ProfileDriftSource {
  profile: SerializedDatasetProfile;
}

/** `POST /monitoring/drift` with a method: the drift request, whose sides may also be profiles. */
export interface DriftRequestWithMethod extends Omit<DriftReportRequest, 'reference' | 'current'> {
  method?: DriftMethod;
  reference: DriftSource | ProfileDriftSource;
  current: DriftSource | ProfileDriftSource;
}

export interface ColumnDriftWithMethod extends ColumnDrift {
  /** `method: "profiles"` only: both profiles held the column exactly, so the figures equal the exact method's. */
  exact?: boolean;
  /** `method: "profiles"` only: bound (~99 % confidence) on the error of any CDF value the test read; 0 when exact. */
  rank_error?: number;
}

export interface DriftReportWithMethod extends DriftReport {
  method: DriftMethod;
  columns: ColumnDriftWithMethod[];
}

export interface DriftResponseWithMethod {
  drift: DriftReportWithMethod;
}

/**
 * `POST /monitoring/profile`: one source to profile (inline columns or a deployment's window,
 * `inputs` or `outputs`), or serialised profiles to merge into one.
 */
export type ProfileRequest = DriftSource | { profiles: SerializedDatasetProfile[] };

/** Quantiles of a column's finite numbers (numpy's linear rule on what the profile holds). */
export interface ProfileQuantiles {
  p01: MonitoringNumber;
  p05: MonitoringNumber;
  p25: MonitoringNumber;
  p50: MonitoringNumber;
  p75: MonitoringNumber;
  p95: MonitoringNumber;
  p99: MonitoringNumber;
}

/** A frequent value and its count: exact when `count` equals `count_upper_bound`, else within the two. */
export interface ProfileTopItem {
  value: number | string | boolean;
  count: number;
  count_upper_bound: number;
}

/** What a profile says of one column, readable without the library. */
export interface ColumnProfileSummary {
  column_name: string;
  /** The dtype pandas would give the column: `int`, `float`, `bool` or `object`. */
  dtype: 'int' | 'float' | 'bool' | 'object';
  /** Cells, missing ones included. */
  count: number;
  /** Null, NaN, ±Infinity and empty-string cells. */
  missing: number;
  /** Finite numbers, strings and booleans among the cells. */
  numbers: number;
  strings: number;
  booleans: number;
  /** Over the finite numbers (null when there are none); `std` is the sample deviation (ddof 1), null below two numbers. */
  min: MonitoringNumber | null;
  max: MonitoringNumber | null;
  mean: MonitoringNumber | null;
  std: MonitoringNumber | null;
  quantiles: ProfileQuantiles | null;
  /** The profile holds the numbers exactly (few values or few distinct ones): quantiles are numpy's. */
  quantiles_exact: boolean;
  /** Distinct finite numbers, strings and booleans (1, "1" and true are three). */
  distinct: number;
  /** Counted exactly; otherwise a HyperLogLog estimate (standard error 1.6 %). */
  distinct_exact: boolean;
  /** Up to 10 most frequent strings and booleans, and numbers while the column has few distinct ones. */
  top: ProfileTopItem[];
}

export interface DatasetProfileSummary {
  rows: number;
  columns: ColumnProfileSummary[];
}

export interface ProfileResponse {
  profile: SerializedDatasetProfile;
  summary: DatasetProfileSummary;
}

/** `GET /monitoring/monitors/{name}/profile?from=&to=`: the merge of the monitor's stored run profiles. */
export interface MonitorProfileResponse extends ProfileResponse {
  monitor: string;
  /** The range asked for (epoch ms, `from` inclusive, `to` exclusive); a run counts when its window lies inside. */
  from: number;
  to: number;
  /** Runs whose profiles were merged. */
  runs: number;
  /** Runs in the range left out because their window overlapped one already merged (no row counted twice). */
  overlapping_runs: number;
}
