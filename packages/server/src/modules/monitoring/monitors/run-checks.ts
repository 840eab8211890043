import type { CheckStatus, MonitorCheckResult, MonitorDriftCheck } from '@capstan/contracts';
import { detectDatasetDrift, DriftError, type DatasetDriftOptions, type DriftColumns } from '../drift/index.js';
import { driftReportToWire } from '../http/drift-wire.js';
import { detectDatasetDriftOnProfiles, type DatasetProfile } from '../profiles/index.js';
import { CHECK_IDS, QualityError, runQualityChecks, type CheckId, type ChecksOptions } from '../quality/index.js';

export interface Sample {
  columns: DriftColumns;
  rows: number;
  /** The sample's profile; when both sides of a drift check have one and the reference is only a profile, drift runs on profiles. */
  profile?: DatasetProfile;
}

/** A drift check: FAIL when the dataset drifted, with the drifted columns named in the sentence. */
export function driftCheck(check: 'data_drift' | 'prediction_drift', options: MonitorDriftCheck, reference: Sample, current: Sample): MonitorCheckResult {
  const what = check === 'data_drift' ? 'inputs' : 'predictions';
  let result;
  try {
    result =
      reference.profile && current.profile
        ? detectDatasetDriftOnProfiles(reference.profile, current.profile, driftOptionsOf(options))
        : detectDatasetDrift(reference.columns, current.columns, driftOptionsOf(options));
  } catch (err) {
    if (err instanceof DriftError) return { check, status: 'ERROR', message: `Drift of the ${what} could not be tested: ${err.message}` };
    throw err;
  }
  const drift = driftReportToWire(result, { reference: reference.rows, current: current.rows });
  const share = `${result.numberOfDriftedColumns} of ${result.numberOfColumns} columns drifted (share ${round(result.shareOfDriftedColumns)}, threshold ${result.driftShare})`;
  if (!result.datasetDrift) return { check, status: 'SUCCESS', message: `No dataset drift in the ${what}: ${share}.`, drift };
  const drifted = result.columns
    .filter((c) => c.drifted)
    .map((c) => `${c.column} (${c.stattestDisplayName} ${round(c.score)}, threshold ${c.threshold})`)
    .join(', ');
  return { check, status: 'FAIL', message: `Dataset drift in the ${what}: ${share}: ${drifted}.`, drift };
}

/** Data-quality checks with reference-derived conditions: FAIL when any check fails, WARNING when one warns. */
export function qualityCheck(checks: readonly CheckId[] | undefined, reference: Sample, current: Sample): MonitorCheckResult {
  let report;
  try {
    report = runQualityChecks({ current: current.columns, reference: reference.columns, ...(checks ? { checks: onlyThese(checks) } : {}) });
  } catch (err) {
    if (err instanceof QualityError) return { check: 'data_quality', status: 'ERROR', message: `Data quality could not be checked: ${err.message}` };
    throw err;
  }
  const quality = report.tests.map((t) => ({ name: t.name, ...(t.column === undefined ? {} : { column: t.column }), status: t.status, message: t.description }));
  const failing = quality.filter((t) => t.status === 'FAIL');
  const warning = quality.filter((t) => t.status === 'WARNING');
  const status: CheckStatus = failing.length ? 'FAIL' : warning.length ? 'WARNING' : quality.every((t) => t.status === 'SKIPPED') ? 'SKIPPED' : 'SUCCESS';
  const message =
    status === 'FAIL'
      ? `${failing.length} of ${quality.length} data-quality tests failed: ${failing.map((t) => t.message).join(' ')}`
      : status === 'WARNING'
        ? `${warning.length} of ${quality.length} data-quality tests warned: ${warning.map((t) => t.message).join(' ')}`
        : status === 'SKIPPED'
          ? 'Every data-quality test was skipped.'
          : `All ${quality.length} data-quality tests passed.`;
  return { check: 'data_quality', status, message, quality };
}

/** Every check runs unless disabled, so naming some means switching the others off. */
function onlyThese(checks: readonly CheckId[]): ChecksOptions {
  return Object.fromEntries(CHECK_IDS.map((id) => [id, { enabled: checks.includes(id) }]));
}

function driftOptionsOf(o: MonitorDriftCheck): DatasetDriftOptions {
  const options = {
    columns: o.columns,
    stattest: o.stattest,
    numericalStattest: o.numerical_stattest,
    categoricalStattest: o.categorical_stattest,
    perColumnStattest: o.per_column_stattest,
    threshold: o.stattest_threshold,
    perColumnThreshold: o.per_column_stattest_threshold,
    driftShare: o.drift_share,
  };
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as DatasetDriftOptions;
}

const round = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(3)) : x);
