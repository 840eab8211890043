import { WEBHOOK_HEADERS } from '@capstan/contracts';
import type { Logger } from '../logger.js';
import { signDelivery } from './signing.js';

export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1000, 2000, 4000, 8000];
const DEFAULT_TIMEOUT_MS = 10_000;
/** The lease outlives one attempt, so a slow receiver does not let another replica send the same delivery. */
const LEASE_SLACK_MS = 30_000;

/** A delivery as the dispatcher needs it to send one attempt. */
export interface PendingDelivery {
  deliveryId: string;
  /** Sent as `X-Capstan-Event`. */
  event: string;
  /** The exact body sent (and signed) on every attempt. */
  payload: string;
  attempts: number;
  nextAttemptAt: number;
  url: string;
  /** Signs the body when set; null sends it unsigned (a Slack incoming webhook has no secret). */
  secret: string | null;
}

/** One attempt as recorded. Times are epoch milliseconds. */
export interface DeliveryAttempt {
  attempt: number;
  started_at: number;
  finished_at: number;
  response_code: number | null;
  error: string | null;
}

export type DeliveryState = 'pending' | 'succeeded' | 'failed';

/**
 * Where deliveries are kept: written before anything is sent, leased while an attempt runs (so
 * two replicas resuming the same backlog never both send), and every attempt recorded.
 */
export interface DeliveryQueue {
  pending(): Promise<{ deliveryId: string; nextAttemptAt: number }[]>;
  /** Takes the lease on a pending delivery until `until`; undefined when done, gone or leased elsewhere. */
  claim(deliveryId: string, until: number): Promise<PendingDelivery | undefined>;
  /** Gives a lease back without spending an attempt (the server is stopping). */
  release(deliveryId: string): Promise<void>;
  /** Records one attempt and the delivery's new state; the lease is released. */
  recordAttempt(deliveryId: string, attempt: DeliveryAttempt, next: { status: DeliveryState; nextAttemptAt: number | null }): Promise<void>;
}

export interface DispatcherOptions {
  store: DeliveryQueue;
  /** Sent as User-Agent. */
  userAgent: string;
  logger: Logger;
  now(): number;
  /** Waits before each retry; a delivery gets `length + 1` attempts. Injectable so tests run fast. */
  retryDelaysMs?: readonly number[];
  timeoutMs?: number;
}

/**
 * Sends recorded deliveries in the background, in this process: one attempt now, then retries with
 * exponential backoff. Every attempt is recorded; a delivery left pending by a stop or a crash is
 * picked up again by start().
 */
export class WebhookDispatcher {
  private readonly delays: readonly number[];
  private readonly timeoutMs: number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Replaced by start(), so a stopped dispatcher can be started again. */
  private stopping = new AbortController();

  constructor(private readonly options: DispatcherOptions) {
    this.delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Resumes every pending delivery at its scheduled time. */
  async start(): Promise<void> {
    if (this.stopping.signal.aborted) this.stopping = new AbortController();
    const now = this.options.now();
    for (const pending of await this.options.store.pending()) this.schedule(pending.deliveryId, Math.max(0, pending.nextAttemptAt - now));
  }

  schedule(deliveryId: string, delayMs = 0): void {
    if (this.stopping.signal.aborted) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const work = this.attempt(deliveryId).catch((err: unknown) => this.options.logger.error({ err, deliveryId }, 'webhook delivery failed unexpectedly'));
      this.inFlight.add(work);
      void work.finally(() => this.inFlight.delete(work));
    }, delayMs);
    this.timers.add(timer);
  }

  /** Stops scheduling, aborts attempts in progress (they stay pending, unrecorded) and waits for them. */
  async stop(): Promise<void> {
    this.stopping.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  /** Resolves once nothing is scheduled or running (tests wait on it). */
  async idle(): Promise<void> {
    while (this.timers.size || this.inFlight.size) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  private async attempt(deliveryId: string): Promise<void> {
    const { store, now } = this.options;
    const delivery = await store.claim(deliveryId, now() + this.timeoutMs + LEASE_SLACK_MS);
    if (!delivery) return;
    const number = delivery.attempts + 1;
    const startedAt = now();
    const outcome = await this.send(delivery, startedAt);
    if (this.stopping.signal.aborted && outcome.status === null) {
      // Cut short by shutdown: not the receiver's fault, so no attempt is spent; start() resumes it.
      await store.release(deliveryId);
      return;
    }
    const finishedAt = now();
    const succeeded = outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
    const delay = this.delays[number - 1];
    const next = succeeded ? { status: 'succeeded' as const, nextAttemptAt: null } : delay === undefined ? { status: 'failed' as const, nextAttemptAt: null } : { status: 'pending' as const, nextAttemptAt: finishedAt + delay };
    await store.recordAttempt(deliveryId, { attempt: number, started_at: startedAt, finished_at: finishedAt, response_code: outcome.status, error: outcome.error }, next);
    if (next.status === 'pending') this.schedule(deliveryId, delay);
    else if (next.status === 'failed') this.options.logger.warn({ deliveryId, event: delivery.event, attempts: number }, 'webhook delivery gave up');
  }

  private async send(delivery: PendingDelivery, startedAt: number): Promise<{ status: number | null; error: string | null }> {
    const timestamp = Math.floor(startedAt / 1000);
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': this.options.userAgent,
          [WEBHOOK_HEADERS.event]: delivery.event,
          [WEBHOOK_HEADERS.delivery]: delivery.deliveryId,
          [WEBHOOK_HEADERS.timestamp]: String(timestamp),
          ...(delivery.secret === null ? {} : { [WEBHOOK_HEADERS.signature]: signDelivery(delivery.secret, timestamp, delivery.payload) }),
        },
        body: delivery.payload,
        // A redirect could point the signed body somewhere the webhook's owner never named.
        redirect: 'manual',
        signal: AbortSignal.any([this.stopping.signal, AbortSignal.timeout(this.timeoutMs)]),
      });
      await response.body?.cancel();
      return { status: response.status, error: response.status >= 200 && response.status < 300 ? null : `HTTP ${response.status}` };
    } catch (err) {
      const cause = (err as Error & { cause?: { code?: string } }).cause?.code;
      return { status: null, error: `${(err as Error).name}: ${(err as Error).message}${cause ? ` (${cause})` : ''}` };
    }
  }
}
