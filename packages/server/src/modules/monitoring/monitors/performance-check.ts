import type { MonitorCheckResult, MonitoringNumber, MonitorPerformanceCheck, MonitorPerformanceMetric } from '@capstan/contracts';
import { PerformanceError } from '../performance/index.js';
import { buildPerformanceReport, scoreColumnsOf } from '../performance-api/report.js';
import { LabelledWindowError, readLabelledWindow } from '../sources/labelled-window.js';
import type { SourceDeps } from '../sources/resolve-source.js';

const DEFAULT_MIN_LABELLED_ROWS = 30;

/**
 * Model quality from labels posted after the predictions: the window that ended
 * `label_delay_seconds` before `now` is scored as the Performance API scores it, and each named
 * metric is held to its bound. Too few labelled rows is SKIPPED; a metric undefined for these
 * rows (ROC AUC with one class, say) is ERROR with the reason, never a silent pass.
 */
export async function performanceCheck(options: MonitorPerformanceCheck, deployment: string, windowSeconds: number, now: number, source: SourceDeps): Promise<MonitorCheckResult> {
  const to = now - (options.label_delay_seconds ?? 0) * 1000;
  const window = { deployment, from: to - windowSeconds * 1000, to };
  const body = {
    current: window,
    task: options.task,
    prediction: options.prediction,
    ...(options.scores !== undefined ? { scores: options.scores } : {}),
    ...(options.positive_label !== undefined ? { positive_label: options.positive_label } : {}),
    ...(options.classes !== undefined ? { classes: options.classes } : {}),
    ...(options.average !== undefined ? { average: options.average } : {}),
  };
  let report;
  try {
    const current = await readLabelledWindow(source, window, { prediction: body.prediction, scores: scoreColumnsOf(body) }, 'current');
    report = buildPerformanceReport(body, current);
  } catch (err) {
    if (err instanceof PerformanceError || err instanceof LabelledWindowError) return { check: 'performance', status: 'ERROR', message: `Performance could not be measured: ${err.message}` };
    throw err;
  }
  const span = `${new Date(window.from).toISOString()} to ${new Date(window.to).toISOString()}`;
  const minRows = options.min_labelled_rows ?? DEFAULT_MIN_LABELLED_ROWS;
  if (!report.metrics || report.labelled_rows < minRows) {
    return { check: 'performance', status: 'SKIPPED', message: `The window ${span} holds ${report.labelled_rows} labelled rows; the check needs at least ${minRows}.`, performance: report };
  }
  const metrics = report.metrics as unknown as Record<string, MonitoringNumber | null>;
  const undefinedReasons = (report.metrics.undefined_metrics ?? {}) as Record<string, string>;
  const breaches: string[] = [];
  const unknowable: string[] = [];
  for (const [metric, limit] of Object.entries(options.thresholds) as [MonitorPerformanceMetric, { gte?: number; lte?: number }][]) {
    const value = metrics[metric];
    if (typeof value !== 'number') {
      unknowable.push(`${metric} is ${value === null ? 'undefined' : value}${undefinedReasons[metric] ? ` (${undefinedReasons[metric]})` : ''}`);
      continue;
    }
    if (limit.gte !== undefined && !(value >= limit.gte)) breaches.push(`${metric} ${round(value)} < ${limit.gte}`);
    if (limit.lte !== undefined && !(value <= limit.lte)) breaches.push(`${metric} ${round(value)} > ${limit.lte}`);
  }
  const rows = `${report.labelled_rows} labelled rows (coverage ${round(report.label_coverage ?? 0)}) from ${span}`;
  if (breaches.length) return { check: 'performance', status: 'FAIL', message: `Performance below its bounds on ${rows}: ${breaches.join('; ')}.`, performance: report };
  if (unknowable.length) return { check: 'performance', status: 'ERROR', message: `Performance could not be judged on ${rows}: ${unknowable.join('; ')}.`, performance: report };
  return { check: 'performance', status: 'SUCCESS', message: `Performance within its bounds on ${rows}.`, performance: report };
}

const round = (x: number) => Number(x.toPrecision(3));
