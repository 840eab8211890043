import { Counter, Gauge, type Registry } from 'prom-client';
import type { CheckStatus, MonitorRun } from '@capstan/contracts';
import { sharedRefresh } from '../../../core/shared-refresh.js';

const STATUSES: readonly CheckStatus[] = ['SUCCESS', 'FAIL', 'WARNING', 'ERROR', 'SKIPPED'];

export interface MonitorMetricsSource {
  /** Each monitor's latest stored run, with the deployment it watches. */
  latestRuns(): Promise<{ deployment: string; run: MonitorRun }[]>;
}

/**
 * Prometheus gauges for every monitor's latest result, read from the database when scraped: every
 * replica reports the same figures whichever replica ran the monitor, and a deleted monitor's
 * series disappear. Named per Prometheus conventions (base units, `_total` for counters only).
 */
export function registerMonitorMetrics(registry: Registry, source: MonitorMetricsSource): { runFinished(run: MonitorRun): void } {
  // The gauges share one read of the database per scrape.
  const collect = sharedRefresh(() => refresh());
  const score = new Gauge({
    name: 'capstan_monitor_drift_score',
    help: "A column's drift score in the monitor's latest run: a p-value or a distance (see stattest).",
    labelNames: ['monitor', 'deployment', 'check', 'column', 'stattest'],
    registers: [registry],
    collect,
  });
  const threshold = new Gauge({
    name: 'capstan_monitor_drift_threshold',
    help: "The threshold the column's drift score was compared with.",
    labelNames: ['monitor', 'deployment', 'check', 'column', 'stattest'],
    registers: [registry],
    collect,
  });
  const detected = new Gauge({
    name: 'capstan_monitor_column_drift_detected',
    help: 'Whether the column drifted in the latest run (1) or not (0).',
    labelNames: ['monitor', 'deployment', 'check', 'column'],
    registers: [registry],
    collect,
  });
  const share = new Gauge({
    name: 'capstan_monitor_drifted_columns_ratio',
    help: 'Share of drifted columns in the latest run (0-1).',
    labelNames: ['monitor', 'deployment', 'check'],
    registers: [registry],
    collect,
  });
  const datasetDrift = new Gauge({
    name: 'capstan_monitor_dataset_drift',
    help: 'Whether the dataset drifted in the latest run (1) or not (0).',
    labelNames: ['monitor', 'deployment', 'check'],
    registers: [registry],
    collect,
  });
  const status = new Gauge({
    name: 'capstan_monitor_check_status',
    help: "1 for the status of the check in the monitor's latest run, 0 for the other statuses.",
    labelNames: ['monitor', 'deployment', 'check', 'status'],
    registers: [registry],
    collect,
  });
  const performance = new Gauge({
    name: 'capstan_monitor_performance_metric',
    help: "A model-quality metric (accuracy, f1, roc_auc, mae, ...) over the labelled rows of the monitor's latest performance check.",
    labelNames: ['monitor', 'deployment', 'metric'],
    registers: [registry],
    collect,
  });
  const lastRun = new Gauge({
    name: 'capstan_monitor_last_run_timestamp_seconds',
    help: "When the monitor's latest run finished (Unix time).",
    labelNames: ['monitor', 'deployment'],
    registers: [registry],
    collect,
  });
  const rows = new Gauge({
    name: 'capstan_monitor_window_rows',
    help: "Logged rows in the latest run's current window.",
    labelNames: ['monitor', 'deployment'],
    registers: [registry],
    collect,
  });

  async function refresh(): Promise<void> {
    for (const g of [score, threshold, detected, share, datasetDrift, status, performance, lastRun, rows]) g.reset();
    for (const { deployment, run } of await source.latestRuns()) {
      const m = { monitor: run.monitor, deployment };
      lastRun.set(m, run.finished_at / 1000);
      rows.set(m, run.current_rows);
      for (const result of run.results) {
        const c = { ...m, check: result.check };
        for (const s of STATUSES) status.set({ ...c, status: s }, s === result.status ? 1 : 0);
        for (const [metric, value] of Object.entries(result.performance?.metrics ?? {})) {
          if (metric !== 'count' && (typeof value === 'number' || typeof value === 'string')) performance.set({ ...m, metric }, Number(value));
        }
        if (!result.drift) continue;
        share.set(c, result.drift.share_of_drifted_columns);
        datasetDrift.set(c, result.drift.dataset_drift ? 1 : 0);
        for (const col of result.drift.columns) {
          const value = typeof col.drift_score === 'number' ? col.drift_score : Number(col.drift_score);
          score.set({ ...c, column: col.column_name, stattest: col.stattest }, value);
          threshold.set({ ...c, column: col.column_name, stattest: col.stattest }, col.stattest_threshold);
          detected.set({ ...c, column: col.column_name }, col.drift_detected ? 1 : 0);
        }
      }
    }
  }

  const runs = new Counter({
    name: 'capstan_monitor_runs_total',
    help: 'Monitor runs this replica finished, by outcome (ok, alert, skipped, error).',
    labelNames: ['monitor', 'status'],
    registers: [registry],
  });
  return { runFinished: (run) => runs.inc({ monitor: run.monitor, status: run.status }) };
}
