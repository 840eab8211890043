import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CapstanError } from '../../core/errors.js';
import type { OnlineRecord, OnlineStore } from '../../ports/online-store.js';
import { createOnlineStore } from './create-online-store.js';
import { describeOnlineStoreContract, type OnlineStoreFixture } from './online-store.contract.js';
import { RedisOnlineStore } from './redis-online-store.js';
import { SqliteOnlineStore, createSqliteOnlineStore } from './sqlite-online-store.js';
import { backendsWithRedis, closedPort, expectCapstanError, REDIS_TEST_URL, redisTestKeys } from '../test-support/redis-test-server.js';

const REDIS_URL = REDIS_TEST_URL;
type Backend = 'sqlite' | 'redis';
const BACKENDS: readonly Backend[] = backendsWithRedis('sqlite');
const redisKeys = redisTestKeys('fs');
const { freshPrefix, deleteKeys } = redisKeys;
const adminClient = redisKeys.admin;
const T0 = 1_700_000_000_000;

const temporaryDirs: string[] = [];
async function temporaryDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'capstan-online-store-'));
  temporaryDirs.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(temporaryDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  await redisKeys.cleanup();
});

const FIXTURES: Record<Backend, () => Promise<OnlineStoreFixture>> = {
  async sqlite() {
    // A file rather than ':memory:', so that a reopened store sees the same data.
    const dir = await temporaryDir();
    const file = join(dir, 'online.db');
    return {
      open: () => createSqliteOnlineStore({ file }),
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  },
  async redis() {
    const prefix = freshPrefix();
    return {
      open: () => new RedisOnlineStore({ url: REDIS_URL, prefix }),
      cleanup: () => deleteKeys(`${prefix}*`),
    };
  },
};

for (const backend of BACKENDS) {
  describeOnlineStoreContract(`online store on ${backend}`, FIXTURES[backend]);
}

const rec = (entityKey: string, payload: string): OnlineRecord => ({ entityKey, eventTime: T0, createdTime: T0, payload });


describe('SqliteOnlineStore', () => {
  it('creates its folder and keeps its file in WAL mode, readable by another connection while open', async () => {
    const file = join(await temporaryDir(), 'nested', 'online.db');
    const store = createSqliteOnlineStore({ file });
    try {
      await store.write('p', 'v', [rec('k', 'x')]);
      const reader = new Database(file, { readonly: true });
      try {
        expect(reader.pragma('journal_mode', { simple: true })).toBe('wal');
        expect(reader.prepare('select count(*) as n from online_features').get()).toEqual({ n: 1 });
      } finally {
        reader.close();
      }
    } finally {
      await store.close();
    }
  });

  it('keeps each :memory: store to itself', async () => {
    const [a, b] = [createSqliteOnlineStore({ file: ':memory:' }), createSqliteOnlineStore({ file: ':memory:' })];
    await a.write('p', 'v', [rec('k', 'in a')]);
    await expect(a.read('p', ['v'], ['k'])).resolves.toEqual([[rec('k', 'in a')]]);
    await expect(b.read('p', ['v'], ['k'])).resolves.toEqual([[undefined]]);
    await Promise.all([a.close(), b.close()]);
  });
});

describe('RedisOnlineStore without a server', () => {
  it('reports an unreachable Redis as TEMPORARILY_UNAVAILABLE and still closes', async () => {
    const store = new RedisOnlineStore({ url: `redis://127.0.0.1:${await closedPort()}` });
    await expectCapstanError(store.write('p', 'v', [rec('k', 'x')]), 'TEMPORARILY_UNAVAILABLE');
    await expectCapstanError(store.read('p', ['v'], ['k']), 'TEMPORARILY_UNAVAILABLE');
    await expectCapstanError(store.deleteView('p', 'v'), 'TEMPORARILY_UNAVAILABLE');
    await expect(store.close()).resolves.toBeUndefined();
  });
});

if (BACKENDS.includes('redis')) {
  describe('RedisOnlineStore on redis', () => {
    const opened: OnlineStore[] = [];
    let prefix = '';
    const open = (storePrefix = prefix): OnlineStore => {
      const store = new RedisOnlineStore({ url: REDIS_URL, prefix: storePrefix });
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

    it('keeps one readable key per record under its prefix: escaped names, then the entity key', async () => {
      await open().write('shop', 'driver:stats', [rec('driver_id=1001', '{"trips":3}')]);
      await expect(adminClient().keys(`${prefix}*`)).resolves.toEqual([`${prefix}shop:driver%3Astats:driver_id=1001`]);
      await expect(adminClient().get(`${prefix}shop:driver%3Astats:driver_id=1001`)).resolves.toBe(`${T0}:${T0}:{"trips":3}`);
    });

    it('uses capstan:fs: by default and the given prefix when created from a URI', async () => {
      const project = `default-prefix-${randomBytes(6).toString('hex')}`;
      const byDefault = createOnlineStore(REDIS_URL);
      const prefixed = createOnlineStore(REDIS_URL, { redisPrefix: prefix });
      opened.push(byDefault, prefixed);
      try {
        await byDefault.write(project, 'v', [rec('k', 'default')]);
        await prefixed.write(project, 'v', [rec('k', 'prefixed')]);
        await expect(adminClient().get(`capstan:fs:${project}:v:k`)).resolves.toBe(`${T0}:${T0}:default`);
        await expect(adminClient().get(`${prefix}${project}:v:k`)).resolves.toBe(`${T0}:${T0}:prefixed`);
      } finally {
        await byDefault.deleteView(project, 'v');
      }
    });

    it('deletes a view under its own prefix only', async () => {
      const other = open(freshPrefix());
      await open().write('p', 'v', [rec('k', 'mine')]);
      await other.write('p', 'v', [rec('k', 'theirs')]);
      await open().deleteView('p', 'v');
      await expect(other.read('p', ['v'], ['k'])).resolves.toEqual([[rec('k', 'theirs')]]);
      await other.deleteView('p', 'v');
    });

    it('writes again after Redis has forgotten its scripts (a restart or SCRIPT FLUSH)', async () => {
      const store = open();
      await store.write('p', 'v', [rec('a', 'x')]);
      await adminClient().script('FLUSH');
      await expect(store.write('p', 'v', [rec('b', 'y')])).resolves.toEqual({ written: 1, skipped: 0 });
    });

    it('refuses to read a value it did not write, as a plain error rather than an outage', async () => {
      await adminClient().set(`${prefix}p:v:k`, 'not packed');
      const error = await open()
        .read('p', ['v'], ['k'])
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(CapstanError);
    });
  });
}

describe('createOnlineStore', () => {
  it('opens sqlite:////absolute and sqlite:///relative (to the working directory) files', async () => {
    const dir = await temporaryDir();
    const absolute = createOnlineStore(`sqlite:///${join(dir, 'absolute.db')}`);
    const relativeFile = relative(process.cwd(), join(dir, 'relative.db'));
    const relativeStore = createOnlineStore(`sqlite:///${relativeFile}`);
    expect(absolute).toBeInstanceOf(SqliteOnlineStore);
    await Promise.all([absolute.close(), relativeStore.close()]);
    expect(existsSync(join(dir, 'absolute.db'))).toBe(true);
    expect(existsSync(join(dir, 'relative.db'))).toBe(true);
  });

  it.each(['sqlite://:memory:', 'sqlite:///:memory:'])('keeps %s in memory', async (uri) => {
    const store = createOnlineStore(uri);
    await store.write('p', 'v', [rec('k', 'x')]);
    await expect(store.read('p', ['v'], ['k'])).resolves.toEqual([[rec('k', 'x')]]);
    await store.close();
  });

  it.each(['redis', 'rediss', 'REDIS'])('uses Redis for %s://', async (scheme) => {
    const store = createOnlineStore(`${scheme}://127.0.0.1:${await closedPort()}`);
    expect(store).toBeInstanceOf(RedisOnlineStore);
    await store.close();
  });

  it.each(['postgresql://user:secret@db/x', 'memory:', 'sqlite://relative.db', 'sqlite://', 'redis:/x', 'redis://[oops', '/var/online.db'])(
    'rejects %s, naming the supported forms without echoing the location',
    (uri) => {
      let error: unknown;
      try {
        createOnlineStore(uri);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(CapstanError);
      expect((error as CapstanError).code).toBe('INVALID_PARAMETER_VALUE');
      expect((error as CapstanError).message).toMatch(/sqlite:\/\/\/.*sqlite:\/\/:memory:.*redis:\/\/.*rediss:\/\//);
      expect((error as CapstanError).message).not.toContain('secret');
    },
  );
});
