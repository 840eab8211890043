import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { DeliveryStatus, RegistryEventType, WebhookAttempt, WebhookDelivery } from '@capstan/contracts';
import { notFound } from '../../../core/errors.js';
import type { DeliveryQueue, PendingDelivery } from '../../../core/webhooks/webhook-dispatcher.js';
import type { WebhookTables, WebhooksTable } from './tables.js';

export interface StoredWebhook {
  webhookId: string;
  modelId: number | null;
  url: string;
  events: RegistryEventType[];
  createdAt: number;
  createdBy: string;
}


const MAX_LISTED_DELIVERIES = 200;

const toWebhook = (row: Omit<Selectable<WebhooksTable>, 'secret'>): StoredWebhook => ({
  webhookId: row.webhook_id,
  modelId: row.model_id === null ? null : Number(row.model_id),
  url: row.url,
  events: JSON.parse(row.events) as RegistryEventType[],
  createdAt: Number(row.created_at),
  createdBy: row.created_by,
});

const PUBLIC_COLUMNS = ['webhook_id', 'model_id', 'url', 'events', 'created_at', 'created_by'] as const;

/** Webhooks, their deliveries and every attempt. Listing never selects the secret column; only claim reads it, to sign. */
export class WebhookStore implements DeliveryQueue {
  constructor(
    private readonly db: Kysely<WebhookTables>,
    private readonly now: () => number,
  ) {}

  async create(input: { modelId: number | null; url: string; secret: string; events: RegistryEventType[]; createdBy: string }): Promise<StoredWebhook> {
    const webhookId = `wh_${randomBytes(12).toString('hex')}`;
    await this.db
      .insertInto('registry_webhooks')
      .values({ webhook_id: webhookId, model_id: input.modelId, url: input.url, secret: input.secret, events: JSON.stringify(input.events), created_at: this.now(), created_by: input.createdBy })
      .execute();
    return this.require(webhookId);
  }

  async find(webhookId: string): Promise<StoredWebhook | undefined> {
    const row = await this.db.selectFrom('registry_webhooks').select(PUBLIC_COLUMNS).where('webhook_id', '=', webhookId).executeTakeFirst();
    return row && toWebhook(row);
  }

  async require(webhookId: string): Promise<StoredWebhook> {
    const found = await this.find(webhookId);
    if (!found) throw notFound(`Webhook ${webhookId} not found`);
    return found;
  }

  /** A model's own webhooks, or the global ones for null. */
  async list(modelId: number | null): Promise<StoredWebhook[]> {
    const query = this.db.selectFrom('registry_webhooks').select(PUBLIC_COLUMNS);
    const rows = await (modelId === null ? query.where('model_id', 'is', null) : query.where('model_id', '=', modelId)).orderBy('created_at').orderBy('webhook_id').execute();
    return rows.map(toWebhook);
  }

  async delete(webhookId: string): Promise<void> {
    await this.db.deleteFrom('registry_webhooks').where('webhook_id', '=', webhookId).execute();
  }

  /** Webhooks that want an event about a model: its own and the global ones. */
  async subscribers(modelId: number | null, event: RegistryEventType): Promise<StoredWebhook[]> {
    const rows = await this.db
      .selectFrom('registry_webhooks')
      .select(PUBLIC_COLUMNS)
      .where((eb) => (modelId === null ? eb('model_id', 'is', null) : eb.or([eb('model_id', 'is', null), eb('model_id', '=', modelId)])))
      .execute();
    return rows.map(toWebhook).filter((w) => w.events.length === 0 || w.events.includes(event));
  }

  async recordDeliveries(rows: { deliveryId: string; webhookId: string; event: RegistryEventType; payload: string }[]): Promise<void> {
    if (!rows.length) return;
    const now = this.now();
    await this.db
      .insertInto('registry_webhook_deliveries')
      .values(rows.map((r) => ({ delivery_id: r.deliveryId, webhook_id: r.webhookId, event: r.event, payload: r.payload, status: 'pending', attempts: 0, next_attempt_at: now, locked_until: null, created_at: now, completed_at: null })))
      .execute();
  }

