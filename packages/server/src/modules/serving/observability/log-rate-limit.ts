/**
 * A per-deployment token bucket for the inference log: at most `perSecond` records a second
 * (bursts up to one second's worth). Under heavy traffic the sample thins out instead of the log
 * costing a share of every request: at 10,000 requests/s, building and writing every record
 * would take a quarter of the server's time, while monitoring needs a steady sample, not all of it.
 */
export class LogRateLimit {
  readonly #perSecond: number;
  readonly #now: () => number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  /** `now` in milliseconds. */
  constructor(perSecond: number, now: () => number = performance.now.bind(performance)) {
    if (!(perSecond > 0)) throw new RangeError(`the inference log rate limit must be positive, got ${perSecond}`);
    this.#perSecond = perSecond;
    this.#now = now;
  }

  /** Spends one record of the deployment's budget; false when none is left this second. */
  take(deployment: string): boolean {
    const now = this.#now();
    let bucket = this.#buckets.get(deployment);
    if (bucket === undefined) {
      bucket = { tokens: this.#perSecond, at: now };
      this.#buckets.set(deployment, bucket);
    }
    bucket.tokens = Math.min(this.#perSecond, bucket.tokens + ((now - bucket.at) / 1000) * this.#perSecond);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
