import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureDtype } from '@capstan/contracts';
import type { EntityTable, OfflineCell, OfflineStore, OfflineViewQuery } from '../../../ports/offline-store.js';
import { createDuckdbOfflineStore } from './duckdb-offline-store.js';
import { hour, tempFolder } from './test-support/offline-fixtures.js';

/** One value per dtype in, the same value out: what a caller of toColumns() can rely on. */
const VALUES: [FeatureDtype, OfflineCell][] = [
  ['int32', -7],
  ['int64', '9007199254740993'], // beyond 2^53: stays a decimal string
  ['float32', 0.1],
  ['float64', 0.1],
  ['string', 'héllo, "world"'],
  ['bytes', new Uint8Array([0, 1, 255])],
  ['bool', true],
  ['unix_timestamp', hour(3) + 123],
  ['int64[]', [1, '-9007199254740993', null]],
  ['float32[]', [0.5, 0.1]],
  ['string[]', ['a', '']],
  ['unix_timestamp[]', [hour(1), hour(2)]],
  ['bytes[]', [new Uint8Array([7])]],
  ['bool[]', [false, true]],
];

/** What comes back: float32 is the nearest float's double value; everything else is unchanged. */
const EXPECTED: OfflineCell[] = VALUES.map(([dtype, value]) => {
  if (dtype === 'float32') return Math.fround(value as number);
  if (dtype === 'float32[]') return (value as number[]).map(Math.fround);
  return value;
});

describe('cells in and out', () => {
  let store: OfflineStore;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const folder = await tempFolder();
    cleanup = folder.cleanup;
    store = createDuckdbOfflineStore({ root: folder.dir });
  });

  afterAll(async () => {
    await store.close();
    await cleanup();
  });

  const typedView = (): OfflineViewQuery => ({
    view: 'typed',
    source: {
      location: {
        kind: 'batches',
        columns: [{ name: 'id', dtype: 'int64' }, { name: 'ts', dtype: 'unix_timestamp' }, ...VALUES.map(([dtype], i) => ({ name: `c${i}`, dtype }))],
        read: async function* () {
          yield { id: [1, 2], ts: [hour(1), hour(1)], ...Object.fromEntries(VALUES.map(([, value], i) => [`c${i}`, [value, null]])) };
        },
      },
      timestampField: 'ts',
      fieldMapping: {},
    },
    joinKeys: [{ name: 'id', dtype: 'int64' }],
    features: VALUES.map(([dtype], i) => ({ name: `c${i}`, dtype, outputName: dtype })),
    ttlMs: 0,
  });

  it('round-trips every dtype, nulls included', async () => {
    const entities: EntityTable = { kind: 'columns', columns: { id: [1, 2], ts: [hour(2), hour(2)] }, timestampColumn: 'ts', fields: [{ name: 'id', dtype: 'int64' }] };
    const result = await store.historical(entities, [typedView()]);
    const columns = await result.toColumns();
    await result.release();
    VALUES.forEach(([dtype], i) => {
      expect(columns[dtype], dtype).toEqual([EXPECTED[i], null]);
    });
    // Plain Uint8Arrays, not Buffers: the cells are the port's types.
    expect((columns.bytes![0] as Uint8Array).constructor).toBe(Uint8Array);
  });

  it('passes untyped entity columns through by their JavaScript type', async () => {
    const entities: EntityTable = {
      kind: 'columns',
      columns: { id: [1, 2], ts: [hour(2), hour(2)], weight: [0.5, null], note: ['x', null], ok: [true, false], raw: [new Uint8Array([9]), null], empty: [null, null] },
      timestampColumn: 'ts',
      fields: [{ name: 'id', dtype: 'int64' }],
    };
    const result = await store.historical(entities, []);
    expect(await result.toColumns()).toEqual({ ...entities.columns });
    await result.release();
  });

  it('says which entity cell does not fit its column', async () => {
    const mixed: EntityTable = { kind: 'columns', columns: { id: [1, 'two'], ts: [hour(1), hour(1)] }, timestampColumn: 'ts', fields: [{ name: 'id', dtype: 'int64' }] };
    await expect(store.historical(mixed, [])).rejects.toThrow('entity table: column id, row 1: "two" is not a valid int64 value');
    const overflow: EntityTable = { kind: 'columns', columns: { id: [2 ** 31], ts: [hour(1)] }, timestampColumn: 'ts', fields: [{ name: 'id', dtype: 'int32' }] };
    await expect(store.historical(overflow, [])).rejects.toThrow('column id, row 0: 2147483648 is not a valid int32 value');
  });
});
