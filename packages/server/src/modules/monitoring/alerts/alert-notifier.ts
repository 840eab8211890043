import { randomUUID } from 'node:crypto';
import type { MonitorAlertEvent, MonitorRun } from '@capstan/contracts';
import type { Logger } from '../../../core/logger.js';
import type { WebhookDispatcher } from '../../../core/webhooks/webhook-dispatcher.js';
import type { StoredMonitor } from '../monitors/monitor-store.js';
import { alertBody } from './alert-messages.js';
import type { AlertStore, NewDelivery } from './alert-store.js';

/**
 * Turns a run's results into alerts: a check that fails starts firing and alerts every channel
 * once; later failing runs are de-duplicated; the first passing run (SUCCESS or WARNING) sends a
 * recovery notice. SKIPPED and ERROR leave the state as it was: an empty window proves nothing.
 */
export class AlertNotifier {
  constructor(private readonly deps: { store: AlertStore; dispatcher: WebhookDispatcher; logger: Logger; now(): number }) {}

  /** Never throws: the run is recorded whatever happens to its alerts. */
  async notify(monitor: StoredMonitor, run: MonitorRun): Promise<void> {
    try {
      const rows: NewDelivery[] = [];
      for (const result of run.results) {
        const firing = result.status === 'FAIL' ? true : result.status === 'SUCCESS' || result.status === 'WARNING' ? false : undefined;
        if (firing === undefined) continue;
        if (!(await this.deps.store.transition(monitor.manifest.name, result.check, firing, run.run_id))) continue;
        const event: MonitorAlertEvent = firing ? 'monitor.alert.firing' : 'monitor.alert.resolved';
        this.deps.logger.warn({ monitor: monitor.manifest.name, check: result.check, event, run: run.run_id }, result.message);
        for (const channel of monitor.manifest.alerts ?? []) {
          const deliveryId = randomUUID();
          const payload = alertBody(channel, { deliveryId, event, monitor, run, result, occurredAt: this.deps.now() });
          rows.push({ deliveryId, monitor: monitor.manifest.name, event, check: result.check, runId: run.run_id, channel, payload });
        }
      }
      await this.deps.store.record(rows);
      for (const row of rows) this.deps.dispatcher.schedule(row.deliveryId);
    } catch (err) {
      this.deps.logger.error({ err, monitor: monitor.manifest.name, run: run.run_id }, 'could not record monitor alerts');
    }
  }
}
