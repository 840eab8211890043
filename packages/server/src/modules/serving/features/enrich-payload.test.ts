import { describe, expect, it } from 'vitest';
import type { DeploymentFeatures, GetOnlineFeaturesResponse } from '@capstan/contracts';
import { ServingError } from '../engine/inference-engine.js';
import type { ColumnsPayload } from '../protocol/scoring/scoring-payload.js';
import { enrichTable } from './enrich-payload.js';
import { fakeFeatureStore } from './test-support/fake-feature-store.js';

const SPEC: DeploymentFeatures = { project: 'fraud', feature_service: 'fraud_features' };
const CARDS = { '17': { amount: 56.5, hour: 8 }, '18': { amount: 212.67, hour: 23 } };

function table(columns: Record<string, unknown[]>, textCells = false): ColumnsPayload {
  return { kind: 'columns', columns: new Map(Object.entries(columns)), rowCount: Object.values(columns)[0]?.length ?? 0, textCells };
}
const columnsOf = (t: ColumnsPayload) => Object.fromEntries(t.columns);

describe('enrichTable', () => {
  it('sends every request column as entities in one read and adds each feature as a column', async () => {
    const store = fakeFeatureStore('card_id', CARDS, ['amount', 'hour']);
    const enriched = await enrichTable(table({ card_id: [17, 18], country: ['LK', 'US'] }), SPEC, store.fetch);
    expect(store.calls).toEqual([{ project: 'fraud', request: { entities: { card_id: [17, 18], country: ['LK', 'US'] }, feature_service: 'fraud_features' } }]);
    expect(columnsOf(enriched.table)).toEqual({ card_id: [17, 18], country: ['LK', 'US'], amount: [56.5, 212.67], hour: [8, 23] });
    expect(enriched.fetched.get('amount')).toEqual(['PRESENT', 'PRESENT']);
    // The echoed join key is the caller's column, not a fetched one.
    expect(enriched.fetched.has('card_id')).toBe(false);
    expect(enriched.describeRow(1)).toBe('card_id=18');
  });

  it("keeps the caller's values over the store's, filling only the cells it left empty", async () => {
    const store = fakeFeatureStore('card_id', CARDS, ['amount', 'hour']);
    const enriched = await enrichTable(table({ card_id: [17, 18], amount: [1000, null] }), SPEC, store.fetch);
    expect(columnsOf(enriched.table).amount).toEqual([1000, 212.67]);
    expect(enriched.fetched.get('amount')).toEqual([undefined, 'PRESENT']);
  });

  it('records the status of every row the store could not fill', async () => {
    const store = fakeFeatureStore('card_id', { ...CARDS, '19': { amount: null, hour: 3 } }, ['amount', 'hour'], new Set(['18']));
    const enriched = await enrichTable(table({ card_id: [17, 18, 19, 99] }), SPEC, store.fetch);
    expect(columnsOf(enriched.table).amount).toEqual([56.5, null, null, null]);
    expect(enriched.fetched.get('amount')).toEqual(['PRESENT', 'OUTSIDE_MAX_AGE', 'NULL_VALUE', 'NOT_FOUND']);
    expect(enriched.describeRow(3)).toBe('card_id=99');
  });

  it('sends only the entity_keys when the deployment names them, and asks for full names when told to', async () => {
    const store = fakeFeatureStore('card_id', CARDS, ['amount']);
    const enriched = await enrichTable(table({ card_id: [17], country: ['LK'] }), { ...SPEC, entity_keys: ['card_id'], full_feature_names: true }, store.fetch);
    expect(store.calls[0]!.request).toEqual({ entities: { card_id: [17] }, feature_service: 'fraud_features', full_feature_names: true });
    expect(columnsOf(enriched.table)).toEqual({ card_id: [17], country: ['LK'], card_stats__amount: [56.5] });
  });

  it('refuses a request without a named entity key, or without any column, before reading the store', async () => {
    const store = fakeFeatureStore('card_id', CARDS, ['amount']);
    await expect(enrichTable(table({ country: ['LK'] }), { ...SPEC, entity_keys: ['card_id'] }, store.fetch)).rejects.toThrow(
      new ServingError(400, "the request has no column 'card_id', an entity key this deployment looks up feature service 'fraud_features' by (it sent 'country')"),
    );
    const empty: ColumnsPayload = { kind: 'columns', columns: new Map(), rowCount: 1, textCells: false };
    await expect(enrichTable(empty, SPEC, store.fetch)).rejects.toThrow(/no columns to look up feature service 'fraud_features' by/);
    expect(store.calls).toEqual([]);
  });

  it('sends OIP bigints and CSV text as the feature store takes them, and matches the echo', async () => {
    const store = fakeFeatureStore('card_id', CARDS, ['amount']);
    const big = 2n ** 60n;
    const fromOip = await enrichTable(table({ card_id: [17n, big] }), SPEC, store.fetch);
    expect(store.calls[0]!.request.entities.card_id).toEqual([17, big.toString()]);
    expect(fromOip.fetched.has('card_id')).toBe(false);
    const fromCsv = await enrichTable(table({ card_id: ['17'] }, true), SPEC, store.fetch);
    expect(fromCsv.describeRow(0)).toBe('card_id=17');
    expect(fromCsv.table.textCells).toBe(true);
  });

  it('treats an answer that does not fit the request as a server fault', async () => {
    const short: GetOnlineFeaturesResponse = { metadata: { feature_names: ['amount'] }, results: [{ values: [], statuses: [], event_timestamps: [] }] };
    const error = await enrichTable(table({ card_id: [17] }), SPEC, async () => short).catch((err: unknown) => err);
    expect(error).not.toBeInstanceOf(ServingError);
    expect((error as Error).message).toBe("the feature store answered 0 values for 'amount' where the request has 1 rows");
  });
});
