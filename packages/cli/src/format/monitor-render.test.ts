import type { Monitor, MonitorAlertDelivery, MonitorRunSummary } from '@capstan/contracts';
import { describe, expect, it } from 'vitest';
import { formatSeconds, renderAlertDeliveries, renderMonitorRuns, renderMonitors, summarizeRun } from './monitor-render.js';

const T = 1_700_000_000_000;

const monitor: Monitor = {
  name: 'fraud-drift',
  description: null,
  workspace: 'default',
  deployment: 'fraud',
  reference: { type: 'window', from: T, to: T + 3_600_000 },
  window_seconds: 3600,
  interval_seconds: 900,
  min_rows: 30,
  checks: { data_drift: {}, data_quality: {} },
  alerts: [{ type: 'slack', url: 'https://hooks.slack.com/services/T/B/SECRET' }],
  enabled: true,
  next_run_at: T,
  created_at: T,
  updated_at: T,
  created_by: null,
};

const run: MonitorRunSummary = {
  run_id: 'r1',
  monitor: 'fraud-drift',
  trigger: 'schedule',
  status: 'alert',
  started_at: T,
  finished_at: T + 1500,
  window: { from: T - 3_600_000, to: T },
  reference_rows: 200,
  current_rows: 180,
  checks: { data_drift: 'FAIL', data_quality: 'SUCCESS' },
};

describe('monitor renderers', () => {
  it('writes whole seconds in the largest exact unit', () => {
    expect([86_400, 7_200, 5_400, 90, 10].map(formatSeconds)).toEqual(['1d', '2h', '90m', '90s', '10s']);
  });

  it('shows what a dataset-pair monitor compares, and no window', () => {
    const { deployment: _deployment, reference: _reference, window_seconds: _window, ...rest } = monitor as Extract<Monitor, { deployment: string }>;
    const pair: Monitor = { ...rest, name: 'batch', datasets: { reference: 'runs:/r1/train.csv', current: 'runs:/r2/scored.parquet' } };
    expect(renderMonitors([pair]).split('\n')[1]).toMatch(/^batch +runs:\/r2\/scored\.parquet +runs:\/r1\/train\.csv +data_drift,data_quality +- +15m /);
  });

  it('lists monitors with their reference, checks, schedule and channel types', () => {
    expect(renderMonitors([monitor, { ...monitor, name: 'skew', reference: { type: 'training_dataset' as const }, alerts: [], enabled: false }])).toBe(
      'NAME         WATCHES  REFERENCE                                          CHECKS                   WINDOW  INTERVAL  ALERTS  ENABLED  NEXT RUN\n' +
        'fraud-drift  fraud    window 2023-11-14T22:13:20Z..2023-11-14T23:13:20Z  data_drift,data_quality  1h      15m       slack   yes      2023-11-14T22:13:20Z\n' +
        'skew         fraud    training_dataset                                   data_drift,data_quality  1h      15m       -       no       -\n',
    );
  });

  it('lists runs with each check status, and sums one up in a line', () => {
    expect(renderMonitorRuns([run, { ...run, run_id: 'r0', status: 'skipped', checks: {}, current_rows: 3, message: 'too few rows' }])).toBe(
      'RUN ID  STATUS   TRIGGER   STARTED               DURATION  ROWS  REFERENCE ROWS  CHECKS                                MESSAGE\n' +
        'r1      alert    schedule  2023-11-14T22:13:20Z  1.5s      180   200             data_drift=FAIL,data_quality=SUCCESS\n' +
        'r0      skipped  schedule  2023-11-14T22:13:20Z  1.5s      3     200             -                                     too few rows\n',
    );
    expect(summarizeRun(run)).toBe("Monitor 'fraud-drift' run r1: alert (data_drift=FAIL,data_quality=SUCCESS; 180 rows against 200)");
  });

  it("shows an alert channel by type and host, never a Slack URL's path", () => {
    const delivery: MonitorAlertDelivery = {
      delivery_id: 'd1',
      monitor: 'fraud-drift',
      event: 'monitor.alert.firing',
      check: 'data_drift',
      channel: { type: 'slack', url: 'https://hooks.slack.com/services/T/B/SECRET' },
      run_id: 'r1',
      status: 'failed',
      attempts: 5,
      last_error: 'HTTP 404',
      created_at: T,
      completed_at: T + 20_000,
    };
    const table = renderAlertDeliveries([delivery]);
    expect(table).not.toContain('SECRET');
    expect(table.split('\n')[1]).toMatch(/^d1\s+monitor\.alert\.firing\s+data_drift\s+slack hooks\.slack\.com\s+failed\s+5\s+2023-11-14T22:13:20Z\s+r1\s+HTTP 404$/);
  });
});
