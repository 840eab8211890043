import type { FastifyInstance } from 'fastify';
import type { Logger } from '../../../core/logger.js';
import { tablesOf, type SqlDatabase } from '../../../ports/sql.js';
import type { AccessControl } from '../../security/index.js';
import type { ModelStore } from '../model-store.js';
import type { RegistryTables } from '../tables.js';
import { WebhookDispatcher } from '../../../core/webhooks/webhook-dispatcher.js';
import { RegistryEvents, type RegistryEventSink } from './events.js';
import type { WebhookTables } from './tables.js';
import { registerWebhookRoutes } from './webhook-routes.js';
import { WebhookStore } from './webhook-store.js';

export type { RegistryEvent, RegistryEventSink } from './events.js';
export type { WebhookTables } from './tables.js';

export interface WebhookOptions {
  database: SqlDatabase<unknown>;
  access: AccessControl;
  models: ModelStore;
  logger: Logger;
  now(): number;
  retryDelaysMs?: readonly number[];
  timeoutMs?: number;
}

export interface Webhooks {
  events: RegistryEventSink;
  registerRoutes(app: FastifyInstance): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves when no delivery is scheduled or in flight. */
  idle(): Promise<void>;
}

/** Signed registry webhooks: definitions, durable deliveries, background sending with retries. */
export function createWebhooks(options: WebhookOptions): Webhooks {
  const registry = tablesOf<RegistryTables>(options.database).db;
  const store = new WebhookStore(tablesOf<WebhookTables>(options.database).db, options.now);
  const dispatcher = new WebhookDispatcher({
    store,
    userAgent: 'Capstan-Webhooks',
    logger: options.logger,
    now: options.now,
    ...(options.retryDelaysMs ? { retryDelaysMs: options.retryDelaysMs } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  return {
    events: new RegistryEvents({ db: registry, store, dispatcher, logger: options.logger, now: options.now }),
    registerRoutes: (app) => registerWebhookRoutes(app, { access: options.access, models: options.models, store }),
    start: () => dispatcher.start(),
    stop: () => dispatcher.stop(),
    idle: () => dispatcher.idle(),
  };
}