  async pending(): Promise<{ deliveryId: string; nextAttemptAt: number }[]> {
    const rows = await this.db.selectFrom('registry_webhook_deliveries').select(['delivery_id', 'next_attempt_at']).where('status', '=', 'pending').orderBy('created_at').execute();
    return rows.map((r) => ({ deliveryId: r.delivery_id, nextAttemptAt: Number(r.next_attempt_at ?? 0) }));
  }

  /** Gives a lease back without spending an attempt (the server is stopping). */
  async release(deliveryId: string): Promise<void> {
    await this.db.updateTable('registry_webhook_deliveries').set({ locked_until: null }).where('delivery_id', '=', deliveryId).execute();
  }

  /**
   * Takes the lease on a pending delivery until `until`; undefined when it is done, gone, or leased
   * by another worker (another replica resuming the same backlog).
   */
  async claim(deliveryId: string, until: number): Promise<PendingDelivery | undefined> {
    const now = this.now();
    const result = await this.db
      .updateTable('registry_webhook_deliveries')
      .set({ locked_until: until })
      .where('delivery_id', '=', deliveryId)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return undefined;
    const row = await this.db
      .selectFrom('registry_webhook_deliveries as d')
      .innerJoin('registry_webhooks as w', 'w.webhook_id', 'd.webhook_id')
      .select(['d.delivery_id', 'd.event', 'd.payload', 'd.attempts', 'd.next_attempt_at', 'w.url', 'w.secret'])
      .where('d.delivery_id', '=', deliveryId)
      .executeTakeFirst();
    return (
      row && { deliveryId: row.delivery_id, event: row.event, payload: row.payload, attempts: Number(row.attempts), nextAttemptAt: Number(row.next_attempt_at ?? now), url: row.url, secret: row.secret }
    );
  }

  /** Records one attempt and the delivery's new state; the lease is released. */
  async recordAttempt(deliveryId: string, attempt: WebhookAttempt, next: { status: DeliveryStatus; nextAttemptAt: number | null }): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('registry_webhook_attempts')
        .values({ delivery_id: deliveryId, attempt: attempt.attempt, started_at: attempt.started_at, finished_at: attempt.finished_at, response_code: attempt.response_code, error: attempt.error })
        .execute();
      await trx
        .updateTable('registry_webhook_deliveries')
        .set({ status: next.status, attempts: attempt.attempt, next_attempt_at: next.nextAttemptAt, locked_until: null, completed_at: next.status === 'pending' ? null : attempt.finished_at })
        .where('delivery_id', '=', deliveryId)
        .execute();
    });
  }

  async deliveries(webhookId: string): Promise<WebhookDelivery[]> {
    const rows = await this.db.selectFrom('registry_webhook_deliveries').selectAll().where('webhook_id', '=', webhookId).orderBy('created_at', 'desc').orderBy('delivery_id').limit(MAX_LISTED_DELIVERIES).execute();
    const ids = rows.map((r) => r.delivery_id);
    const attempts = ids.length ? await this.db.selectFrom('registry_webhook_attempts').selectAll().where('delivery_id', 'in', ids).orderBy('attempt').execute() : [];
    return rows.map((r) => ({
      delivery_id: r.delivery_id,
      webhook_id: r.webhook_id,
      event: r.event as RegistryEventType,
      status: r.status as DeliveryStatus,
      attempts: attempts
        .filter((a) => a.delivery_id === r.delivery_id)
        .map((a) => ({ attempt: Number(a.attempt), started_at: Number(a.started_at), finished_at: Number(a.finished_at), response_code: a.response_code === null ? null : Number(a.response_code), error: a.error })),
      created_at: Number(r.created_at),
      next_attempt_at: r.next_attempt_at === null ? null : Number(r.next_attempt_at),
      completed_at: r.completed_at === null ? null : Number(r.completed_at),
    }));
  }
}
