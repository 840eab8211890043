import { z } from 'zod';
import type { MonitorManifest } from '@capstan/contracts';
import { parseWith } from '../../../core/parse-body.js';
import { STAT_TEST_NAMES, type StatTestName } from '../drift/index.js';
import { profileStattestRefusal } from '../profiles/refusal.js';
import { CHECK_IDS } from '../quality/index.js';
import { isRunFileUri } from './run-file-uri.js';

const stattest = z.enum(STAT_TEST_NAMES);
const threshold = z.number().finite();
const name = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'must be 1-128 letters, digits, dots, dashes or underscores, starting with a letter or digit');
/** Only http(s): an alert must not be pointed at file: or other schemes fetch might grow. */
const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const driftCheck = z
  .object({
    columns: z.array(z.string()).min(1).optional(),
    stattest: stattest.optional(),
    numerical_stattest: stattest.optional(),
    categorical_stattest: stattest.optional(),
    per_column_stattest: z.record(z.string(), stattest).optional(),
    stattest_threshold: threshold.optional(),
    per_column_stattest_threshold: z.record(z.string(), threshold).optional(),
    drift_share: z.number().min(0).max(1).optional(),
  })
  .strict();

const PERFORMANCE_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'pr_auc', 'log_loss', 'mae', 'rmse', 'mape', 'r2'] as const;
const REGRESSION_METRICS: ReadonlySet<string> = new Set(['mae', 'rmse', 'mape', 'r2']);
const performanceLabel = z.union([z.number().finite(), z.string()]);

const bound = z
  .object({ gte: z.number().finite().optional(), lte: z.number().finite().optional() })
  .strict()
  .refine((b) => b.gte !== undefined || b.lte !== undefined, { message: 'give gte, lte or both' });

const performanceCheck = z
  .object({
    task: z.enum(['classification', 'regression']),
    prediction: z.string().min(1),
    scores: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    positive_label: performanceLabel.optional(),
    classes: z.array(performanceLabel).min(1).optional(),
    average: z.enum(['binary', 'macro', 'micro', 'weighted']).optional(),
    label_delay_seconds: z.number().int().min(0).max(366 * 24 * 3600).optional(),
    min_labelled_rows: z.number().int().min(1).optional(),
    thresholds: z
      .partialRecord(z.enum(PERFORMANCE_METRICS), bound)
      .refine((t) => Object.keys(t).length > 0, { message: 'name at least one metric' }),
  })
  .strict()
  .refine((p) => Object.keys(p.thresholds).every((m) => REGRESSION_METRICS.has(m) === (p.task === 'regression')), {
    message: 'thresholds must name metrics of the task: accuracy, precision, recall, f1, roc_auc, pr_auc, log_loss for classification; mae, rmse, mape, r2 for regression',
    path: ['thresholds'],
  });

const reference = z.union(
  [
    z
      .object({ type: z.literal('window'), from: z.number().int().min(0), to: z.number().int().min(0) })
      .strict()
      .refine((w) => w.from < w.to, { message: 'from must be before to' }),
    z.object({ type: z.literal('training_dataset') }).strict(),
    z
      .object({ type: z.literal('profiles'), from: z.number().int().min(0), to: z.number().int().min(0) })
      .strict()
      .refine((w) => w.from < w.to, { message: 'from must be before to' }),
  ],
  { error: 'must be {"type": "window", "from", "to"}, {"type": "training_dataset"} or {"type": "profiles", "from", "to"}' },
);

const channel = z.union(
  [
    z.object({ type: z.literal('slack'), url }).strict(),
    z.object({ type: z.literal('webhook'), url, secret: z.string().min(16, 'must be at least 16 characters') }).strict(),
  ],
  { error: 'must be {"type": "slack", "url"} or {"type": "webhook", "url", "secret"}' },
);

/** A day at most between runs and in one window would be arbitrary; a year is a mistake. */
const MAX_SECONDS = 366 * 24 * 3600;

