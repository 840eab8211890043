import { credentials, Client, Metadata, status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVING_DEFAULTS } from '../../core/config.js';
import { createSecureTestApp, type SecureTestApp } from '../security/test-support/secure-app.js';
import { rpc, rpcError } from './protocol/grpc/test-support/oip-grpc-harness.js';
import { expectedPredictions, publishModel, type ExpectedPredictions } from './test-support/publish-model.js';

const SERVING = { ...SERVING_DEFAULTS, grpcPort: 0, reconcileIntervalMs: 3_600_000 };

interface InferResponse {
  model_name: string;
  model_version: string;
  outputs: { name: string; datatype: string; shape: string[] }[];
  raw_output_contents: Buffer[];
}

/** The platform server's OIP gRPC listener: the same predictions as REST, behind infer tokens. */
describe('OIP gRPC on the platform server', () => {
  let t: SecureTestApp;
  let client: Client;
  let expected: ExpectedPredictions;
  let inferToken: string;
  let readToken: string;

  beforeAll(async () => {
    t = await createSecureTestApp('sqlite', {}, { serving: SERVING });
    const ops = await t.userWithToken('ops');
    await t.admin('PUT', '/workspaces/default/members', { user: 'ops', role: 'editor' });
    await publishModel(t, 'serving/logreg-30', 'fraud', ops);
    expected = await expectedPredictions('serving/logreg-30');
    const created = await t.call(ops, 'POST', '/api/capstan/v1/deployments', { name: 'fraud', spec: { models: [{ uri: 'models:/fraud/1' }] } });
    expect(created.statusCode, created.body).toBe(201);
    await t.serving.settle();
    inferToken = String((await t.admin('POST', '/tokens', { user: 'ops', name: 'infer', scopes: ['infer'] })).token);
    readToken = String((await t.admin('POST', '/tokens', { user: 'ops', name: 'read', scopes: ['read'] })).token);
    client = new Client(`127.0.0.1:${t.serving.grpcPort()}`, credentials.createInsecure());
  });
  afterAll(async () => {
    client?.close();
    await t?.cleanup();
  });

  const bearer = (token: string) => {
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${token}`);
    return metadata;
  };
  const request = () => {
    const rows = expected.rows as number[][];
    return {
      model_name: 'fraud',
      inputs: [{ name: 'input', datatype: 'FP32', shape: [rows.length, 30], contents: { fp32_contents: rows.flat() } }],
    };
  };

  it('answers ModelInfer with the expected predictions', async () => {
    const { response } = await rpc<InferResponse>(client, 'ModelInfer', request(), bearer(inferToken));
    expect(response).toMatchObject({ model_name: 'fraud', model_version: '1' });
    const labelAt = response.outputs.findIndex((o) => o.name === 'label');
    const raw = response.raw_output_contents[labelAt]!;
    const labels = Array.from({ length: raw.length / 8 }, (_, i) => Number(raw.readBigInt64LE(i * 8)));
    expect(labels).toEqual(expected.label);
  });

  it('refuses callers without an infer token', async () => {
    expect((await rpcError(rpc(client, 'ModelInfer', request()))).code).toBe(status.UNAUTHENTICATED);
    expect((await rpcError(rpc(client, 'ModelInfer', request(), bearer(readToken)))).code).toBe(status.PERMISSION_DENIED);
  });

  it('reports an unknown model as NOT_FOUND', async () => {
    const error = await rpcError(rpc(client, 'ModelInfer', { ...request(), model_name: 'ghost' }, bearer(inferToken)));
    expect(error.code).toBe(status.NOT_FOUND);
  });
});
