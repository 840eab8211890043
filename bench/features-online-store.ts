/**
 * The feature store's online stores at the store level (no HTTP; bench/features-serving.ts measures
 * through the server):
 *
 * - Materialization of 1,000,000 records (a JSON object of 10 float features each, entity keys in
 *   the features module's canonical form, in shuffled order as a hash-partitioned scan yields them)
 *   in write() calls of 10,000, into SQLite and into local Redis. Targets: under 15 s and 30 s.
 *   Baselines, same run, same records, each batch written to both in turn so that a disturbance
 *   hits both: a bare better-sqlite3 INSERT OR REPLACE (no newer-check, no dedup) into the same
 *   table in a file with the same settings, one transaction per batch; a bare pipelined SET per
 *   record into Redis, one pipeline per batch.
 * - Reads of 1 entity x 1 view and of 100 entities x 1 view of a 50-feature view, one at a time,
 *   after warm-up: p50/p99 in ms. Baselines, interleaved: a bare prepared point SELECT per key on
 *   another connection to the same file; a bare GET / MGET of the same keys.
 * - deleteView of the 1,000,000-record view.
 *
 *   npx tsx bench/features-online-store.ts [--records 1000000] [--batch 10000] [--read-entities 100000]
 *     [--reads 20000] [--reads-100 5000] [--sorted 0] [--sqlite 1] [--redis 1] [--wait-quiet 0]
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import type { OnlineRecord, OnlineStore } from '../packages/server/src/ports/online-store.js';
import { createRedisOnlineStore } from '../packages/server/src/adapters/online-store/redis-online-store.js';
import { createSqliteOnlineStore } from '../packages/server/src/adapters/online-store/sqlite-online-store.js';
import { parseBenchArgs } from './lib/args.js';
import { emit, progress } from './lib/log.js';
import { machineInfo } from './lib/machine.js';
import { seededRandom } from './lib/rand.js';
import { round, summarize, type Summary } from './lib/stats.js';

const REDIS_URL = process.env.CAPSTAN_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const TARGET_SQLITE_S = 15;
const TARGET_REDIS_S = 30;
const PROJECT = 'bench_features';
const BULK = 'bulk';
const WIDE = 'wide';
const T0 = 1_767_225_600_000;
const WARMUP = 500;

const args = parseBenchArgs({ records: 1_000_000, batch: 10_000, 'read-entities': 100_000, reads: 20_000, 'reads-100': 5_000, sorted: 0, sqlite: 1, redis: 1 });
const { records, batch, reads, sorted } = args.numbers;
const readEntities = args.numbers['read-entities'];
const reads100 = args.numbers['reads-100'];

/** The features module's canonical key of an int64 join key (values/entity-key.ts). */
const keyOf = (id: number) => `"item_id":i${id}`;

function payloadOf(id: number, features: number): string {
  const rand = seededRandom(id + features * 7_919);
  const values: Record<string, number> = {};
  for (let f = 0; f < features; f++) values[`f${f}`] = Math.round(rand() * 1e6) / 1e3;
  return JSON.stringify(values);
}

/** Entity ids in write order: shuffled (seeded Fisher-Yates) unless --sorted 1. */
function writeOrder(count: number): Uint32Array {
  const ids = Uint32Array.from({ length: count }, (_, i) => i);
  if (sorted) return ids;
  const rand = seededRandom(11);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  return ids;
}

function batchOf(order: Uint32Array, start: number, size: number, features: number): OnlineRecord[] {
  const out: OnlineRecord[] = [];
  for (let i = start; i < Math.min(order.length, start + size); i++) {
    const id = order[i]!;
    out.push({ entityKey: keyOf(id), eventTime: T0 + (id % 3_600) * 1000, createdTime: T0, payload: payloadOf(id, features) });
  }
  return out;
}

/** What one backend's bare baseline does: write a batch, read keys. */
interface Baseline {
  write(view: string, batch: readonly OnlineRecord[]): Promise<void>;
  readOne(view: string, key: string): Promise<unknown>;
  readMany(view: string, keys: readonly string[]): Promise<unknown>;
  close(): Promise<void>;
}

