import type { Redis } from 'ioredis';
import { CapstanError } from '../../core/errors.js';

/**
 * Runs Redis commands for `store` (named in the error), turning an unreachable Redis into a
 * retryable TEMPORARILY_UNAVAILABLE (503). A ReplyError is Redis answering (e.g. a key of the wrong
 * type): a bug, not an outage, so it passes through.
 */
export async function redisAttempt<T>(store: string, command: () => Promise<T>): Promise<T> {
  try {
    return await command();
  } catch (error) {
    if (error instanceof Error && error.name === 'ReplyError') throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new CapstanError('TEMPORARILY_UNAVAILABLE', `The ${store} (Redis) is unavailable: ${detail}`, { cause: error });
  }
}

/**
 * Closes a client. quit() waits for pending replies, but while disconnected it would queue behind
 * commands that may never be sent; then the connection is just dropped.
 */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    await redis.quit().catch(() => redis.disconnect());
  } else {
    redis.disconnect();
  }
}
