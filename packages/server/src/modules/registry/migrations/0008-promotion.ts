import type { Kysely } from 'kysely';
import type { SchemaMigration, SqlDialect } from '../../../ports/sql.js';

/**
 * Promotion policies and requests, registry webhooks and their deliveries. Rows hang off the
 * registered model's surrogate id (so a rename keeps them) and go with it when it is deleted.
 * JSON lists live in text columns: they are read whole, never queried into.
 */
export const promotionSchema: SchemaMigration = {
  name: '0008-promotion',
  async up(db: Kysely<unknown>, dialect: SqlDialect) {
    const bigint = dialect === 'sqlite' ? 'integer' : 'bigint';
    await db.schema
      .createTable('registry_promotion_policies')
      .addColumn('model_id', bigint, (c) => c.primaryKey().references('registered_models.model_id').onDelete('cascade'))
      .addColumn('protected_aliases', 'text', (c) => c.notNull())
      .addColumn('protected_stages', 'text', (c) => c.notNull())
      .addColumn('gates', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('registry_promotion_requests')
      .addColumn('request_id', 'text', (c) => c.primaryKey())
      .addColumn('model_id', bigint, (c) => c.notNull().references('registered_models.model_id').onDelete('cascade'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('target_kind', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('justification', 'text', (c) => c.notNull())
      .addColumn('archive_existing', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('evidence', 'text', (c) => c.notNull())
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .addColumn('requested_at', 'bigint', (c) => c.notNull())
      .addColumn('decided_by', 'text')
      .addColumn('decided_at', 'bigint')
      .addColumn('decision_comment', 'text')
      .addColumn('applied_at', 'bigint')
      .execute();
    await db.schema.createIndex('registry_promotion_requests_model').on('registry_promotion_requests').columns(['model_id', 'status']).execute();

    await db.schema
      .createTable('registry_webhooks')
      .addColumn('webhook_id', 'text', (c) => c.primaryKey())
      // null: a global webhook, for every model.
      .addColumn('model_id', bigint, (c) => c.references('registered_models.model_id').onDelete('cascade'))
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('events', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('registry_webhooks_model').on('registry_webhooks').column('model_id').execute();

    await db.schema
      .createTable('registry_webhook_deliveries')
      .addColumn('delivery_id', 'text', (c) => c.primaryKey())
      .addColumn('webhook_id', 'text', (c) => c.notNull().references('registry_webhooks.webhook_id').onDelete('cascade'))
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'bigint')
      // A lease, so two replicas resuming pending deliveries do not both send one.
      .addColumn('locked_until', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('completed_at', 'bigint')
      .execute();
    await db.schema.createIndex('registry_webhook_deliveries_status').on('registry_webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
    await db.schema.createIndex('registry_webhook_deliveries_webhook').on('registry_webhook_deliveries').columns(['webhook_id', 'created_at']).execute();

    await db.schema
      .createTable('registry_webhook_attempts')
      .addColumn('delivery_id', 'text', (c) => c.notNull().references('registry_webhook_deliveries.delivery_id').onDelete('cascade'))
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('finished_at', 'bigint', (c) => c.notNull())
      .addColumn('response_code', 'integer')
      .addColumn('error', 'text')
      .addPrimaryKeyConstraint('registry_webhook_attempts_pk', ['delivery_id', 'attempt'])
      .execute();
  },
};
