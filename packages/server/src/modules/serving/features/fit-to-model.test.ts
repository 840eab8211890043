import { describe, expect, it } from 'vitest';
import type { DeploymentFeatures } from '@capstan/contracts';
import type { ColumnsPayload } from '../protocol/scoring/scoring-payload.js';
import { expectBadRequest } from '../protocol/scoring/test-support/expect-bad-request.js';
import { IRIS, PER_COLUMN, PER_COLUMN_OPTIONAL } from '../protocol/scoring/test-support/served-views.js';
import { enrichTable, type EnrichedTable } from './enrich-payload.js';
import { fitToModel } from './fit-to-model.js';
import { fakeFeatureStore } from './test-support/fake-feature-store.js';

const SPEC: DeploymentFeatures = { project: 'fraud', feature_service: 'fraud_features' };
const CARDS = { '17': { amount: 56.5, hour: 8 }, '18': { amount: 212.67, hour: 23 } };

async function enriched(columns: Record<string, unknown[]>): Promise<EnrichedTable> {
  const table: ColumnsPayload = { kind: 'columns', columns: new Map(Object.entries(columns)), rowCount: Object.values(columns)[0]!.length, textCells: false };
  return enrichTable(table, SPEC, fakeFeatureStore('card_id', CARDS, ['amount', 'hour']).fetch);
}
const columnsOf = (t: ColumnsPayload) => Object.fromEntries(t.columns);

describe('fitToModel', () => {
  it("keeps exactly the model's signature columns, dropping the keys", async () => {
    const fitted = fitToModel(await enriched({ card_id: [17, 18], country: ['LK', 'US'] }), PER_COLUMN, 'fraud_features');
    expect(columnsOf(fitted)).toEqual({ country: ['LK', 'US'], amount: [56.5, 212.67], hour: [8, 23] });
  });

  it('refuses a required feature the store could not supply, naming the feature, its status and the key', async () => {
    const table = await enriched({ card_id: [18, 99, 98], country: ['US', 'LK', 'LK'] });
    expectBadRequest(
      () => fitToModel(table, PER_COLUMN, 'fraud_features'),
      "feature 'amount' of feature service 'fraud_features' was NOT_FOUND for card_id=99 (row 1, and 1 more row): " +
        "the online store holds no value for that key, and the model requires column 'amount'",
    );
  });

  it('lets a caller-sent value stand in for a feature the store lacks', async () => {
    const fitted = fitToModel(await enriched({ card_id: [99], country: ['LK'], amount: [10], hour: [3] }), PER_COLUMN, 'fraud_features');
    expect(columnsOf(fitted)).toEqual({ country: ['LK'], amount: [10], hour: [3] });
  });

  it('leaves a missing optional feature null, for the model input to read as missing', async () => {
    const fitted = fitToModel(await enriched({ card_id: [99], country: ['LK'] }), PER_COLUMN_OPTIONAL, 'fraud_features');
    expect(columnsOf(fitted)).toEqual({ country: ['LK'], amount: [null], hour: [null] });
  });

  it('takes the input names as columns for a model without a signature', async () => {
    const { signature: _, ...unsigned } = PER_COLUMN;
    const fitted = fitToModel(await enriched({ card_id: [17], country: ['LK'] }), unsigned, 'fraud_features');
    expect([...fitted.columns.keys()]).toEqual(['country', 'amount', 'hour']);
  });

  it('fails as a server fault when the model names no columns', async () => {
    const table = await enriched({ card_id: [17] });
    expect(() => fitToModel(table, IRIS, 'fraud_features')).toThrow(
      "deployment 'iris' fetches features, but version 1 of its model names no columns (no column signature, and its one input 'input' is not a column); log the model with a signature",
    );
  });
});
