import { CapstanError } from '../../../core/errors.js';
import type { WindowCounterStore } from '../../../ports/window-counter.js';

export interface ThrottleSettings {
  maxFailuresPerUser: number;
  maxFailuresPerAddress: number;
  windowSeconds: number;
}

/**
 * Slows password and token guessing: after too many failures in a window, an account or a source
 * address is refused (429) until the window ends, even with correct credentials. Counters live in
 * Redis when configured, so every replica sees the same count.
 */
export class LoginThrottle {
  constructor(
    private readonly counters: WindowCounterStore,
    private readonly settings: ThrottleSettings,
  ) {}

  /** Throws REQUEST_LIMIT_EXCEEDED (with the seconds to wait) when the account or address is locked out. */
  async check(address: string, username?: string): Promise<void> {
    const checks = [this.counters.peek(this.addressKey(address)).then((c) => ({ c, max: this.settings.maxFailuresPerAddress }))];
    if (username !== undefined) checks.push(this.counters.peek(this.userKey(username)).then((c) => ({ c, max: this.settings.maxFailuresPerUser })));
    for (const { c, max } of await Promise.all(checks)) {
      if (c.count >= max) throw new LockedOut(Math.max(1, Math.ceil(c.resetInMs / 1000)));
    }
  }

  /** Counts a failure; returns true when this failure is the one that locks the account or address. */
  async recordFailure(address: string, username?: string): Promise<boolean> {
    const windowMs = this.settings.windowSeconds * 1000;
    const byAddress = await this.counters.increment(this.addressKey(address), windowMs);
    const byUser = username === undefined ? undefined : await this.counters.increment(this.userKey(username), windowMs);
    return byAddress.count === this.settings.maxFailuresPerAddress || byUser?.count === this.settings.maxFailuresPerUser;
  }

  async recordSuccess(username: string): Promise<void> {
    await this.counters.reset(this.userKey(username));
  }

  private userKey(username: string): string {
    return `login:user:${username.toLowerCase()}`;
  }

  private addressKey(address: string): string {
    return `login:addr:${address}`;
  }
}

export class LockedOut extends CapstanError {
  constructor(readonly retryAfterSeconds: number) {
    super('REQUEST_LIMIT_EXCEEDED', `Too many failed sign-in attempts; try again in ${retryAfterSeconds} s`);
  }
}