const deploymentManifestSchema = z
  .object({
    name,
    description: z.string().max(5000).optional(),
    deployment: z.string().min(1),
    reference,
    window_seconds: z.number().int().min(1).max(MAX_SECONDS),
    interval_seconds: z.number().int().min(10).max(MAX_SECONDS),
    min_rows: z.number().int().min(1).optional(),
    checks: z
      .object({
        data_drift: driftCheck.optional(),
        prediction_drift: driftCheck.optional(),
        data_quality: z.object({ checks: z.array(z.enum(CHECK_IDS)).min(1).optional() }).strict().optional(),
        performance: performanceCheck.optional(),
      })
      .strict()
      .refine((c) => Object.keys(c).length > 0, { message: 'name at least one of data_drift, prediction_drift, data_quality, performance' }),
    alerts: z.array(channel).max(10).optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .refine((m) => !(m.checks.prediction_drift && m.reference.type === 'training_dataset'), {
    message: 'prediction_drift needs a window reference: a training dataset holds no predictions',
    path: ['checks', 'prediction_drift'],
  })
  .superRefine(checkProfilesReference);

/**
 * A profiles reference is the monitor's stored profiles of its inputs: data_drift compares with
 * it, on profiles, so every test it names must run on profiles; the checks that need rows
 * (prediction_drift, data_quality) cannot use it.
 */
function checkProfilesReference(
  m: { reference: { type: string }; checks: { data_drift?: { stattest?: StatTestName; numerical_stattest?: StatTestName; categorical_stattest?: StatTestName; per_column_stattest?: Record<string, StatTestName> }; prediction_drift?: unknown; data_quality?: unknown } },
  ctx: z.RefinementCtx,
): void {
  if (m.reference.type !== 'profiles') return;
  for (const check of ['prediction_drift', 'data_quality'] as const) {
    if (m.checks[check] !== undefined) ctx.addIssue({ code: 'custom', path: ['checks', check], message: `${check} needs a window or training_dataset reference: a profiles reference holds profiles of the inputs, not rows` });
  }
  const drift = m.checks.data_drift;
  if (!drift) return;
  const named: [string[], StatTestName | undefined][] = [
    [['stattest'], drift.stattest],
    [['numerical_stattest'], drift.numerical_stattest],
    [['categorical_stattest'], drift.categorical_stattest],
    ...Object.entries(drift.per_column_stattest ?? {}).map(([column, test]): [string[], StatTestName] => [['per_column_stattest', column], test]),
  ];
  for (const [path, test] of named) {
    const refusal = test === undefined ? undefined : profileStattestRefusal(test);
    if (refusal !== undefined) ctx.addIssue({ code: 'custom', path: ['checks', 'data_drift', ...path], message: refusal });
  }
}

const runFile = z.string().refine(isRunFileUri, 'must be runs:/<run_id>/<path> (a file in a run\'s artifacts)');

const datasetManifestSchema = z
  .object({
    name,
    description: z.string().max(5000).optional(),
    datasets: z.object({ reference: runFile, current: runFile }).strict(),
    interval_seconds: z.number().int().min(10).max(MAX_SECONDS),
    min_rows: z.number().int().min(1).optional(),
    checks: z
      .object({
        data_drift: driftCheck.optional(),
        data_quality: z.object({ checks: z.array(z.enum(CHECK_IDS)).min(1).optional() }).strict().optional(),
      })
      .strict()
      .refine((c) => Object.keys(c).length > 0, { message: 'name at least one of data_drift, data_quality (a dataset pair has no predictions or labels)' }),
    alerts: z.array(channel).max(10).optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

/**
 * A monitor as declared (API body or `capstan apply -f` YAML); unknown keys are refused. A body
 * naming `datasets` declares a dataset-pair monitor, any other a deployment monitor, so the
 * message names the field that is wrong for the kind meant.
 */
export function parseMonitorManifest(body: unknown): MonitorManifest {
  const pair = typeof body === 'object' && body !== null && 'datasets' in body;
  return (pair ? parseWith(datasetManifestSchema, body, 'dataset-pair monitor') : parseWith(deploymentManifestSchema, body, 'monitor')) as MonitorManifest;
}
