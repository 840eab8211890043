import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { migrateToLatest } from '../../../adapters/sql/migrate.js';
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../adapters/sql/test-support/test-databases.js';
import type { InferenceRecord } from './inference-record.js';
import { readInferenceWindow } from './inference-window.js';
import { InferenceLogWriter } from './inference-log-writer.js';
import { saveLabels } from './label-store.js';
import { inferenceLogSchema } from './migrations/0010-inference-log.js';
import { sqlInferenceLogSink } from './sql-inference-log-sink.js';
import type { InferenceLogTables } from './tables.js';

const T0 = 1_700_000_000_000;

function record(requestId: string, at: number, deployment = 'fraud'): InferenceRecord {
  return {
    requestId,
    deployment,
    modelName: 'fraud-model',
    version: '3',
    at,
    latencyMs: 2.25,
    inputs: { amount: new Float64Array([12.5, Number.NaN]), account: new BigInt64Array([7n, 2n ** 60n]) },
    outputs: { score: new Float32Array([0.5, 0.25]) },
    rows: 2,
  };
}

describe.each(TEST_DIALECTS)('inference log and labels on %s', (dialect) => {
  let t: TestDatabase<InferenceLogTables>;
  const db = () => t.database.db;

  async function logRecords(records: readonly InferenceRecord[]): Promise<void> {
    const log = new InferenceLogWriter({ sink: sqlInferenceLogSink(db()), sampleRate: 1, batchSize: 50 });
    for (const r of records) log.record(r);
    await log.close();
    expect(log.stats().written).toBe(records.length);
  }

  beforeAll(async () => {
    t = await createTestDatabase<InferenceLogTables>(dialect);
    expect(await migrateToLatest(t.database, [inferenceLogSchema])).toEqual(['0010-inference-log']);
  });
  afterAll(async () => t.cleanup());
  beforeEach(async () => {
    await sql`delete from inference_log`.execute(db());
    await sql`delete from inference_labels`.execute(db());
  });

  it('writes batches and reads a window back with columns decoded', async () => {
    await logRecords([record('r1', T0), record('r2', T0 + 10), record('other', T0 + 5, 'churn')]);
    const page = await readInferenceWindow(db(), { deployment: 'fraud', from: T0, to: T0 + 1000, limit: 10 });
    expect(page.next).toBeUndefined();
    expect(page.records.map((r) => r.requestId)).toEqual(['r1', 'r2']);
    expect(page.records[0]).toMatchObject({
      requestId: 'r1',
      deployment: 'fraud',
      modelName: 'fraud-model',
      version: '3',
      at: T0,
      latencyMs: 2.25,
      rows: 2,
      inputs: { amount: [12.5, 'NaN'], account: [7, '1152921504606846976'] },
      outputs: { score: [0.5, 0.25] },
    });
    expect(page.records[0]).not.toHaveProperty('label');
  });

  it('keeps to the window: from inclusive, to exclusive', async () => {
    await logRecords([record('before', T0 - 1), record('first', T0), record('last', T0 + 99), record('after', T0 + 100)]);
    const page = await readInferenceWindow(db(), { deployment: 'fraud', from: T0, to: T0 + 100, limit: 10 });
    expect(page.records.map((r) => r.requestId)).toEqual(['first', 'last']);
  });

  it('pages through records logged in the same millisecond without skipping or repeating', async () => {
    const records = Array.from({ length: 7 }, (_, i) => record(`same-${i}`, T0 + (i < 5 ? 0 : 1)));
    await logRecords(records);
    const seen: string[] = [];
    let after: { at: number; id: number } | undefined;
    let pages = 0;
    do {
      const page = await readInferenceWindow(db(), { deployment: 'fraud', from: 0, to: T0 + 10, limit: 3, ...(after ? { after } : {}) });
      seen.push(...page.records.map((r) => r.requestId));
      after = page.next;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual(records.map((r) => r.requestId));
  });

  it('joins labels by request id, and a later label replaces the earlier one', async () => {
    await logRecords([record('r1', T0), record('r2', T0 + 1), record('r3', T0 + 2)]);
    // A label may arrive for a request logged under another deployment, or never logged: it joins nothing.
    await saveLabels(db(), 'churn', [{ requestId: 'r1', label: 'churned' }], T0 + 500);
    expect(await saveLabels(db(), 'fraud', [{ requestId: 'r1', label: 0 }, { requestId: 'r2', label: { fraud: true } }, { requestId: 'unlogged', label: 1 }], T0 + 1000)).toBe(3);
    expect(await saveLabels(db(), 'fraud', [{ requestId: 'r1', label: 1 }], T0 + 2000)).toBe(1);

    const { records } = await readInferenceWindow(db(), { deployment: 'fraud', from: T0, to: T0 + 10, limit: 10 });
    expect(records.map((r) => [r.requestId, r.label, r.labeledAt])).toEqual([
      ['r1', 1, T0 + 2000],
      ['r2', { fraud: true }, T0 + 1000],
      ['r3', undefined, undefined],
    ]);
    const count = await db().selectFrom('inference_labels').select((eb) => eb.fn.countAll<number>().as('n')).where('deployment', '=', 'fraud').executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(3);
  });

  it('stores a call of thousands of labels with repeats in one go, the last repeat winning', async () => {
    const labels = Array.from({ length: 2500 }, (_, i) => ({ requestId: `bulk-${i % 2400}`, label: i }));
    expect(await saveLabels(db(), 'fraud', labels, T0)).toBe(2400);
    const row = await db().selectFrom('inference_labels').select('label').where('deployment', '=', 'fraud').where('request_id', '=', 'bulk-5').executeTakeFirstOrThrow();
    expect(JSON.parse(row.label)).toBe(2405);
  });
});