/** Writes the same batches through the store and the baseline, in turn, timing each side. */
async function materialize(store: OnlineStore, baseline: Baseline, view: string, count: number, features: number) {
  const order = writeOrder(count);
  let storeMs = 0;
  let baselineMs = 0;
  let written = 0;
  const callMs: number[] = [];
  const started = performance.now();
  for (let start = 0; start < count; start += batch) {
    const records = batchOf(order, start, batch, features);
    let t = performance.now();
    const result = await store.write(PROJECT, view, records);
    const ms = performance.now() - t;
    storeMs += ms;
    callMs.push(ms);
    written += result.written;
    t = performance.now();
    await baseline.write(view, records);
    baselineMs += performance.now() - t;
    if ((start / batch) % 20 === 19) progress(`  ${view}: ${start + batch} records, store ${round(storeMs / 1000)} s, baseline ${round(baselineMs / 1000)} s`);
  }
  if (written !== count) throw new Error(`the store wrote ${written} of ${count} records`);
  return {
    storeS: round(storeMs / 1000),
    baselineS: round(baselineMs / 1000),
    recordsPerS: Math.round(count / (storeMs / 1000)),
    writeCallMs: summarize(callMs),
    wallS: round((performance.now() - started) / 1000),
  };
}

/** Store reads and baseline reads, interleaved, after warm-up; each read's keys drawn at random. */
async function readLatencies(store: OnlineStore, baseline: Baseline, count: number, keysPerRead: number) {
  const rand = seededRandom(keysPerRead);
  const keys = () => Array.from({ length: keysPerRead }, () => keyOf(Math.floor(rand() * readEntities)));
  const storeMs: number[] = [];
  const baselineMs: number[] = [];
  for (let i = 0; i < count + WARMUP; i++) {
    const wanted = keys();
    let t = performance.now();
    const [row] = await store.read(PROJECT, [WIDE], wanted);
    const ms = performance.now() - t;
    if (row?.some((r) => r === undefined)) throw new Error('a read missed a written key');
    t = performance.now();
    await (keysPerRead === 1 ? baseline.readOne(WIDE, wanted[0]!) : baseline.readMany(WIDE, wanted));
    if (i >= WARMUP) {
      baselineMs.push(performance.now() - t);
      storeMs.push(ms);
    }
  }
  return { store: summarize(storeMs), baseline: summarize(baselineMs) };
}

function sqliteBaseline(file: string, readFile: string): Baseline {
  const db = new Database(file);
  // The store's own settings (sqlite-online-store.ts), so only the write path differs.
  db.pragma('page_size = 16384');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  db.pragma('wal_autocheckpoint = 10000');
  db.exec(`create table online_features (project text not null, view text not null, entity_key text not null,
    event_time integer not null, created_time integer not null, payload text not null,
    primary key (project, view, entity_key)) without rowid, strict`);
  const insert = db.prepare<[string, string, string, number, number, string]>('insert or replace into online_features values (?, ?, ?, ?, ?, ?)');
  const writeAll = db.transaction((view: string, rows: readonly OnlineRecord[]) => {
    for (const r of rows) insert.run(PROJECT, view, r.entityKey, r.eventTime, r.createdTime, r.payload);
  });
  // Reads go to the store's own file, as a second reader of the same rows.
  const reader = new Database(readFile, { readonly: true });
  const point = reader.prepare<[string, string, string]>('select event_time, created_time, payload from online_features where project = ? and view = ? and entity_key = ?');
  return {
    async write(view, rows) {
      writeAll(view, rows);
    },
    async readOne(view, key) {
      return point.get(PROJECT, view, key);
    },
    async readMany(view, keys) {
      return keys.map((key) => point.get(PROJECT, view, key));
    },
    async close() {
      db.close();
      reader.close();
    },
  };
}

function redisBaseline(prefix: string): Baseline & { client: Redis } {
  const client = new Redis(REDIS_URL);
  const key = (view: string, entityKey: string) => `${prefix}${view}:${entityKey}`;
  return {
    client,
    async write(view, rows) {
      const pipeline = client.pipeline();
      for (const r of rows) pipeline.set(key(view, r.entityKey), `${r.eventTime}:${r.createdTime}:${r.payload}`);
      await pipeline.exec();
    },
    async readOne(view, entityKey) {
      return client.get(key(view, entityKey));
    },
    async readMany(view, keys) {
      return client.mget(keys.map((k) => key(view, k)));
    },
    async close() {
      await client.quit();
    },
  };
}

