/**
 * Promotion policies, promotion requests and registry webhooks (Capstan API, not MLflow's). Every
 * route is relative to CAPSTAN_API_PREFIX; `{name}` segments are path parameters. A registered model
 * is named by the `name` field (query string for GET/DELETE, JSON body otherwise), as MLflow's
 * registry RPCs name it.
 */
import type { ModelVersionStage } from '../mlflow/registry.js';

/** What a promotion moves: an alias (`champion`) or a stage (`Production`). Exactly one is set. */
export type PromotionTarget = { alias: string; stage?: never } | { stage: ModelVersionStage; alias?: never };

/**
 * Non-inferiority: the candidate's metric, measured on the same evaluation dataset digest as the
 * current holder's, may be worse than the holder's by at most `margin`.
 */
export interface NonInferiorityGate {
  metric: string;
  margin: number;
  /** `higher` (default) when larger is better (auc), `lower` when smaller is (rmse). */
  direction?: 'higher' | 'lower';
}

export interface PromotionGates {
  /** Metric keys the candidate's run must have logged. */
  required_metrics?: string[];
  /** Rules such as `metrics.auc >= 0.90`: `metrics.<key> (>=|>|<=|<|=) <number>`. */
  thresholds?: string[];
  non_inferiority?: NonInferiorityGate[];
}

export interface PromotionPolicy {
  name: string;
  protected_aliases: string[];
  protected_stages: ModelVersionStage[];
  gates: PromotionGates;
  updated_at: number;
  updated_by: string;
}

/** PUT /registry/policies */
export interface SetPromotionPolicyRequest {
  name: string;
  protected_aliases?: string[];
  protected_stages?: string[];
  gates?: PromotionGates;
}

/** One gate's verdict, with what it compared, kept with the request as evidence. */
export interface GateResult {
  /** The rule as a person reads it, e.g. `metrics.auc >= 0.9` or `non-inferiority auc >= champion - 0.005`. */
  rule: string;
  passed: boolean;
  /** What was compared and why it passed or failed. */
  detail: string;
  candidate_value?: number | null;
  holder_value?: number | null;
  dataset_digest?: string;
}

export interface PromotionEvidence {
  gates: GateResult[];
  /** The version holding the target when the gates were evaluated; null when nobody held it. */
  holder_version: string | null;
  /** When the gates were evaluated, epoch milliseconds. */
  evaluated_at: number;
}

/**
 * `pending`: gates passed, waiting for a decision. `gates_failed`: a gate failed; cannot be
 * approved. `approved`: approved but the move has not happened yet (it failed, or is in progress);
 * a direct move of exactly this version to this target is then allowed once. `applied`: moved.
 */
export type PromotionStatus = 'pending' | 'gates_failed' | 'approved' | 'applied' | 'rejected';

export interface PromotionRequest {
  request_id: string;
  name: string;
  version: string;
  target: PromotionTarget;
  justification: string;
  archive_existing_versions: boolean;
  status: PromotionStatus;
  evidence: PromotionEvidence;
  requested_by: string;
  requested_at: number;
  decided_by: string | null;
  decided_at: number | null;
  decision_comment: string | null;
  applied_at: number | null;
}

/** POST /registry/promotion-requests */
export interface CreatePromotionRequest {
  name: string;
  version: string;
  alias?: string;
  stage?: string;
  justification: string;
  /** For stage targets: move the stage's other versions to Archived when applied. */
  archive_existing_versions?: boolean;
}

/** POST /registry/promotion-requests/{request_id}/approve and .../reject */
export interface DecidePromotionRequest {
  comment?: string;
}

export const REGISTRY_EVENT_TYPES = [
  'model_version.created',
  'alias.moved',
  'stage.changed',
  'promotion.requested',
  'promotion.approved',
  'promotion.rejected',
] as const;
export type RegistryEventType = (typeof REGISTRY_EVENT_TYPES)[number];

/** The JSON body a webhook receives. */
export interface RegistryEventPayload {
  /** The delivery id, also in `X-Capstan-Delivery`; the same on every retry, so receivers can deduplicate. */
  delivery_id: string;
  event: RegistryEventType;
  /** When the event happened, epoch milliseconds. */
  occurred_at: number;
  name: string;
  actor: string;
  data: Record<string, unknown>;
}

/**
 * Headers of a delivery. The signature is `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`,
 * so a captured delivery cannot be replayed with a fresh timestamp; receivers should refuse
 * timestamps (epoch seconds) more than a few minutes old.
 */
export const WEBHOOK_HEADERS = {
  signature: 'x-capstan-signature',
  event: 'x-capstan-event',
  delivery: 'x-capstan-delivery',
  timestamp: 'x-capstan-timestamp',
} as const;

