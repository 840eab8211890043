import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureRepoDefinition } from '@capstan/contracts';
import { createTestApp, type TestApp } from '../../app/test-support/test-app.js';
import { FEATURES_DEFAULTS } from '../../core/config.js';
import { expectedPredictions, publishModel, type ExpectedPredictions } from './test-support/publish-model.js';

const API = '/api/capstan/v1';
const PROJECT = 'cards';

/** A card's recent spending as the fraud model was trained on it: `amount` and `hour` per card. */
const cardsRepo: FeatureRepoDefinition = {
  project: PROJECT,
  entities: [{ name: 'card', join_keys: [{ name: 'card_id', dtype: 'int64' }] }],
  data_sources: [
    { name: 'card_events', kind: 'file', path: 'card_events', format: 'parquet', timestamp_field: 'event_timestamp' },
    { name: 'card_push', kind: 'push', batch_source: 'card_events' },
  ],
  feature_views: [
    {
      name: 'card_stats',
      entities: ['card'],
      source: 'card_push',
      schema: [
        { name: 'amount', dtype: 'float64' },
        { name: 'hour', dtype: 'int64' },
      ],
      ttl_seconds: 0,
      online: true,
    },
  ],
  on_demand_feature_views: [],
  feature_services: [{ name: 'fraud_features', features: [{ view: 'card_stats' }] }],
};

/**
 * Issue 7's "done means": a deployment that names a feature service answers callers that send only
 * the card's key and the request-time column (country) with the prediction the full row gets, on
 * MLflow, KServe v1 and OIP; an unknown card is a 400 naming the feature and the key; the
 * inference log holds the features the model saw.
 */
