import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CapstanError } from '../../core/errors.js';
import { createWindowCounterStore } from './create-window-counter.js';
import { MemoryWindowCounterStore } from './memory-window-counter.js';
import { RedisWindowCounterStore } from './redis-window-counter.js';
import { describeWindowCounterContract, type WindowCounterFixture } from './window-counter.contract.js';
import { randomBytes } from 'node:crypto';
import { backendsWithRedis, closedPort, expectCapstanError, REDIS_TEST_URL, redisTestKeys } from '../test-support/redis-test-server.js';

const REDIS_URL = REDIS_TEST_URL;
type Backend = 'memory' | 'redis';
const BACKENDS: readonly Backend[] = backendsWithRedis('memory');
const LONG_MS = 60_000;

const keys = redisTestKeys('wc');
const { freshPrefix, deleteKeys } = keys;
const adminClient = keys.admin;

afterAll(() => keys.cleanup());

const FIXTURES: Record<Backend, () => Promise<WindowCounterFixture>> = {
  async memory() {
    let now = 1_700_000_000_000;
    const store = new MemoryWindowCounterStore({ now: () => now });
    return {
      store,
      wait: async (ms) => {
        now += ms;
      },
      cleanup: () => store.close(),
    };
  },
  async redis() {
    const prefix = freshPrefix();
    const store = new RedisWindowCounterStore({ url: REDIS_URL, prefix });
    return {
      store,
      wait: async (ms) => {
        await sleep(ms);
      },
      async cleanup() {
        await store.close();
        await deleteKeys(`${prefix}*`);
      },
    };
  },
};

for (const backend of BACKENDS) {
  describeWindowCounterContract(`window counter on ${backend}`, FIXTURES[backend]);
}


describe('MemoryWindowCounterStore', () => {
  let now = 0;
  const open = (maxKeys: number) => new MemoryWindowCounterStore({ now: () => now, maxKeys });

  beforeEach(() => {
    now = 1_000;
  });

  it('drops ended windows before adding new keys', async () => {
    const store = open(100);
    for (let i = 0; i < 5; i++) await store.increment(`k${i}`, 100);
    now += 100;
    await store.increment('fresh', 100);
    expect(store.size).toBe(1);
  });

  it('evicts the oldest windows when full of live keys', async () => {
    const store = open(10);
    for (let i = 0; i < 10; i++) await store.increment(`k${i}`, LONG_MS);
    await store.increment('k10', LONG_MS);
    expect(store.size).toBeLessThanOrEqual(10);
    await expect(store.peek('k0')).resolves.toEqual({ count: 0, resetInMs: 0 });
    await expect(store.peek('k9')).resolves.toMatchObject({ count: 1 });
    await expect(store.peek('k10')).resolves.toMatchObject({ count: 1 });
  });

  it('finds ended windows behind a longer live one before evicting anything live', async () => {
    const store = open(10);
    await store.increment('long', LONG_MS);
    for (let i = 0; i < 9; i++) await store.increment(`short${i}`, 100);
    now += 100;
    await store.increment('fresh', 100);
    expect(store.size).toBe(2);
    await expect(store.peek('long')).resolves.toMatchObject({ count: 1 });
  });

  it('refuses a cap below one key', () => {
    expect(() => open(0)).toThrow(CapstanError);
  });
});

describe('RedisWindowCounterStore without a server', () => {
  it('reports an unreachable Redis as TEMPORARILY_UNAVAILABLE and still closes', async () => {
    const store = new RedisWindowCounterStore({ url: `redis://127.0.0.1:${await closedPort()}` });
    await expectCapstanError(store.increment('k', LONG_MS), 'TEMPORARILY_UNAVAILABLE');
    await expectCapstanError(store.peek('k'), 'TEMPORARILY_UNAVAILABLE');
    await expectCapstanError(store.reset('k'), 'TEMPORARILY_UNAVAILABLE');
    await expect(store.close()).resolves.toBeUndefined();
  });
});

if (BACKENDS.includes('redis')) {
  describe('RedisWindowCounterStore on redis', () => {
    const opened: RedisWindowCounterStore[] = [];
    let prefix = '';
    const open = () => {
      const store = new RedisWindowCounterStore({ url: REDIS_URL, prefix });
      opened.push(store);
      return store;
    };

    beforeEach(() => {
      prefix = freshPrefix();
    });

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
      await deleteKeys(`${prefix}*`);
    });

    it('keeps keys under its prefix, with a TTL that later increments do not raise', async () => {
      const store = open();
      await store.increment('k', LONG_MS);
      await expect(adminClient().keys(`${prefix}*`)).resolves.toEqual([`${prefix}k`]);
      const first = await adminClient().pttl(`${prefix}k`);
      expect(first).toBeGreaterThan(0);
      expect(first).toBeLessThanOrEqual(LONG_MS);
      await store.increment('k', LONG_MS);
      expect(await adminClient().pttl(`${prefix}k`)).toBeLessThanOrEqual(first);
    });

    it('gives a TTL to a counter key found without one', async () => {
      await adminClient().set(`${prefix}k`, '5');
      await expect(open().increment('k', LONG_MS)).resolves.toEqual({ count: 6, resetInMs: LONG_MS });
      expect(await adminClient().pttl(`${prefix}k`)).toBeGreaterThan(0);
    });

    it('counts correctly across replicas incrementing at once', async () => {
      const [a, b] = [open(), open()];
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).increment('shared', LONG_MS)),
      );
      expect(results.map((r) => r.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    });

    it('leaves a wrong-type key as a plain error, not an outage', async () => {
      await adminClient().lpush(`${prefix}k`, 'x');
      const error = await open()
        .increment('k', LONG_MS)
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(CapstanError);
    });

    it('uses capstan:wc: by default and the given prefix when created from a URI', async () => {
      const key = `default-prefix-${randomBytes(6).toString('hex')}`;
      const byDefault = createWindowCounterStore(REDIS_URL);
      const prefixed = createWindowCounterStore(REDIS_URL, { prefix });
      try {
        await byDefault.increment(key, LONG_MS);
        await prefixed.increment(key, LONG_MS);
        await expect(adminClient().get(`capstan:wc:${key}`)).resolves.toBe('1');
        await expect(adminClient().get(`${prefix}${key}`)).resolves.toBe('1');
      } finally {
        await byDefault.reset(key);
        await Promise.all([byDefault.close(), prefixed.close()]);
      }
    });
  });
}

describe('createWindowCounterStore', () => {
  it.each([undefined, '', 'memory:'])('keeps counts in memory for %j', async (uri) => {
    const store = createWindowCounterStore(uri);
    expect(store).toBeInstanceOf(MemoryWindowCounterStore);
    await store.close();
  });

  it.each(['redis', 'rediss', 'REDIS'])('uses Redis for %s://', async (scheme) => {
    const store = createWindowCounterStore(`${scheme}://127.0.0.1:${await closedPort()}`);
    expect(store).toBeInstanceOf(RedisWindowCounterStore);
    await store.close();
  });

  it.each(['postgresql://user:secret@db/x', 'memory://', 'redis:/x', 'http://h', '/var/counters', 'redis://[oops'])(
    'rejects %s, naming the supported forms without echoing the location',
    (uri) => {
      let error: unknown;
      try {
        createWindowCounterStore(uri);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(CapstanError);
      expect((error as CapstanError).code).toBe('INVALID_PARAMETER_VALUE');
      expect((error as CapstanError).message).toMatch(/memory:.*redis:\/\/.*rediss:\/\//);
      expect((error as CapstanError).message).not.toContain('secret');
    },
  );
});