/** A webhook as the API shows it: never with its secret. */
export interface Webhook {
  webhook_id: string;
  /** The model it watches; null for a global webhook (every model). */
  name: string | null;
  url: string;
  /** Events it receives; every event when empty. */
  events: RegistryEventType[];
  created_at: number;
  created_by: string;
}

/** POST /registry/webhooks (per model, `name` required) and POST /registry/global-webhooks. */
export interface CreateWebhookRequest {
  name?: string;
  url: string;
  events?: RegistryEventType[];
  /** At least 16 characters; the server generates one when omitted. */
  secret?: string;
}

export interface CreateWebhookResponse {
  webhook: Webhook;
  /** Shown only in this response; later responses never include it. */
  secret: string;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface WebhookAttempt {
  attempt: number;
  started_at: number;
  finished_at: number;
  response_code: number | null;
  error: string | null;
}

export interface WebhookDelivery {
  delivery_id: string;
  webhook_id: string;
  event: RegistryEventType;
  status: DeliveryStatus;
  attempts: WebhookAttempt[];
  created_at: number;
  next_attempt_at: number | null;
  completed_at: number | null;
}

export interface RegistryPromotionRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
}

export const REGISTRY_PROMOTION_ROUTES = {
  setPromotionPolicy: { method: 'PUT', path: '/registry/policies' },
  getPromotionPolicy: { method: 'GET', path: '/registry/policies' },
  deletePromotionPolicy: { method: 'DELETE', path: '/registry/policies' },
  createPromotionRequest: { method: 'POST', path: '/registry/promotion-requests' },
  listPromotionRequests: { method: 'GET', path: '/registry/promotion-requests' },
  getPromotionRequest: { method: 'GET', path: '/registry/promotion-requests/{request_id}' },
  approvePromotionRequest: { method: 'POST', path: '/registry/promotion-requests/{request_id}/approve' },
  rejectPromotionRequest: { method: 'POST', path: '/registry/promotion-requests/{request_id}/reject' },
  createWebhook: { method: 'POST', path: '/registry/webhooks' },
  listWebhooks: { method: 'GET', path: '/registry/webhooks' },
  deleteWebhook: { method: 'DELETE', path: '/registry/webhooks/{webhook_id}' },
  listWebhookDeliveries: { method: 'GET', path: '/registry/webhooks/{webhook_id}/deliveries' },
  createGlobalWebhook: { method: 'POST', path: '/registry/global-webhooks' },
  listGlobalWebhooks: { method: 'GET', path: '/registry/global-webhooks' },
  deleteGlobalWebhook: { method: 'DELETE', path: '/registry/global-webhooks/{webhook_id}' },
  listGlobalWebhookDeliveries: { method: 'GET', path: '/registry/global-webhooks/{webhook_id}/deliveries' },
} as const satisfies Record<string, RegistryPromotionRoute>;

export type RegistryPromotionRouteName = keyof typeof REGISTRY_PROMOTION_ROUTES;

/** Request shapes, response shapes. */
export interface RegistryPromotionApi {
  setPromotionPolicy: [SetPromotionPolicyRequest, { policy: PromotionPolicy }];
  getPromotionPolicy: [{ name: string }, { policy: PromotionPolicy | null }];
  deletePromotionPolicy: [{ name: string }, Record<string, never>];
  createPromotionRequest: [CreatePromotionRequest, { request: PromotionRequest }];
  listPromotionRequests: [{ name: string; status?: PromotionStatus }, { requests: PromotionRequest[] }];
  getPromotionRequest: [{ request_id: string }, { request: PromotionRequest }];
  approvePromotionRequest: [DecidePromotionRequest & { request_id: string }, { request: PromotionRequest }];
  rejectPromotionRequest: [DecidePromotionRequest & { request_id: string }, { request: PromotionRequest }];
  createWebhook: [CreateWebhookRequest & { name: string }, CreateWebhookResponse];
  listWebhooks: [{ name: string }, { webhooks: Webhook[] }];
  deleteWebhook: [{ webhook_id: string }, Record<string, never>];
  listWebhookDeliveries: [{ webhook_id: string }, { deliveries: WebhookDelivery[] }];
  createGlobalWebhook: [CreateWebhookRequest, CreateWebhookResponse];
  listGlobalWebhooks: [Record<string, never>, { webhooks: Webhook[] }];
  deleteGlobalWebhook: [{ webhook_id: string }, Record<string, never>];
  listGlobalWebhookDeliveries: [{ webhook_id: string }, { deliveries: WebhookDelivery[] }];
}
