import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../adapters/sql/test-support/test-databases.js';
import { localTarget, type ArtifactTestEnv } from './test-support/artifact-targets.js';
import { describeArtifactRoutes } from './test-support/artifact-route-suite.js';

describe.each(TEST_DIALECTS)('on %s', (dialect) => {
  describeArtifactRoutes(localTarget(dialect));
});

describe('with --no-serve-artifacts', () => {
  let env: ArtifactTestEnv;
  beforeAll(async () => {
    env = await localTarget('sqlite').start({ serveArtifacts: false });
  });
  afterAll(async () => env.stop());

  it('answers proxy calls with an explanation, and stores nothing', async () => {
    for (const prefix of ['/api/2.0/mlflow-artifacts', '/ajax-api/2.0/mlflow-artifacts']) {
      const res = await env.t.app.inject({
        method: 'PUT',
        url: `${prefix}/artifacts/0/run/artifacts/disabled-proxy.bin`,
        payload: Buffer.from('bytes'),
        headers: { 'content-type': 'application/octet-stream' },
      });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error_code: 'ENDPOINT_NOT_FOUND', message: expect.stringContaining('--no-serve-artifacts') });
    }
    const list = await env.t.app.inject({ method: 'GET', url: '/api/2.0/mlflow-artifacts/artifacts', query: { path: '0' } });
    expect(list.statusCode).toBe(404);
    expect(await env.strayWrites('disabled-proxy')).toEqual([]);
  });

  it('still answers artifacts/list, with the root and no files', async () => {
    const runId = (await env.t.mlflow('POST', '/runs/create', {})).json().run.info.run_id as string;
    const res = await env.t.mlflow('GET', '/artifacts/list', { run_id: runId });
    expect(res.json()).toEqual({ root_uri: `mlflow-artifacts:/0/${runId}/artifacts` });
  });
});
