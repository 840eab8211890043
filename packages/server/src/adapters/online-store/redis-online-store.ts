import { Redis, type ChainableCommander } from 'ioredis';
import { invalidParameter } from '../../core/errors.js';
import type { OnlineRecord, OnlineStore, OnlineWriteResult } from '../../ports/online-store.js';
import { newestPerKey } from './newest-per-key.js';
import { closeRedis, redisAttempt } from '../redis/redis-calls.js';

export interface RedisOnlineStoreOptions {
  /** `redis://` or `rediss://` URL. */
  url: string;
  /** Put before every key so several deployments can share one Redis. */
  prefix?: string;
}

export const DEFAULT_ONLINE_STORE_PREFIX = 'capstan:fs:';

/**
 * Records per script call. Redis serves nobody while a script runs, and a call of 1,000 small
 * records took about 7 ms on the 2-core VM: a read arriving meanwhile waits that long. 500, 1,000
 * and 2,000 per call all materialized 1,000,000 records in 10 to 11 s, so the shorter stall wins.
 */
const RECORDS_PER_SCRIPT = 500;
/** Payload characters per script call, so that a batch of large payloads still makes short calls. */
const CHARS_PER_SCRIPT = 4 * 1024 * 1024;

/**
 * Sets each key unless its stored value is newer, comparing (event, created) as numbers, so
 * replicas materializing and pushing at once can never let an older value win: a script runs
 * atomically. KEYS[i] gets ARGV[3i] (the packed value) when (ARGV[3i-2], ARGV[3i-1]) is not older
 * than the stored times. GETRANGE reads only the times at the head of the stored value, not its
 * payload; an absent key reads as '' and is written.
 */
const WRITE_SCRIPT = `
local written = 0
for i = 1, #KEYS do
  local event = tonumber(ARGV[3 * i - 2])
  local created = tonumber(ARGV[3 * i - 1])
  local head = redis.call('GETRANGE', KEYS[i], 0, 63)
  local stored_event, stored_created = string.match(head, '^(%-?%d+):(%-?%d+):')
  stored_event = tonumber(stored_event)
  stored_created = tonumber(stored_created)
  if stored_event == nil or stored_event < event or (stored_event == event and stored_created <= created) then
    redis.call('SET', KEYS[i], ARGV[3 * i])
    written = written + 1
  end
end
return written
`;

/** The name ioredis gives the script; it sends EVALSHA and falls back to EVAL after NOSCRIPT. */
const WRITE_COMMAND = 'capstanOnlineStoreWrite';
type WriteCommand = (numKeys: number, ...keysAndArgs: (string | number)[]) => unknown;

/**
 * The scale-out online store: one string per (project, view, entity key), shared by every replica.
 *
 * Key: prefix + encodeURIComponent(project) + ':' + encodeURIComponent(view) + ':' + entity key.
 * Encoded names hold no ':', so the first two colons after the prefix end the project and the view
 * and whatever follows is the entity key: no two triples share a key, whatever their characters,
 * and plain names stay readable (`capstan:fs:shop:driver_stats:driver_id=1001`).
 * Value: `eventTime:createdTime:payload`, so one MGET answers a read.
 */
