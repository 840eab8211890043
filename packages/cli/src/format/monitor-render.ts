import type { AlertChannelView, Monitor, MonitorAlertDelivery, MonitorReference, MonitorRun, MonitorRunSummary } from '@capstan/contracts';
import { formatTable } from './table.js';
import { formatDuration, formatTime } from './values.js';

const orDash = (value: string) => (value ? value : '-');

/** Whole seconds as the largest exact unit: `3600` as `1h`, `90` as `90s`, `5400` as `90m`. */
export function formatSeconds(seconds: number): string {
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['m', 60]] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

/** `window <from>..<to>` for a reference with a time range (epoch ms), its type alone otherwise. */
export function describeReference(reference: MonitorReference): string {
  return 'from' in reference && 'to' in reference ? `${reference.type} ${formatTime(reference.from)}..${formatTime(reference.to)}` : reference.type;
}

/**
 * A channel's type and host only: a Slack incoming-webhook URL is itself a credential, and tables
 * end up in CI logs. `--json` prints what the API answers.
 */
export function describeChannel(channel: AlertChannelView): string {
  let host: string;
  try {
    host = new URL(channel.url).host;
  } catch {
    host = '?';
  }
  return `${channel.type} ${host}`;
}

export function renderMonitors(monitors: readonly Monitor[]): string {
  return formatTable(
    ['NAME', 'WATCHES', 'REFERENCE', 'CHECKS', 'WINDOW', 'INTERVAL', 'ALERTS', 'ENABLED', 'NEXT RUN'],
    monitors.map((m) => [
      m.name,
      // A dataset-pair monitor watches its current dataset, compared with its reference file.
      m.datasets ? m.datasets.current : m.deployment,
      m.datasets ? m.datasets.reference : describeReference(m.reference),
      Object.keys(m.checks).join(','),
      m.datasets ? '-' : formatSeconds(m.window_seconds),
      formatSeconds(m.interval_seconds),
      orDash(m.alerts.map((a) => a.type).join(',')),
      m.enabled ? 'yes' : 'no',
      m.enabled ? formatTime(m.next_run_at) : '-',
    ]),
  );
}

/** `data_drift=FAIL,data_quality=SUCCESS`, in the order the run lists them. */
export function describeChecks(checks: MonitorRunSummary['checks']): string {
  return orDash(Object.entries(checks).map(([check, status]) => `${check}=${status}`).join(','));
}

export function renderMonitorRuns(runs: readonly MonitorRunSummary[]): string {
  return formatTable(
    ['RUN ID', 'STATUS', 'TRIGGER', 'STARTED', 'DURATION', 'ROWS', 'REFERENCE ROWS', 'CHECKS', 'MESSAGE'],
    runs.map((r) => [
      r.run_id,
      r.status,
      r.trigger,
      formatTime(r.started_at),
      formatDuration(r.started_at, r.finished_at),
      String(r.current_rows),
      String(r.reference_rows),
      describeChecks(r.checks),
      r.message ?? '',
    ]),
  );
}

/** One line for stderr after `monitors run`: `Monitor 'm' run <id>: alert (data_drift=FAIL)`. */
export function summarizeRun(run: MonitorRun | MonitorRunSummary): string {
  return `Monitor '${run.monitor}' run ${run.run_id}: ${run.status} (${describeChecks(run.checks)}; ${run.current_rows} rows against ${run.reference_rows})${run.message ? `: ${run.message}` : ''}`;
}

export function renderAlertDeliveries(deliveries: readonly MonitorAlertDelivery[]): string {
  return formatTable(
    ['DELIVERY ID', 'EVENT', 'CHECK', 'CHANNEL', 'STATUS', 'ATTEMPTS', 'CREATED', 'RUN ID', 'LAST ERROR'],
    deliveries.map((d) => [
      d.delivery_id,
      d.event,
      d.check,
      describeChannel(d.channel),
      d.status,
      String(d.attempts),
      formatTime(d.created_at),
      d.run_id,
      d.last_error ?? '',
    ]),
  );
}
