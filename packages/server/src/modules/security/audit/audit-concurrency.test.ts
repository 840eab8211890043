import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/logger.js';
import { TEST_DIALECTS } from '../../../adapters/sql/test-support/test-databases.js';
import { AuditLog } from './audit-log.js';
import { createReplicaPair, sampleEntry } from './test-support/audit-test-database.js';

const KEY = 'replica-shared-audit-key';

describe.each(TEST_DIALECTS)('concurrent audit appends on %s', (dialect) => {
  let pair: Awaited<ReturnType<typeof createReplicaPair>>;

  beforeEach(async () => {
    pair = await createReplicaPair(dialect);
  });
  afterEach(async () => {
    await pair.cleanup();
  });

  it('keeps one dense, valid chain when two replicas append 200 entries at once', async () => {
    // Small batches so the replicas' transactions interleave many times.
    const replicas = [
      new AuditLog({ database: pair.first, key: KEY, maxBatch: 7, flushIntervalMs: 1 }),
      new AuditLog({ database: pair.second, key: KEY, maxBatch: 11, flushIntervalMs: 1 }),
    ] as const;
    await Promise.all(
      Array.from({ length: 200 }, (_, k) => replicas[k % 2].append(sampleEntry(k + 1, { requestId: `replica-${k % 2}-${k}` }))),
    );
    await Promise.all(replicas.map((r) => r.close()));

    const result = await replicas[0].verify();
    expect(result).toMatchObject({ ok: true, checked: 200, headSeq: 200 });
    const events = (await replicas[1].query({ order: 'asc', limit: 1000 })).events;
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 200 }, (_, k) => k + 1));
    // Each replica's entries keep the order they were appended in.
    for (const replica of [0, 1]) {
      const mine = events.filter((e) => e.requestId.startsWith(`replica-${replica}-`)).map((e) => Number(e.requestId.split('-')[2]));
      expect(mine).toHaveLength(100);
      expect(mine).toEqual([...mine].sort((x, y) => x - y));
    }
  });

  it('coalesces concurrent appends into one transaction per batch', async () => {
    const batches: unknown[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        const line = JSON.parse(chunk.toString('utf8')) as { msg?: string; count?: number };
        if (line.msg === 'audit entries written') batches.push(line.count);
        done();
      },
    });
    const log = new AuditLog({ database: pair.first, maxBatch: 50, logger: createLogger('debug', sink) });
    await Promise.all(Array.from({ length: 200 }, (_, k) => log.append(sampleEntry(k + 1))));
    await log.close();
    // All 200 are queued before the first batch starts, so they fill four batches exactly.
    expect(batches).toEqual([50, 50, 50, 50]);
    expect(await log.verify()).toMatchObject({ ok: true, checked: 200 });
  });
});
