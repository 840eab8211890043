import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { expect } from 'vitest';
import { CapstanError } from '../../core/errors.js';

/**
 * The Redis the tests talk to. Redis is required like PostgreSQL (see
 * sql/test-support/test-databases.ts): CI fails unless the " on redis" cases ran. A developer
 * without a server opts out with CAPSTAN_TEST_REDIS_URL=off.
 */
export const REDIS_TEST_URL = process.env.CAPSTAN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The backends a suite runs on: `local` always, Redis unless opted out (with a warning). */
export function backendsWithRedis<B extends string>(local: B): readonly (B | 'redis')[] {
  if (REDIS_TEST_URL !== 'off') return [local, 'redis'];
  console.warn('CAPSTAN_TEST_REDIS_URL=off: Redis suites are NOT running. CI never allows this.');
  return [local];
}

/**
 * Keys of one test file under a random prefix, so cleanup never touches anyone else's data: a
 * fresh sub-prefix per fixture, an admin client to inspect them, and `cleanup()` for afterAll.
 */
export function redisTestKeys(namespace: string): {
  freshPrefix(): string;
  admin(): Redis;
  deleteKeys(pattern: string): Promise<void>;
  cleanup(): Promise<void>;
} {
  const runPrefix = `capstan:test:${namespace}:${randomBytes(6).toString('hex')}:`;
  let client: Redis | undefined;
  const admin = (): Redis => (client ??= new Redis(REDIS_TEST_URL, { maxRetriesPerRequest: 2 }));
  const deleteKeys = async (pattern: string): Promise<void> => {
    const keys = await admin().keys(pattern);
    if (keys.length > 0) await admin().del(...keys);
  };
  return {
    freshPrefix: () => `${runPrefix}${randomBytes(4).toString('hex')}:`,
    admin,
    deleteKeys,
    async cleanup() {
      if (client === undefined) return;
      await deleteKeys(`${runPrefix}*`);
      await client.quit();
    },
  };
}

/** A local port with nothing listening: connections to it are refused at once (an unreachable Redis). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

/** Awaits a promise that must reject with a CapstanError of `code`, and returns the error. */
export async function expectCapstanError(promise: Promise<unknown>, code: string): Promise<CapstanError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CapstanError);
  expect((error as CapstanError).code).toBe(code);
  return error as CapstanError;
}
