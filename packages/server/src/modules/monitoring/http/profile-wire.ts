import type { ColumnDriftWithMethod, ColumnProfileSummary, DatasetProfileSummary, DriftReportWithMethod, ProfileResponse, SerializedDatasetProfile } from '@capstan/contracts';
import type { DatasetDriftResult } from '../drift/index.js';
import { serializeProfile, type DatasetProfile, type ProfileDatasetDriftResult } from '../profiles/index.js';
import { summarizeProfile, type ColumnSummary } from '../profiles/summary.js';
import { wireNumber } from '../wire-number.js';
import { driftReportToWire } from './drift-wire.js';

const orNull = (x: number | undefined) => (x === undefined ? null : wireNumber(x));

function columnSummaryToWire(c: ColumnSummary): ColumnProfileSummary {
  return {
    column_name: c.column,
    dtype: c.dtype,
    count: c.count,
    missing: c.missing,
    numbers: c.numbers,
    strings: c.strings,
    booleans: c.booleans,
    min: orNull(c.min),
    max: orNull(c.max),
    mean: orNull(c.mean),
    std: orNull(c.std),
    quantiles: c.quantiles
      ? {
          p01: wireNumber(c.quantiles.p01),
          p05: wireNumber(c.quantiles.p05),
          p25: wireNumber(c.quantiles.p25),
          p50: wireNumber(c.quantiles.p50),
          p75: wireNumber(c.quantiles.p75),
          p95: wireNumber(c.quantiles.p95),
          p99: wireNumber(c.quantiles.p99),
        }
      : null,
    quantiles_exact: c.quantilesExact,
    distinct: c.distinct,
    distinct_exact: c.distinctExact,
    top: c.top.map((t) => ({ value: t.value, count: t.count, count_upper_bound: t.countUpperBound })),
  };
}

export function profileSummaryToWire(profile: DatasetProfile): DatasetProfileSummary {
  const summary = summarizeProfile(profile);
  return { rows: summary.rows, columns: summary.columns.map(columnSummaryToWire) };
}

/** A profile on the wire: the serialised profile (to store, ship or send back) and its readable summary. */
export function profileToWire(profile: DatasetProfile): ProfileResponse {
  return { profile: serializeProfile(profile) as unknown as SerializedDatasetProfile, summary: profileSummaryToWire(profile) };
}

/** The exact method's report, saying so. */
export function exactDriftToWire(result: DatasetDriftResult, rows: { reference: number; current: number }): DriftReportWithMethod {
  return { method: 'exact', ...driftReportToWire(result, rows) };
}

/** Drift on profiles: the exact method's fields, plus per column whether it is exact and its rank-error bound. */
export function profileDriftToWire(result: ProfileDatasetDriftResult, rows: { reference: number; current: number }): DriftReportWithMethod {
  const report = driftReportToWire(result, rows);
  const columns = report.columns.map((column, i): ColumnDriftWithMethod => ({ ...column, exact: result.columns[i]!.exact, rank_error: result.columns[i]!.rankError }));
  return { method: 'profiles', ...report, columns };
}
