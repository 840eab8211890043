import type { AlertChannel, MonitorAlertEvent, MonitorAlertPayload, MonitorCheckResult, MonitorRun } from '@capstan/contracts';
import type { StoredMonitor } from '../monitors/monitor-store.js';

const CHECK_TITLES = { data_drift: 'data drift', prediction_drift: 'prediction drift', data_quality: 'data quality', performance: 'model performance' } as const;

export interface AlertFacts {
  deliveryId: string;
  event: MonitorAlertEvent;
  monitor: StoredMonitor;
  run: MonitorRun;
  result: MonitorCheckResult;
  occurredAt: number;
}

/** The body a channel gets: Slack's incoming-webhook JSON, or Capstan's JSON for a generic webhook. */
export function alertBody(channel: AlertChannel, facts: AlertFacts): string {
  return JSON.stringify(channel.type === 'slack' ? slackMessage(facts) : genericPayload(facts));
}

function genericPayload(facts: AlertFacts): MonitorAlertPayload {
  const { run, result } = facts;
  const drifted = result.drift?.columns.filter((c) => c.drift_detected);
  return {
    delivery_id: facts.deliveryId,
    event: facts.event,
    occurred_at: facts.occurredAt,
    monitor: facts.monitor.manifest.name,
    deployment: facts.monitor.manifest.deployment ?? null,
    ...(facts.monitor.manifest.datasets ? { datasets: facts.monitor.manifest.datasets } : {}),
    check: result.check,
    status: result.status,
    message: result.message,
    run_id: run.run_id,
    window: run.window,
    ...(drifted
      ? { drifted_columns: drifted.map((c) => ({ column_name: c.column_name, stattest_name: c.stattest_name, drift_score: c.drift_score, stattest_threshold: c.stattest_threshold })) }
      : {}),
  };
}

/**
 * Slack's Block Kit: `text` is the notification's fallback, the blocks carry the detail. Names and
 * messages are escaped as Slack asks (&, <, >), so a column name cannot become a link or a mention.
 */
function slackMessage(facts: AlertFacts): { text: string; blocks: object[] } {
  const { monitor, run, result } = facts;
  const name = escapeSlack(monitor.manifest.name);
  const { datasets } = monitor.manifest;
  const target = datasets ? `dataset ${escapeSlack(datasets.current)} against ${escapeSlack(datasets.reference)}` : `deployment ${escapeSlack(monitor.manifest.deployment)}`;
  const check = CHECK_TITLES[result.check];
  const text =
    facts.event === 'monitor.alert.firing'
      ? `:rotating_light: ${check} failing on ${target} (monitor ${name})`
      : `:white_check_mark: ${check} recovered on ${target} (monitor ${name})`;
  const drifted = result.drift?.columns.filter((c) => c.drift_detected).slice(0, 10);
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${text}*` } },
      { type: 'section', text: { type: 'mrkdwn', text: escapeSlack(result.message).slice(0, 2900) } },
      ...(drifted?.length
        ? [
            {
              type: 'section',
              fields: drifted.map((c) => ({ type: 'mrkdwn', text: `*${escapeSlack(c.column_name)}*\n${escapeSlack(c.stattest_name)} ${c.drift_score} (threshold ${c.stattest_threshold})` })),
            },
          ]
        : []),
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `run ${run.run_id} · ${datasets ? `read ${new Date(run.started_at).toISOString()}` : `window ${new Date(run.window.from).toISOString()} to ${new Date(run.window.to).toISOString()}`} · ${run.current_rows} rows` }],
      },
    ],
  };
}

function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
