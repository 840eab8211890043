import type { Kysely } from 'kysely';
import type { AlertChannel, MonitorAlertDelivery, MonitorAlertEvent, MonitorCheckName } from '@capstan/contracts';
import type { DeliveryAttempt, DeliveryQueue, DeliveryState, PendingDelivery } from '../../../core/webhooks/webhook-dispatcher.js';
import type { MonitoringTables } from '../monitors/tables.js';

export interface NewDelivery {
  deliveryId: string;
  monitor: string;
  event: MonitorAlertEvent;
  check: MonitorCheckName;
  runId: string;
  channel: AlertChannel;
  payload: string;
}

const MAX_LISTED = 200;

/**
 * Which checks are firing, and the alert deliveries with their outcome. Implements the webhook
 * dispatcher's queue, so alerts get the same leases, retries and restart recovery as registry
 * webhooks. The channel (with its secret) is read only by claim, to sign.
 */
export class AlertStore implements DeliveryQueue {
  constructor(
    private readonly db: Kysely<MonitoringTables>,
    private readonly now: () => number,
  ) {}

  /**
   * Moves a check to firing or not; true only for the caller that made the change, so a failure
   * alerts once however many runs keep failing, and a recovery once.
   */
  async transition(monitor: string, check: MonitorCheckName, firing: boolean, runId: string): Promise<boolean> {
    const at = this.now();
    return this.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('monitor_alert_states')
        .values({ monitor, check_name: check, firing: firing ? 1 : 0, since: at, run_id: runId })
        .onConflict((oc) => oc.columns(['monitor', 'check_name']).doNothing())
        .executeTakeFirst();
      // A first-ever state is a change only when it fires: a healthy check has nothing to recover from.
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return firing;
      const updated = await trx
        .updateTable('monitor_alert_states')
        .set({ firing: firing ? 1 : 0, since: at, run_id: runId })
        .where('monitor', '=', monitor)
        .where('check_name', '=', check)
        .where('firing', '=', firing ? 0 : 1)
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) === 1;
    });
  }

  async record(rows: NewDelivery[]): Promise<void> {
    if (!rows.length) return;
    const now = this.now();
    await this.db
      .insertInto('monitor_alert_deliveries')
      .values(
        rows.map((r) => ({
          delivery_id: r.deliveryId,
          monitor: r.monitor,
          event: r.event,
          check_name: r.check,
          run_id: r.runId,
          channel: JSON.stringify(r.channel),
          payload: r.payload,
          status: 'pending',
          attempts: 0,
          last_error: null,
          next_attempt_at: now,
          locked_until: null,
          created_at: now,
          completed_at: null,
        })),
      )
      .execute();
  }

  async list(monitor: string): Promise<MonitorAlertDelivery[]> {
    const rows = await this.db.selectFrom('monitor_alert_deliveries').selectAll().where('monitor', '=', monitor).orderBy('created_at', 'desc').orderBy('delivery_id').limit(MAX_LISTED).execute();
    return rows.map((r) => {
      const channel = JSON.parse(r.channel) as AlertChannel;
      return {
        delivery_id: r.delivery_id,
        monitor: r.monitor,
        event: r.event as MonitorAlertEvent,
        check: r.check_name as MonitorCheckName,
        channel: { type: channel.type, url: channel.url },
        run_id: r.run_id,
        status: r.status as DeliveryState,
        attempts: Number(r.attempts),
        last_error: r.last_error,
        created_at: Number(r.created_at),
        completed_at: r.completed_at === null ? null : Number(r.completed_at),
      };
    });
  }

  async pending(): Promise<{ deliveryId: string; nextAttemptAt: number }[]> {
    const rows = await this.db.selectFrom('monitor_alert_deliveries').select(['delivery_id', 'next_attempt_at']).where('status', '=', 'pending').orderBy('created_at').execute();
    return rows.map((r) => ({ deliveryId: r.delivery_id, nextAttemptAt: Number(r.next_attempt_at ?? 0) }));
  }

  async claim(deliveryId: string, until: number): Promise<PendingDelivery | undefined> {
    const now = this.now();
    const result = await this.db
      .updateTable('monitor_alert_deliveries')
      .set({ locked_until: until })
      .where('delivery_id', '=', deliveryId)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return undefined;
    const row = await this.db.selectFrom('monitor_alert_deliveries').selectAll().where('delivery_id', '=', deliveryId).executeTakeFirst();
    if (!row) return undefined;
    const channel = JSON.parse(row.channel) as AlertChannel;
    return {
      deliveryId,
      event: row.event,
      payload: row.payload,
      attempts: Number(row.attempts),
      nextAttemptAt: Number(row.next_attempt_at ?? now),
      url: channel.url,
      secret: channel.type === 'webhook' ? channel.secret : null,
    };
  }

  async release(deliveryId: string): Promise<void> {
    await this.db.updateTable('monitor_alert_deliveries').set({ locked_until: null }).where('delivery_id', '=', deliveryId).execute();
  }

  async recordAttempt(deliveryId: string, attempt: DeliveryAttempt, next: { status: DeliveryState; nextAttemptAt: number | null }): Promise<void> {
    await this.db
      .updateTable('monitor_alert_deliveries')
      .set({
        status: next.status,
        attempts: attempt.attempt,
        last_error: attempt.error,
        next_attempt_at: next.nextAttemptAt,
        locked_until: null,
        completed_at: next.status === 'pending' ? null : attempt.finished_at,
      })
      .where('delivery_id', '=', deliveryId)
      .execute();
  }
}
