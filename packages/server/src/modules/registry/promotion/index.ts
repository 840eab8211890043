import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from '../../../core/logger.js';
import { tablesOf, type SqlDatabase } from '../../../ports/sql.js';
import type { AccessControl } from '../../security/index.js';
import { promotionSchema } from '../migrations/0008-promotion.js';
import type { ModelStore } from '../model-store.js';
import type { RegistryTables } from '../tables.js';
import type { VersionStore } from '../version-store.js';
import { createWebhooks, type RegistryEventSink } from '../webhooks/index.js';
import { PolicyStore } from './policy-store.js';
import { registerPromotionRoutes } from './promotion-routes.js';
import { PromotionService, type RunLookup } from './promotion-service.js';
import { RequestStore } from './request-store.js';
import type { PromotionTables } from './tables.js';

export type { PromotionTables } from './tables.js';
export type { RunLookup } from './promotion-service.js';
export type { RegistryEvent, RegistryEventSink, WebhookTables } from '../webhooks/index.js';
export { promotionSchema } from '../migrations/0008-promotion.js';

export interface PromotionFeatureOptions {
  database: SqlDatabase<unknown>;
  access: AccessControl;
  models: ModelStore;
  versions: VersionStore;
  /** Runs as MLflow returns them (tracking's `runLookup`), for the gates' metrics. */
  runs: RunLookup;
  logger: Logger;
  now?: () => number;
  /** Waits before webhook retries (default 1 s, 2 s, 4 s, 8 s: five attempts). */
  webhookRetryDelaysMs?: readonly number[];
  webhookTimeoutMs?: number;
}

/** What the MLflow alias and stage handlers call before moving a target. */
export interface PromotionGuard {
  /**
   * Refuses (PERMISSION_DENIED naming the policy) a move to a protected alias or stage without an
   * approved, unapplied promotion request for exactly this version and target. Resolves to a
   * function to call after the move succeeded, which marks that request applied.
   */
  assertMoveAllowed(request: FastifyRequest, move: { name: string | undefined; version: string | undefined; alias?: string | undefined; stage?: string | undefined }): Promise<() => Promise<void>>;
  /** The same check for a move no HTTP request asked for (a canary promoting its alias). */
  permitMove(move: { name: string; version: string; alias: string }): Promise<() => Promise<void>>;
  /** Refuses deleting a protected alias: that would move it to no version without an approval. */
  assertAliasDeletable(name: string | undefined, alias: string | undefined): Promise<void>;
}

/** What registerRegistryRoutes takes to enforce promotion policies and report events. */
export interface RegistryHooks {
  guard: PromotionGuard;
  events: RegistryEventSink;
}

export interface PromotionFeature extends RegistryHooks {
  migrations: readonly [typeof promotionSchema];
  registerRoutes(app: FastifyInstance): void;
  /** Resumes webhook deliveries left pending by a previous process. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves when no webhook delivery is scheduled or in flight (for tests). */
  idle(): Promise<void>;
}

/** Promotion policies with approvals and gates, and signed registry webhooks. */
export function createPromotionFeature(options: PromotionFeatureOptions): PromotionFeature {
  const now = options.now ?? Date.now;
  const db = tablesOf<RegistryTables>(options.database).db;
  const promotionDb = tablesOf<PromotionTables>(options.database).db;
  const policies = new PolicyStore(promotionDb, now);
  const requests = new RequestStore(promotionDb);
  const service = new PromotionService({ db, policies, requests, models: options.models, versions: options.versions, runs: options.runs, now });
  const webhooks = createWebhooks({
    database: options.database,
    access: options.access,
    models: options.models,
    logger: options.logger,
    now,
    ...(options.webhookRetryDelaysMs ? { retryDelaysMs: options.webhookRetryDelaysMs } : {}),
    ...(options.webhookTimeoutMs ? { timeoutMs: options.webhookTimeoutMs } : {}),
  });
  return {
    migrations: [promotionSchema],
    guard: {
      async assertMoveAllowed(request, move) {
        const permit = await service.assertMoveAllowed(move.name, move.version, move);
        // The MLflow route's audit entry then says which approval allowed the move.
        if (permit.requestId) options.access.noteChange(request, { details: { promotion_request: permit.requestId } });
        return permit.applied;
      },
      async permitMove(move) {
        return (await service.assertMoveAllowed(move.name, move.version, move)).applied;
      },
      assertAliasDeletable: (name, alias) => service.assertAliasDeletable(name, alias),
    },
    events: webhooks.events,
    registerRoutes(app) {
      registerPromotionRoutes(app, { access: options.access, models: options.models, policies, requests, service, events: webhooks.events });
      webhooks.registerRoutes(app);
    },
    start: () => webhooks.start(),
    stop: () => webhooks.stop(),
    idle: () => webhooks.idle(),
  };
}
