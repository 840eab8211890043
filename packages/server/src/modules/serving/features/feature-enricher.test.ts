import { describe, expect, it } from 'vitest';
import type { DeploymentFeatures } from '@capstan/contracts';
import { notFound } from '../../../core/errors.js';
import { ServingError } from '../engine/inference-engine.js';
import type { Tensor } from '../protocol/datatypes.js';
import type { ScoringPayload } from '../protocol/scoring/scoring-payload.js';
import { IRIS, PER_COLUMN } from '../protocol/scoring/test-support/served-views.js';
import type { OnlineFeaturesFn } from './enrich-payload.js';
import { FeatureEnricher, type ModelInputs } from './feature-enricher.js';
import { fakeFeatureStore } from './test-support/fake-feature-store.js';

const SPEC: DeploymentFeatures = { project: 'fraud', feature_service: 'fraud_features' };
const records = (rows: Record<string, unknown>[]): ScoringPayload => ({
  kind: 'columns',
  columns: new Map(Object.keys(rows[0]!).map((name) => [name, rows.map((r) => r[name] ?? null)])),
  rowCount: rows.length,
  textCells: false,
});

function enricher(fetch: OnlineFeaturesFn | undefined, spec: DeploymentFeatures | undefined = SPEC) {
  return new FeatureEnricher({ featuresOf: (name) => (name === 'scored' ? spec : undefined), onlineFeatures: fetch });
}
const store = () => fakeFeatureStore('card_id', { '17': { amount: 56.5, hour: 8 } }, ['amount', 'hour']);

describe('FeatureEnricher', () => {
  it('feeds the model the fetched features for a table of keys', async () => {
    const inputs = await enricher(store().fetch).scoringInputs('scored', records([{ card_id: 17, country: 'LK' }]));
    expect(inputs(PER_COLUMN)).toEqual([
      { name: 'amount', datatype: 'FP32', shape: [1, 1], data: new Float32Array([56.5]) },
      { name: 'country', datatype: 'BYTES', shape: [1, 1], data: ['LK'] },
      { name: 'hour', datatype: 'INT64', shape: [1, 1], data: new BigInt64Array([8n]) },
    ]);
  });

  it('reads the store once per request, not once per version routing tries', async () => {
    const fake = store();
    const inputs = await enricher(fake.fetch).scoringInputs('scored', records([{ card_id: 17, country: 'LK' }]));
    inputs(PER_COLUMN);
    inputs(PER_COLUMN);
    expect(fake.calls).toHaveLength(1);
  });

  it('leaves deployments without features, and requests that are not tables, as they were', async () => {
    const fake = store();
    const full = records([{ amount: 1, country: 'LK', hour: 2 }]);
    const plain = await enricher(fake.fetch).scoringInputs('other', full);
    expect(plain(PER_COLUMN).map((t) => t.name)).toEqual(['amount', 'country', 'hour']);
    const unnamed = await enricher(fake.fetch).scoringInputs('scored', { kind: 'tensor', data: [[1, 2, 3, 4]] });
    expect(unnamed(IRIS)[0]).toMatchObject({ name: 'input', shape: [1, 4] });
    const tensors: Tensor[] = [{ name: 'input', datatype: 'FP32', shape: [1, 4], data: new Float32Array(4) }];
    expect(await enricher(fake.fetch).oipInputs('scored', tensors)).toBe(tensors);
    expect(fake.calls).toEqual([]);
  });

  it('enriches OIP inputs that are columns', async () => {
    const tensors: Tensor[] = [
      { name: 'card_id', datatype: 'INT64', shape: [1], data: new BigInt64Array([17n]) },
      { name: 'country', datatype: 'BYTES', shape: [1], data: ['LK'] },
    ];
    const inputs = (await enricher(store().fetch).oipInputs('scored', tensors)) as ModelInputs;
    expect(inputs(PER_COLUMN).map((t) => [t.name, Array.from(t.data as ArrayLike<unknown>)])).toEqual([
      ['amount', [56.5]],
      ['country', ['LK']],
      ['hour', [8n]],
    ]);
  });

  it('answers an unknown key with a 400 naming the feature and the key', async () => {
    const inputs = await enricher(store().fetch).scoringInputs('scored', records([{ card_id: 99, country: 'LK' }]));
    expect(() => inputs(PER_COLUMN)).toThrow(new ServingError(400, "feature 'amount' of feature service 'fraud_features' was NOT_FOUND for card_id=99 (row 0): the online store holds no value for that key, and the model requires column 'amount'"));
  });

  it('turns keys the feature store refuses into a 400 and its other failures into a 500', async () => {
    await expect(enricher(store().fetch).scoringInputs('scored', records([{ country: 'LK' }]))).rejects.toThrow(
      new ServingError(400, "the feature store refused this request's keys for feature service 'fraud_features' of project 'fraud': entities lack 'card_id', the join key of feature view 'card_stats'"),
    );
    const gone = await enricher(async () => {
      throw notFound("Feature service 'fraud_features' not found in project 'fraud'");
    })
      .scoringInputs('scored', records([{ card_id: 17 }]))
      .catch((err: unknown) => err);
    expect(gone).not.toBeInstanceOf(ServingError);
    expect((gone as Error).message).toBe(
      "deployment 'scored' could not fetch features from feature service 'fraud_features' of project 'fraud': Feature service 'fraud_features' not found in project 'fraud'",
    );
  });

  it('refuses an empty batch as any tabular request is refused, without reading the store', async () => {
    const fake = store();
    const inputs = await enricher(fake.fetch).scoringInputs('scored', { kind: 'columns', columns: new Map(), rowCount: 0, textCells: false });
    expect(() => inputs(PER_COLUMN)).toThrow(new ServingError(400, 'the request holds no rows; send at least one'));
    expect(fake.calls).toEqual([]);
  });

  it('fails clearly on a server without a feature store', async () => {
    await expect(enricher(undefined).scoringInputs('scored', records([{ card_id: 17 }]))).rejects.toThrow(
      "deployment 'scored' fetches features from project 'fraud', but this server runs without a feature store",
    );
  });
});