async function deleteByPrefix(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
    if (keys.length > 0) await client.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** Materializes both views, measures reads, then deletes the bulk view. */
async function measure(store: OnlineStore, baseline: Baseline) {
  progress(`materializing ${records} records of 10 features (${sorted ? 'sorted' : 'shuffled'} keys)`);
  const bulk = await materialize(store, baseline, BULK, records, 10);
  progress(`materializing ${readEntities} records of 50 features for reads`);
  const wide = await materialize(store, baseline, WIDE, readEntities, 50);
  progress(`${reads} reads of 1 entity, ${reads100} reads of 100 entities`);
  const one = await readLatencies(store, baseline, reads, 1);
  const hundred = await readLatencies(store, baseline, reads100, 100);
  const t = performance.now();
  await store.deleteView(PROJECT, BULK);
  const deleteViewS = round((performance.now() - t) / 1000);
  return {
    results: {
      materializeS: bulk.storeS,
      materializeRecordsPerS: bulk.recordsPerS,
      materializeWallS: bulk.wallS,
      writeCallMs: bulk.writeCallMs,
      materializeWide50S: wide.storeS,
      read1x1Ms: pick(one.store),
      read100x1Ms: pick(hundred.store),
      deleteView1MS: deleteViewS,
    },
    baseline: {
      materializeS: bulk.baselineS,
      materializeWide50S: wide.baselineS,
      read1x1Ms: pick(one.baseline),
      read100x1Ms: pick(hundred.baseline),
    },
  };
}

const pick = (s: Summary) => ({ p50: s.p50, p99: s.p99, mean: s.mean, n: s.n });

async function runSqlite() {
  const dir = await mkdtemp(join(tmpdir(), 'capstan-bench-online-sqlite-'));
  const file = join(dir, 'online.db');
  const store = createSqliteOnlineStore({ file });
  const baseline = sqliteBaseline(join(dir, 'baseline.db'), file);
  try {
    progress('sqlite:');
    const measured = await measure(store, baseline);
    return { ...measured, results: { ...measured.results, fileMiB: round((await stat(file)).size / 2 ** 20, 1) } };
  } finally {
    await store.close();
    await baseline.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function runRedis() {
  const prefix = `capstan:bench:fs:${randomBytes(4).toString('hex')}:`;
  const store = createRedisOnlineStore({ url: REDIS_URL, prefix });
  const baseline = redisBaseline(`${prefix}baseline:`);
  try {
    progress('redis:');
    const measured = await measure(store, baseline);
    const memory = await baseline.client.info('memory');
    return { ...measured, results: { ...measured.results, redisUsedMemoryMiB: round(Number(/used_memory:(\d+)/.exec(memory)?.[1]) / 2 ** 20, 1) } };
  } finally {
    await deleteByPrefix(baseline.client, prefix);
    await store.close();
    await baseline.close();
  }
}

async function main(): Promise<void> {
  const machine = await machineInfo(args.waitQuiet);
  const date = new Date().toISOString();
  const sqlite = args.numbers.sqlite ? await runSqlite() : undefined;
  const redis = args.numbers.redis ? await runRedis() : undefined;
  const pass = (sqlite === undefined || sqlite.results.materializeS < TARGET_SQLITE_S) && (redis === undefined || redis.results.materializeS < TARGET_REDIS_S);
  emit({
    benchmark: 'features-online-store',
    store: [sqlite && 'sqlite', redis && 'redis'].filter(Boolean).join('+'),
    machine,
    date,
    results: { records, batch, keyOrder: sorted ? 'sorted' : 'shuffled', readEntities, sqlite: sqlite?.results, redis: redis?.results },
    baseline: { sqlite: sqlite?.baseline, redis: redis?.baseline },
    target: { sqliteMaterializeS: TARGET_SQLITE_S, redisMaterializeS: TARGET_REDIS_S },
    pass,
    notes: [
      `1-minute load average at the end: ${round(loadavg()[0]!)} (2 cores; above ~0.5 at the start means other work was running)`,
      'Store and baseline write the same batches in turn, so a disturbance hits both; reads are interleaved the same way.',
    ],
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
