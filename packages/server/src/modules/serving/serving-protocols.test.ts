import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../app/test-support/test-app.js';
import { expectedPredictions, publishModel, type ExpectedPredictions } from './test-support/publish-model.js';

const API = '/api/capstan/v1';

/**
 * A model registered from a run goes live with one call and answers every protocol with the same
 * predictions: the ones scikit-learn's weights give (fixtures/models/serving/*\/expected.json).
 */
describe('serving a registered model over every protocol', () => {
  let t: TestApp;
  let expected: ExpectedPredictions;
  let tabular: ExpectedPredictions;
  const rows = () => expected.rows as number[][];

  beforeAll(async () => {
    t = await createTestApp('sqlite');
    await publishModel(t, 'serving/logreg-30', 'fraud');
    await t.mlflow('POST', '/registered-models/alias', { name: 'fraud', alias: 'champion', version: '1' });
    await publishModel(t, 'serving/fraud-tabular', 'fraud-tabular');
    expected = await expectedPredictions('serving/logreg-30');
    tabular = await expectedPredictions('serving/fraud-tabular');
    const created = await t.app.inject({ method: 'POST', url: `${API}/deployments`, payload: { name: 'fraud', spec: { models: [{ uri: 'models:/fraud@champion' }] } } });
    expect(created.statusCode, created.body).toBe(201);
    await t.app.inject({ method: 'POST', url: `${API}/deployments`, payload: { name: 'tabular', spec: { models: [{ uri: 'models:/fraud-tabular/1' }] } } });
    await t.serving.settle();
  });
  afterAll(async () => t?.cleanup());

  const expectProbabilities = (got: number[][], want: number[][]) => {
    expect(got.length).toBe(want.length);
    got.forEach((row, i) => row.forEach((p, j) => expect(p).toBeCloseTo(want[i]![j]!, 5)));
  };

  it('reports the deployment ready, with its version and traffic', async () => {
    const status = await t.app.inject({ method: 'GET', url: `${API}/deployments/fraud/status` });
    expect(status.json().status).toMatchObject({ name: 'fraud', ready: true, versions: [{ version: '1', model_name: 'fraud', state: 'ready', weight: 100, role: 'traffic' }] });
    expect((await t.app.inject({ method: 'GET', url: '/v2/health/ready' })).statusCode).toBe(200);
  });

  it('answers OIP v2 REST with the expected predictions, id echoed', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v2/models/fraud/infer',
      payload: { id: 'r-1', inputs: [{ name: 'input', datatype: 'FP32', shape: [rows().length, 30], data: rows() }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ model_name: 'fraud', model_version: '1', id: 'r-1' });
    const label = body.outputs.find((o: { name: string }) => o.name === 'label');
    expect(label).toMatchObject({ datatype: 'INT64', shape: [rows().length] });
    expect(label.data).toEqual(expected.label);
    const probabilities = body.outputs.find((o: { name: string }) => o.name === 'probabilities');
    const flat = probabilities.data as number[];
    expectProbabilities(rows().map((_, i) => flat.slice(i * 2, i * 2 + 2)), expected.probabilities);
  });

  it('serves /versions/{v} and refuses a version the deployment does not serve with 404', async () => {
    const ok = await t.app.inject({ method: 'POST', url: '/v2/models/fraud/versions/1/infer', payload: { inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 30], data: rows()[0] }] } });
    expect(ok.json().outputs[0].data).toEqual([expected.label[0]]);
    const missing = await t.app.inject({ method: 'POST', url: '/v2/models/fraud/versions/7/infer', payload: { inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 30], data: rows()[0] }] } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toMatch(/does not serve version '7'/);
  });

  it('describes the model in OIP metadata', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v2/models/fraud' });
    expect(res.json()).toEqual({
      name: 'fraud',
      versions: ['1'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 30] }],
      outputs: [
        { name: 'label', datatype: 'INT64', shape: [-1] },
        { name: 'probabilities', datatype: 'FP32', shape: [-1, 2] },
      ],
    });
    expect((await t.app.inject({ method: 'GET', url: '/v2/models/fraud/ready' })).json()).toEqual({ name: 'fraud', ready: true });
    expect((await t.app.inject({ method: 'GET', url: '/v2/models/nope/ready' })).statusCode).toBe(404);
  });

  it('answers Triton binary tensor data requests', async () => {
    const data = Buffer.from(new Float32Array(rows()[0]!).buffer);
    const header = Buffer.from(JSON.stringify({ inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 30], parameters: { binary_data_size: data.length } }], outputs: [{ name: 'label', parameters: { binary_data: true } }] }));
    const res = await t.app.inject({ method: 'POST', url: '/v2/models/fraud/infer', payload: Buffer.concat([header, data]), headers: { 'inference-header-content-length': String(header.length), 'content-type': 'application/octet-stream' } });
    expect(res.statusCode, res.body).toBe(200);
    const headerLength = Number(res.headers['inference-header-content-length']);
    const json = JSON.parse(res.rawPayload.subarray(0, headerLength).toString());
    expect(json.outputs[0]).toMatchObject({ name: 'label', datatype: 'INT64', shape: [1], parameters: { binary_data_size: 8 } });
    expect(res.rawPayload.subarray(headerLength).readBigInt64LE(0)).toBe(BigInt(expected.label[0]!));
  });

  it('answers KServe v1 and MLflow /invocations with the same predictions', async () => {
    const v1 = await t.app.inject({ method: 'POST', url: '/v1/models/fraud:predict', payload: { instances: rows() } });
    expect(v1.statusCode, v1.body).toBe(200);
    expect(v1.json().predictions.map((p: { label: number }) => p.label)).toEqual(expected.label);
    expect((await t.app.inject({ method: 'GET', url: '/v1/models/fraud' })).json()).toEqual({ name: 'fraud', ready: true });

    const columns = Array.from({ length: 30 }, (_, i) => `f${i}`);
    const split = await t.app.inject({ method: 'POST', url: '/serving-endpoints/fraud/invocations', payload: { dataframe_split: { columns, data: rows() } } });
    expect(split.statusCode, split.body).toBe(200);
    expect(split.json().predictions.label).toEqual(expected.label);
    expectProbabilities(split.json().predictions.probabilities, expected.probabilities);

    const records = rows().map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]])));
    const byRecords = await t.app.inject({ method: 'POST', url: '/serving-endpoints/fraud/invocations', payload: { dataframe_records: records } });
    expect(byRecords.json().predictions.label).toEqual(expected.label);

    const csv = [columns.join(','), ...rows().map((r) => r.join(','))].join('\n');
    const byCsv = await t.app.inject({ method: 'POST', url: '/serving-endpoints/fraud/invocations', payload: csv, headers: { 'content-type': 'text/csv' } });
    expect(byCsv.statusCode, byCsv.body).toBe(200);
    expect(byCsv.json().predictions.label).toEqual(expected.label);
  });

  it('maps named columns onto a per-column tabular model, on every protocol', async () => {
    const records = tabular.rows as Record<string, unknown>[];
    const mlflow = await t.app.inject({ method: 'POST', url: '/serving-endpoints/tabular/invocations', payload: { dataframe_records: records } });
    expect(mlflow.statusCode, mlflow.body).toBe(200);
    expect(mlflow.json().predictions.label).toEqual(tabular.label);
    const v1 = await t.app.inject({ method: 'POST', url: '/v1/models/tabular:predict', payload: { instances: records } });
    expect(v1.statusCode, v1.body).toBe(200);
    expect(v1.json().predictions.map((p: { label: number }) => p.label)).toEqual(tabular.label);
    const oip = await t.app.inject({
      method: 'POST',
      url: '/v2/models/tabular/infer',
      payload: {
        inputs: [
          { name: 'amount', datatype: 'FP64', shape: [records.length], data: records.map((r) => r.amount) },
          { name: 'country', datatype: 'BYTES', shape: [records.length], data: records.map((r) => r.country) },
          { name: 'hour', datatype: 'INT64', shape: [records.length], data: records.map((r) => r.hour) },
        ],
      },
    });
    expect(oip.statusCode, oip.body).toBe(200);
    expect(oip.json().outputs.find((o: { name: string }) => o.name === 'label').data).toEqual(tabular.label);
  });

  it('refuses bad input with 400 naming the input, in each protocol\'s shape', async () => {
    const wrongType = await t.app.inject({ method: 'POST', url: '/v2/models/fraud/infer', payload: { inputs: [{ name: 'input', datatype: 'FP64', shape: [1, 30], data: rows()[0] }] } });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().error).toMatch(/input 'input' of model 'fraud' must be FP32, got FP64/);
    const wrongShape = await t.app.inject({ method: 'POST', url: '/v2/models/fraud/infer', payload: { inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 3], data: [1, 2, 3] }] } });
    expect(wrongShape.json().error).toMatch(/must have shape \[-1, 30\]/);
    const missingColumn = await t.app.inject({ method: 'POST', url: '/serving-endpoints/fraud/invocations', payload: { dataframe_split: { columns: ['f0'], data: [[1]] } } });
    expect(missingColumn.statusCode).toBe(400);
    expect(missingColumn.json()).toMatchObject({ error_code: 'BAD_REQUEST' });
    expect(missingColumn.json().message).toMatch(/f1/);
    const plainText = await t.app.inject({ method: 'POST', url: '/serving-endpoints/fraud/invocations', payload: 'f0,f1\n1,2', headers: { 'content-type': 'text/plain' } });
    expect(plainText.statusCode).toBe(415);
    expect(plainText.json()).toEqual({ error_code: 'BAD_REQUEST', message: "content type 'text/plain' is not supported; send application/json or text/csv" });
    const unknown = await t.app.inject({ method: 'POST', url: '/v2/models/ghost/infer', payload: { inputs: [] } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: "unknown deployment 'ghost'" });
  });
});