export class RedisOnlineStore implements OnlineStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(options: RedisOnlineStoreOptions) {
    this.prefix = options.prefix ?? DEFAULT_ONLINE_STORE_PREFIX;
    this.redis = new Redis(options.url, {
      // Fail a read quickly rather than hold a serving request while Redis is away; the client
      // reconnects in the background. No command timeout: a script over megabytes of payloads may
      // rightly take a while, and a lost connection already fails the commands sent on it.
      maxRetriesPerRequest: 2,
      connectTimeout: 5_000,
    });
    this.redis.defineCommand(WRITE_COMMAND, { lua: WRITE_SCRIPT });
    // Without a listener ioredis prints every failed reconnect; callers see rejected commands.
    this.redis.on('error', () => undefined);
  }

  async write(project: string, view: string, records: readonly OnlineRecord[]): Promise<OnlineWriteResult> {
    const { records: newest, superseded } = newestPerKey(records);
    if (newest.length === 0) return { written: 0, skipped: superseded };
    const keyPrefix = this.viewPrefix(project, view);
    // All of a call's scripts go in one pipeline: one round trip, and Redis never waits for us.
    const pipeline = this.redis.pipeline();
    const writeChunk = (pipeline as unknown as Record<typeof WRITE_COMMAND, WriteCommand>)[WRITE_COMMAND].bind(pipeline);
    let keys: string[] = [];
    let args: (string | number)[] = [];
    let chars = 0;
    for (const record of newest) {
      keys.push(keyPrefix + record.entityKey);
      args.push(record.eventTime, record.createdTime, `${record.eventTime}:${record.createdTime}:${record.payload}`);
      chars += record.payload.length;
      if (keys.length >= RECORDS_PER_SCRIPT || chars >= CHARS_PER_SCRIPT) {
        writeChunk(keys.length, ...keys, ...args);
        keys = [];
        args = [];
        chars = 0;
      }
    }
    if (keys.length > 0) writeChunk(keys.length, ...keys, ...args);
    const written = (await this.run(pipeline)).reduce<number>((sum, reply) => sum + Number(reply), 0);
    return { written, skipped: superseded + newest.length - written };
  }

  async read(project: string, views: readonly string[], entityKeys: readonly string[]): Promise<(OnlineRecord | undefined)[][]> {
    if (views.length === 0 || entityKeys.length === 0) return views.map(() => entityKeys.map(() => undefined));
    const keys = views.flatMap((view) => {
      const keyPrefix = this.viewPrefix(project, view);
      return entityKeys.map((entityKey) => keyPrefix + entityKey);
    });
    const values = await this.attempt(() => this.redis.mget(keys));
    return views.map((_, v) =>
      entityKeys.map((entityKey, k) => {
        const index = v * entityKeys.length + k;
        const value = values[index];
        return value === null || value === undefined ? undefined : unpack(entityKey, value, keys[index]!);
      }),
    );
  }

  async deleteView(project: string, view: string): Promise<void> {
    const match = `${escapeGlob(this.viewPrefix(project, view))}*`;
    let cursor = '0';
    do {
      const [next, keys] = await this.attempt(() => this.redis.scan(cursor, 'MATCH', match, 'COUNT', 1_000));
      // UNLINK frees the values in the background: a view of large payloads does not stall Redis.
      if (keys.length > 0) await this.attempt(() => this.redis.unlink(...keys));
      cursor = next;
    } while (cursor !== '0');
  }

  async close(): Promise<void> {
    await closeRedis(this.redis);
  }


  private viewPrefix(project: string, view: string): string {
    try {
      return `${this.prefix}${encodeURIComponent(project)}:${encodeURIComponent(view)}:`;
    } catch {
      // URIError: a lone UTF-16 surrogate, which has no UTF-8 form and so no Redis key either.
      throw invalidParameter(`The project or view name is not valid Unicode: ${JSON.stringify(project)}, ${JSON.stringify(view)}.`);
    }
  }

  /** Executes a pipeline, failing on the first command that failed. */
  private async run(pipeline: ChainableCommander): Promise<unknown[]> {
    return this.attempt(async () => {
      const replies = await pipeline.exec();
      if (replies === null) throw new Error('The online store pipeline was discarded.');
      return replies.map(([error, reply]) => {
        if (error) throw error;
        return reply;
      });
    });
  }

  private attempt<T>(command: () => Promise<T>): Promise<T> {
    return redisAttempt('online store', command);
  }

}

function unpack(entityKey: string, value: string, key: string): OnlineRecord {
  const first = value.indexOf(':');
  const second = first < 1 ? -1 : value.indexOf(':', first + 1);
  const eventTime = Number(value.slice(0, first));
  const createdTime = Number(value.slice(first + 1, second));
  if (second <= first + 1 || !Number.isSafeInteger(eventTime) || !Number.isSafeInteger(createdTime)) {
    throw new Error(`The online store value under ${JSON.stringify(key)} is not eventTime:createdTime:payload.`);
  }
  return { entityKey, eventTime, createdTime, payload: value.slice(second + 1) };
}

/** SCAN MATCH is a glob: the prefix and names must match themselves, not act as wildcards. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/** Starts connecting at once; commands wait in the client's queue until Redis answers. */
export function createRedisOnlineStore(options: RedisOnlineStoreOptions): OnlineStore {
  return new RedisOnlineStore(options);
}
