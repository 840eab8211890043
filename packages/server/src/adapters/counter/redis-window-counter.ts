import { Redis } from 'ioredis';
import type { WindowCount, WindowCounterStore } from '../../ports/window-counter.js';
import { checkWindow } from './memory-window-counter.js';
import { closeRedis, redisAttempt } from '../redis/redis-calls.js';

export interface RedisWindowCounterOptions {
  /** `redis://` or `rediss://` URL. */
  url: string;
  /** Put before every key so several deployments can share one Redis. */
  prefix?: string;
}

export const DEFAULT_WINDOW_COUNTER_PREFIX = 'capstan:wc:';

/**
 * One script so that INCR and the expiry are a single atomic step: replicas counting the same key
 * at once each see a distinct count, and no crash between two commands can leave a key that never
 * expires. The TTL is set only when the window opens (count 1), so later increments do not extend
 * it; a key found without one (written by hand, or by an older version) gets one rather than
 * counting forever.
 */
const INCREMENT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if count == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;

/** Counters in Redis, shared by every replica pointing at the same server. */
export class RedisWindowCounterStore implements WindowCounterStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(options: RedisWindowCounterOptions) {
    this.prefix = options.prefix ?? DEFAULT_WINDOW_COUNTER_PREFIX;
    this.redis = new Redis(options.url, {
      lazyConnect: false,
      // Fail a login attempt quickly with 503 rather than hold it while Redis is away; the client
      // keeps reconnecting in the background, so the next request succeeds once it is back.
      maxRetriesPerRequest: 2,
      enableOfflineQueue: true,
      connectTimeout: 5_000,
      commandTimeout: 2_000,
    });
    // Without a listener ioredis prints every failed reconnect; the failure reaches callers as a
    // rejected command instead.
    this.redis.on('error', () => undefined);
  }

  async increment(key: string, windowMs: number): Promise<WindowCount> {
    checkWindow(windowMs);
    const reply = await this.attempt(() => this.redis.eval(INCREMENT_SCRIPT, 1, this.prefix + key, windowMs));
    if (!Array.isArray(reply) || typeof reply[0] !== 'number' || typeof reply[1] !== 'number') {
      throw new Error(`Unexpected reply from the window counter script: ${JSON.stringify(reply)}`);
    }
    return { count: reply[0], resetInMs: Math.max(1, reply[1]) };
  }

  async peek(key: string): Promise<WindowCount> {
    // MULTI so the count and the TTL describe the same window.
    const replies = await this.attempt(() => this.redis.multi().get(this.prefix + key).pttl(this.prefix + key).exec());
    const [value, ttl] = (replies ?? []).map(([error, result]) => {
      if (error !== null) throw error;
      return result;
    });
    const count = typeof value === 'string' ? Number.parseInt(value, 10) : 0;
    if (!(count > 0)) return { count: 0, resetInMs: 0 };
    // A key without a TTL (-1) is repaired by the next increment; until then it has no known end.
    return { count, resetInMs: typeof ttl === 'number' && ttl > 0 ? ttl : 0 };
  }

  async reset(key: string): Promise<void> {
    await this.attempt(() => this.redis.del(this.prefix + key));
  }

  async close(): Promise<void> {
    await closeRedis(this.redis);
  }


  private attempt<T>(command: () => Promise<T>): Promise<T> {
    return redisAttempt('window counter store', command);
  }

}
