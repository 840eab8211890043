import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { RegistryEventPayload, RegistryEventType } from '@capstan/contracts';
import type { Logger } from '../../../core/logger.js';
import type { RegistryTables } from '../tables.js';
import type { WebhookDispatcher } from '../../../core/webhooks/webhook-dispatcher.js';
import type { WebhookStore } from './webhook-store.js';

/** Something that happened in the registry, as a handler reports it. */
export interface RegistryEvent {
  type: RegistryEventType;
  /** The registered model's name. */
  name: string;
  /** Who did it (the principal's username). */
  actor: string;
  data: Record<string, unknown>;
}

export interface RegistryEventSink {
  /** Records a delivery per subscribed webhook, then sends them in the background. Never throws: the change it reports has happened. */
  emit(event: RegistryEvent): Promise<void>;
}

/**
 * Fans registry events out to webhooks. Deliveries are written to the database before anything is
 * sent, so a restart resumes them; the handler that emits has already committed its change.
 */
export class RegistryEvents implements RegistryEventSink {
  constructor(
    private readonly deps: { db: Kysely<RegistryTables>; store: WebhookStore; dispatcher: WebhookDispatcher; logger: Logger; now(): number },
  ) {}

  async emit(event: RegistryEvent): Promise<void> {
    try {
      const model = await this.deps.db.selectFrom('registered_models').select('model_id').where('name', '=', event.name).executeTakeFirst();
      const subscribers = await this.deps.store.subscribers(model ? Number(model.model_id) : null, event.type);
      const occurredAt = this.deps.now();
      const rows = subscribers.map((w) => {
        const deliveryId = randomUUID();
        const payload: RegistryEventPayload = { delivery_id: deliveryId, event: event.type, occurred_at: occurredAt, name: event.name, actor: event.actor, data: event.data };
        return { deliveryId, webhookId: w.webhookId, event: event.type, payload: JSON.stringify(payload) };
      });
      await this.deps.store.recordDeliveries(rows);
      for (const row of rows) this.deps.dispatcher.schedule(row.deliveryId);
    } catch (err) {
      this.deps.logger.error({ err, event: event.type, model: event.name }, 'could not record webhook deliveries');
    }
  }
}
