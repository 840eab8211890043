/** Webhook tables as Kysely sees them (created by 0008-promotion). Times are epoch milliseconds. */
export interface WebhookTables {
  registry_webhooks: WebhooksTable;
  registry_webhook_deliveries: WebhookDeliveriesTable;
  registry_webhook_attempts: WebhookAttemptsTable;
}

export interface WebhooksTable {
  webhook_id: string;
  /** null for a global webhook. */
  model_id: number | null;
  url: string;
  /** Kept in clear: signing needs it. Never leaves the server after creation. */
  secret: string;
  /** JSON array of event types; empty for every event. */
  events: string;
  created_at: number;
  created_by: string;
}

export interface WebhookDeliveriesTable {
  delivery_id: string;
  webhook_id: string;
  event: string;
  /** The exact body sent (and signed) on every attempt. */
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: number | null;
  locked_until: number | null;
  created_at: number;
  completed_at: number | null;
}

export interface WebhookAttemptsTable {
  delivery_id: string;
  attempt: number;
  started_at: number;
  finished_at: number;
  response_code: number | null;
  error: string | null;
}
