import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../adapters/sql/migrate.js';
import { openDatabase } from '../../adapters/sql/open-database.js';
import { tablesOf, type SqlDatabase } from '../../ports/sql.js';
import { inferenceLogSchema, InferenceLogWriter, type InferenceLogTables } from '../../modules/serving/observability/index.js';
import type { InferenceRecord } from '../../modules/serving/inference-log.api.js';
import { workerLogSink } from './worker-log-sink.js';

const record = (requestId: string): InferenceRecord => ({
  requestId,
  deployment: 'fraud',
  modelName: 'fraud',
  version: '1',
  at: 1_700_000_000_000,
  latencyMs: 1.5,
  inputs: { amount: new Float64Array([12.5, 3]), account: new BigInt64Array([7n, 2n ** 60n]) },
  outputs: { score: new Float32Array([0.5, 0.25]) },
  rows: 2,
});

describe('inference log written from a worker thread', () => {
  let dir: string;
  let uri: string;
  let database: SqlDatabase<InferenceLogTables>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'capstan-log-worker-'));
    uri = `sqlite:///${join(dir, 'capstan.db')}`;
    database = tablesOf<InferenceLogTables>(openDatabase<unknown>(uri));
    await migrateToLatest(database, [inferenceLogSchema]);
  });
  afterAll(async () => {
    await database.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('commits every batch through its own connection before the write resolves', async () => {
    const sink = workerLogSink(uri);
    const log = new InferenceLogWriter({ sink, sampleRate: 1, batchSize: 4 });
    for (let i = 0; i < 10; i++) log.record(record(`r${i}`));
    await log.close();
    await sink.close();
    expect(log.stats()).toMatchObject({ written: 10, dropped: { sink_error: 0 } });
    const rows = await database.db.selectFrom('inference_log').select(['request_id', 'inputs']).orderBy('request_id').execute();
    expect(rows.map((r) => r.request_id)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9']);
    expect(rows[0]!.inputs).toContain('1152921504606846976');
  });

  it('fails the writes of a store it cannot write to, and they are counted as sink errors', async () => {
    const sink = workerLogSink(`sqlite:///${join(dir, 'missing-folder', 'x.db')}`);
    await expect(sink.write([record('lost')])).rejects.toThrow();
    await expect(sink.write([record('lost-too')])).rejects.toThrow();
    await sink.close();
  });
});
