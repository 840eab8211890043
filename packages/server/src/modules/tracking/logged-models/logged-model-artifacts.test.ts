import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../adapters/sql/test-support/test-databases.js';
import { createTestApp, type TestApp } from '../../../app/test-support/test-app.js';
import { createExperiment, createModel, expectError, ok, proxiedKey, putArtifact } from './test-support/logged-model-helpers.js';

describe.each(TEST_DIALECTS)('MLflow list_logged_model_artifacts on %s', (dialect) => {
  let t: TestApp;
  let experimentId: string;
  let modelId: string;
  let root: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    experimentId = await createExperiment(t, 'model-artifacts');
    const model = await createModel(t, { experiment_id: experimentId, name: 'files' });
    modelId = model.info.model_id;
    root = model.info.artifact_uri as string;
    const key = proxiedKey(root);
    await putArtifact(t, `${key}/MLmodel`, 'flavors: {}\n');
    await putArtifact(t, `${key}/code/train.py`, 'print(1)\n');
    await putArtifact(t, `${key}/code/lib/util.py`, 'x = 1\n');
  });
  afterAll(async () => t.cleanup());

  const list = (query: Record<string, unknown> = {}) => t.mlflow('GET', `/logged-models/${modelId}/artifacts/directories`, query);

  it('lists the root with paths relative to the model, file sizes only for files', async () => {
    expect(await ok(list())).toEqual({
      root_uri: root,
      files: [
        { path: 'MLmodel', is_dir: false, file_size: 12 },
        { path: 'code', is_dir: true },
      ],
    });
  });

  it('lists a sub-directory, keeping the directory in each path', async () => {
    for (const dir of ['code', 'code/']) {
      expect(await ok(list({ artifact_directory_path: dir }))).toEqual({
        root_uri: root,
        files: [
          { path: 'code/lib', is_dir: true },
          { path: 'code/train.py', is_dir: false, file_size: 9 },
        ],
      });
    }
  });

  it('answers an empty folder, a file or a missing path with the root alone', async () => {
    expect(await ok(list({ artifact_directory_path: 'nothing-here' }))).toEqual({ root_uri: root });
    expect(await ok(list({ artifact_directory_path: 'MLmodel' }))).toEqual({ root_uri: root });
    const empty = await createModel(t, { experiment_id: experimentId });
    expect(await ok(t.mlflow('GET', `/logged-models/${empty.info.model_id}/artifacts/directories`))).toEqual({ root_uri: empty.info.artifact_uri });
  });

  it('refuses paths that leave the model root', async () => {
    for (const bad of ['../other', 'code/../../x', '/etc', 'a#b', 'code%2F..%2F..']) {
      expectError(await list({ artifact_directory_path: bad }), 400, 'INVALID_PARAMETER_VALUE');
    }
  });

  it('lists nothing for a root the server does not proxy', async () => {
    const s3Experiment = await createExperiment(t, 'model-artifacts-s3', 's3://bucket/mlruns');
    const model = await createModel(t, { experiment_id: s3Experiment });
    expect(model.info.artifact_uri).toBe(`s3://bucket/mlruns/models/${model.info.model_id}/artifacts`);
    expect(await ok(t.mlflow('GET', `/logged-models/${model.info.model_id}/artifacts/directories`))).toEqual({ root_uri: model.info.artifact_uri });
  });

  describe('one file, as the UI downloads it', () => {
    const file = (query: Record<string, string>, id = modelId) =>
      t.app.inject({ method: 'GET', url: `/ajax-api/2.0/mlflow/logged-models/${id}/artifacts/files`, query });

    it('sends the file as an attachment with the content type MLflow picks', async () => {
      const res = await file({ artifact_file_path: 'code/train.py' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe('print(1)\n');
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="train.py"/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    });

    it('refuses a missing or unsafe path, an unknown file and an unknown model', async () => {
      expectError(await file({}), 400, 'BAD_REQUEST', 'Request must include the "artifact_file_path" query parameter.');
      expectError(await file({ artifact_file_path: '../../secret' }), 400, 'INVALID_PARAMETER_VALUE');
      expectError(await file({ artifact_file_path: 'code' }), 404, 'RESOURCE_DOES_NOT_EXIST');
      expectError(await file({ artifact_file_path: 'MLmodel' }, 'm-unknown'), 404, 'RESOURCE_DOES_NOT_EXIST', "Logged model with ID 'm-unknown' not found.");
    });
  });
});