describe('a deployment that fetches its features from the feature store', () => {
  let t: TestApp;
  let root: string;
  let tabular: ExpectedPredictions;
  // Cards 17 and 18 hold the features of fixture rows 0 and 3 (labels 1 and 0).
  let rows: { amount: number; country: string; hour: number }[];
  const keyed = () => [
    { card_id: 17, country: rows[0]!.country },
    { card_id: 18, country: rows[3]!.country },
  ];
  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url, payload: payload as object, headers });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'capstan-offline-'));
    t = await createTestApp('sqlite', { features: { ...FEATURES_DEFAULTS, offlineStoreUri: root, schedulerEnabled: false } });
    tabular = await expectedPredictions('serving/fraud-tabular');
    rows = tabular.rows as typeof rows;

    const applied = await post(`${API}/features/apply`, { definition: cardsRepo, base_revision: 0 });
    expect(applied.statusCode, applied.body).toBe(200);
    const now = new Date().toISOString();
    const written = await post(`/feature-server/${PROJECT}/write-to-online-store`, {
      feature_view_name: 'card_stats',
      df: { card_id: [17, 18], amount: [rows[0]!.amount, rows[3]!.amount], hour: [rows[0]!.hour, rows[3]!.hour], event_timestamp: [now, now] },
    });
    expect(written.statusCode, written.body).toBe(200);

    await publishModel(t, 'serving/fraud-tabular', 'fraud-tabular');
    const features = { project: PROJECT, feature_service: 'fraud_features' };
    for (const [name, spec] of [
      ['scored', { models: [{ uri: 'models:/fraud-tabular/1' }], features }],
      ['plain', { models: [{ uri: 'models:/fraud-tabular/1' }] }],
      ['misnamed', { models: [{ uri: 'models:/fraud-tabular/1' }], features: { ...features, feature_service: 'fraud_featurez' } }],
    ] as const) {
      const created = await post(`${API}/deployments`, { name, spec });
      expect(created.statusCode, created.body).toBe(201);
    }
    await t.serving.settle();
  });
  afterAll(async () => {
    await t?.cleanup();
    await rm(root, { recursive: true, force: true });
  });

  it('answers MLflow /invocations with only the keys exactly as the full rows', async () => {
    const full = await post('/serving-endpoints/plain/invocations', { dataframe_records: [rows[0], rows[3]] });
    expect(full.statusCode, full.body).toBe(200);
    const byKey = await post('/serving-endpoints/scored/invocations', { dataframe_records: keyed() });
    expect(byKey.statusCode, byKey.body).toBe(200);
    expect(byKey.json()).toEqual(full.json());
    expect(byKey.json().predictions.label).toEqual([tabular.label[0], tabular.label[3]]);

    const split = await post('/serving-endpoints/scored/invocations', { dataframe_split: { columns: ['card_id', 'country'], data: keyed().map((r) => [r.card_id, r.country]) } });
    expect(split.json()).toEqual(full.json());
    const csv = await post('/serving-endpoints/scored/invocations', `card_id,country\n17,${rows[0]!.country}\n18,${rows[3]!.country}\n`, { 'content-type': 'text/csv' });
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.json()).toEqual(full.json());
  });

  it("lets the caller's own value override a stored feature", async () => {
    const overridden = await post('/serving-endpoints/scored/invocations', { dataframe_records: [{ card_id: 17, country: rows[3]!.country, amount: rows[3]!.amount, hour: rows[3]!.hour }] });
    const full = await post('/serving-endpoints/plain/invocations', { dataframe_records: [rows[3]] });
    expect(overridden.json()).toEqual(full.json());
  });

  it('answers KServe v1 instances and OIP columns the same way', async () => {
    const full = await post('/v1/models/plain:predict', { instances: [rows[0], rows[3]] });
    const v1 = await post('/v1/models/scored:predict', { instances: keyed() });
    expect(v1.statusCode, v1.body).toBe(200);
    expect(v1.json()).toEqual(full.json());

    const oip = await post('/v2/models/scored/infer', {
      inputs: [
        { name: 'card_id', datatype: 'INT64', shape: [2], data: [17, 18] },
        { name: 'country', datatype: 'BYTES', shape: [2], data: keyed().map((r) => r.country) },
      ],
    });
    expect(oip.statusCode, oip.body).toBe(200);
    expect(oip.json().outputs.find((o: { name: string }) => o.name === 'label').data).toEqual([tabular.label[0], tabular.label[3]]);
  });

  it('refuses an unknown card with a 400 naming the feature and the key, in each protocol', async () => {
    const message = "feature 'amount' of feature service 'fraud_features' was NOT_FOUND for card_id=99 (row 1): the online store holds no value for that key, and the model requires column 'amount'";
    const mlflow = await post('/serving-endpoints/scored/invocations', { dataframe_records: [keyed()[0], { card_id: 99, country: 'US' }] });
    expect(mlflow.statusCode).toBe(400);
    expect(mlflow.json()).toEqual({ error_code: 'BAD_REQUEST', message });
    const v1 = await post('/v1/models/scored:predict', { instances: [keyed()[0], { card_id: 99, country: 'US' }] });
    expect(v1.statusCode).toBe(400);
    expect(v1.json()).toEqual({ error: message });
  });

  it('refuses a request without the key with a 400 from the feature store', async () => {
    const res = await post('/serving-endpoints/scored/invocations', { dataframe_records: [{ country: 'US' }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/^the feature store refused this request's keys for feature service 'fraud_features' of project 'cards': .*card_id/);
  });

  it('logs the features as the input columns the model saw, for drift monitoring', async () => {
    const request = await post('/serving-endpoints/scored/invocations', { dataframe_records: keyed() }, { 'x-request-id': 'features-logged' });
    expect(request.statusCode, request.body).toBe(200);
    const deadline = Date.now() + 10_000;
    type LoggedRecord = { request_id: string; inputs: Record<string, unknown[]> };
    let logged: LoggedRecord | undefined;
    while (logged === undefined) {
      const log = await t.app.inject({ method: 'GET', url: `${API}/deployments/scored/inference-log?limit=1000` });
      logged = (log.json().records as LoggedRecord[]).find((r) => r.request_id === 'features-logged');
      if (logged === undefined && Date.now() > deadline) throw new Error('the inference log did not catch up');
      await sleep(20);
    }
    expect(Object.keys(logged.inputs).sort()).toEqual(['amount', 'country', 'hour']);
    // The model's amount input is FP32: the logged values are the float32 nearest the stored ones.
    expect(logged.inputs.amount).toEqual([Math.fround(rows[0]!.amount), Math.fround(rows[3]!.amount)]);
    expect(logged.inputs.country).toEqual([rows[0]!.country, rows[3]!.country]);
  });

  it('answers 500 naming the feature service when the deployment names one the project lacks', async () => {
    const res = await post('/serving-endpoints/misnamed/invocations', { dataframe_records: keyed() });
    expect(res.statusCode).toBe(500);
    expect(res.json().message).toBe(
      "inference failed: deployment 'misnamed' could not fetch features from feature service 'fraud_featurez' of project 'cards': Feature service 'fraud_featurez' not found in project 'cards'",
    );
  });

  it('refuses a deployment whose features block is malformed', async () => {
    const res = await post(`${API}/deployments`, { name: 'broken', spec: { models: [{ uri: 'models:/fraud-tabular/1' }], features: { project: PROJECT } } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe('Invalid deployment: spec.features.feature_service: required');
  });
});
