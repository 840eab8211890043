import { randomUUID } from 'node:crypto';
import type { CheckStatus, MonitorCheckName, MonitorCheckResult, MonitorRun, MonitorRunStatus } from '@capstan/contracts';
import { CapstanError } from '../../../core/errors.js';
import { resolveSource, type SourceDeps } from '../sources/resolve-source.js';
import { DEFAULT_MIN_ROWS, type StoredMonitor } from './monitor-store.js';
import type { CheckId } from '../quality/index.js';
import { performanceCheck } from './performance-check.js';
import { driftCheck, qualityCheck, type Sample } from './run-checks.js';
import { profileColumns, type DatasetProfile } from '../profiles/index.js';

/** The reference a monitor names, as columns of inputs (and outputs when it is a window). */
export interface ReferenceSample {
  inputs: Sample;
  outputs?: Sample;
}

export interface RunMonitorDeps {
  source: SourceDeps;
  /** The training dataset of the version the deployment serves (see training-reference.ts). */
  trainingReference(deployment: string): Promise<Sample>;
  /** A `profiles` reference: the merge of the monitor's stored run profiles in [from, to), as a sample of that profile only. */
  profileReference(monitor: string, range: { from: number; to: number }): Promise<Sample>;
  /** A stored dataset of a dataset-pair monitor, by its `runs:/` URI. */
  readDataset(uri: string): Promise<Sample>;
  /** Receives the current window's input profile (monitors with data_drift), to store with the run. */
  keepProfile?(profile: DatasetProfile): void;
  now(): number;
}

/**
 * One run of a monitor: for a deployment, the current window is the `window_seconds` before now;
 * for a dataset pair, both files as they are now (the run's window is then the moment they were
 * read). Each named check compares current with the reference. A check that cannot be judged
 * says why (SKIPPED or ERROR); a run that cannot read its data at all is an `error` run, recorded
 * like any other.
 */
export async function runMonitor(monitor: StoredMonitor, trigger: string, deps: RunMonitorDeps): Promise<MonitorRun> {
  const spec = monitor.manifest;
  const startedAt = deps.now();
  const window = spec.datasets ? { from: startedAt, to: startedAt } : { from: startedAt - spec.window_seconds * 1000, to: startedAt };
  const base = { run_id: randomUUID(), monitor: spec.name, trigger, started_at: startedAt, window };
  const names = checkNames(monitor);
  // Drift and quality compare with the reference; the performance check needs none.
  const compares = Boolean(spec.checks.data_drift || spec.checks.prediction_drift || spec.checks.data_quality);
  let reference: ReferenceSample;
  let current: ReferenceSample;
  try {
    if (spec.datasets) {
      current = { inputs: await deps.readDataset(spec.datasets.current) };
      reference = { inputs: await deps.readDataset(spec.datasets.reference) };
    } else {
      current = await windowSample(spec.deployment, window, spec.checks.prediction_drift !== undefined, deps.source);
      reference = !compares
        ? { inputs: { columns: {}, rows: 0 } }
        : spec.reference.type === 'window'
          ? await windowSample(spec.deployment, spec.reference, spec.checks.prediction_drift !== undefined, deps.source)
          : spec.reference.type === 'profiles'
            ? { inputs: await deps.profileReference(spec.name, spec.reference) }
            : { inputs: await deps.trainingReference(spec.deployment) };
    }
  } catch (err) {
    if (!(err instanceof CapstanError)) throw err;
    const message = `The monitor could not read its data: ${err.message}`;
    const results = names.map((check): MonitorCheckResult => ({ check, status: 'ERROR', message }));
    return finish({ ...base, reference_rows: 0, current_rows: 0, results, message }, deps);
  }
  const rows = { reference_rows: reference.inputs.rows, current_rows: current.inputs.rows };
  // Profiled for data_drift monitors (stored with the run even when too few rows skip the checks); compared when the reference is profiles.
  if (spec.checks.data_drift && current.inputs.rows > 0) current.inputs.profile = profileColumns(current.inputs.columns);
  if (current.inputs.profile) deps.keepProfile?.(current.inputs.profile);
  const minRows = spec.min_rows ?? DEFAULT_MIN_ROWS;
  const tooFew = !compares
    ? undefined
    : current.inputs.rows < minRows
      ? spec.datasets
        ? `The current dataset holds ${current.inputs.rows} rows; the monitor needs at least ${minRows}.`
        : `The current window holds ${current.inputs.rows} logged rows; the monitor needs at least ${minRows}.`
      : reference.inputs.rows === 0
        ? 'The reference holds no rows.'
        : undefined;
  const skipped = (check: MonitorCheckName): MonitorCheckResult => ({ check, status: 'SKIPPED', message: tooFew! });
  const results: MonitorCheckResult[] = [];
  const { checks } = spec;
  if (checks.data_drift) results.push(tooFew ? skipped('data_drift') : driftCheck('data_drift', checks.data_drift, reference.inputs, current.inputs));
  if (checks.prediction_drift) results.push(tooFew ? skipped('prediction_drift') : driftCheck('prediction_drift', checks.prediction_drift, reference.outputs!, current.outputs!));
  // The manifest admitted only known check ids.
  if (checks.data_quality) results.push(tooFew ? skipped('data_quality') : qualityCheck(checks.data_quality.checks as CheckId[] | undefined, reference.inputs, current.inputs));
  // Judged on its own (label-delayed) window, so the traffic count above does not decide it.
  // The manifest allows a performance check on deployments only.
  if (checks.performance && !spec.datasets) {
    results.push(
      await performanceCheck(checks.performance, spec.deployment, spec.window_seconds, startedAt, deps.source).catch((err: unknown) => {
        if (!(err instanceof CapstanError)) throw err;
        return { check: 'performance' as const, status: 'ERROR' as const, message: `Performance could not be measured: ${err.message}` };
      }),
    );
  }
  const allSkipped = results.every((r) => r.status === 'SKIPPED');
  return finish({ ...base, ...rows, results, ...(tooFew && allSkipped ? { message: tooFew } : {}) }, deps);
}

function checkNames(monitor: StoredMonitor): MonitorCheckName[] {
  const { checks } = monitor.manifest;
  return (['data_drift', 'prediction_drift', 'data_quality', 'performance'] as const).filter((name) => checks[name] !== undefined);
}

async function windowSample(deployment: string, window: { from: number; to: number }, withOutputs: boolean, source: SourceDeps): Promise<ReferenceSample> {
  const inputs = await resolveSource({ deployment, ...window, part: 'inputs' }, source);
  return withOutputs ? { inputs, outputs: await resolveSource({ deployment, ...window, part: 'outputs' }, source) } : { inputs };
}

function finish(run: Omit<MonitorRun, 'finished_at' | 'status' | 'checks'>, deps: RunMonitorDeps): MonitorRun {
  const checks: Partial<Record<MonitorCheckName, CheckStatus>> = Object.fromEntries(run.results.map((r) => [r.check, r.status]));
  return { ...run, finished_at: deps.now(), status: runStatus(run.results.map((r) => r.status)), checks };
}

/** A failed check makes an alert run; otherwise an erroring one makes an error run; all skipped is a skipped run. */
function runStatus(statuses: CheckStatus[]): MonitorRunStatus {
  if (statuses.includes('FAIL')) return 'alert';
  if (statuses.includes('ERROR')) return 'error';
  if (statuses.every((s) => s === 'SKIPPED')) return 'skipped';
  return 'ok';
}
