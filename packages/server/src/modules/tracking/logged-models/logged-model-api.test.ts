import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../adapters/sql/test-support/test-databases.js';
import { createTestApp, type TestApp } from '../../../app/test-support/test-app.js';
import { createExperiment, createModel, createRun, expectError, getModel, ok } from './test-support/logged-model-helpers.js';

const missing = (name: string) => `Missing value for required parameter '${name}'. See the API docs for more information about request parameters.`;

describe.each(TEST_DIALECTS)('MLflow logged-model API on %s', (dialect) => {
  let t: TestApp;
  let experimentId: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    experimentId = await createExperiment(t, 'logged-models');
  });
  afterAll(async () => t.cleanup());

  describe('create and get', () => {
    it('generates a name when none (or an empty one) is given, and leaves unset fields out', async () => {
      for (const body of [{ experiment_id: experimentId }, { experiment_id: experimentId, name: '' }]) {
        const model = await createModel(t, body);
        expect(model.info.name).toMatch(/^[a-z]+-[a-z]+-\d{1,3}$/);
        expect(Object.keys(model.info)).toEqual([
          'model_id',
          'experiment_id',
          'name',
          'creation_timestamp_ms',
          'last_updated_timestamp_ms',
          'artifact_uri',
          'status',
        ]);
        expect(model.data).toEqual({});
      }
    });

    it('stores model_type and reads the same model back under both API prefixes', async () => {
      const model = await createModel(t, { experiment_id: experimentId, name: 'agent', model_type: 'Agent' });
      expect(model.info.model_type).toBe('Agent');
      expect(await getModel(t, model.info.model_id)).toEqual(model);
      const ajax = await t.app.inject({ method: 'GET', url: `/ajax-api/2.0/mlflow/logged-models/${model.info.model_id}` });
      expect(ajax.json().model).toEqual(model);
    });

    it('creates models in experiment 0 under its artifact root', async () => {
      const model = await createModel(t, { experiment_id: '0', name: 'in-default' });
      expect(model.info.artifact_uri).toBe(`mlflow-artifacts:/0/models/${model.info.model_id}/artifacts`);
    });

    it('rejects what MLflow rejects', async () => {
      const create = (body: Record<string, unknown>) => t.mlflow('POST', '/logged-models', body);
      expectError(await create({ name: 'x' }), 400, 'INVALID_PARAMETER_VALUE', missing('experiment_id'));
      expectError(await create({ experiment_id: 7 }), 400, 'INVALID_PARAMETER_VALUE', /^Invalid value 7 for parameter 'experiment_id' supplied/);
      expectError(await create({ experiment_id: '987654' }), 404, 'RESOURCE_DOES_NOT_EXIST', 'No Experiment with id=987654 exists');
      expectError(await create({ experiment_id: 'abc' }), 404, 'RESOURCE_DOES_NOT_EXIST', 'No Experiment with id=abc exists');
      expectError(
        await create({ experiment_id: experimentId, name: 'my/model' }),
        400,
        'INVALID_PARAMETER_VALUE',
        "Invalid model name ('my/model') provided. Model name must be a non-empty string and cannot contain the following " +
          `characters: ('/', ':', '.', '%', '"', "'")`,
      );
      const repeated = [
        { key: 'a', value: '1' },
        { key: 'a', value: '2' },
      ];
      expectError(await create({ experiment_id: experimentId, params: repeated }), 400, 'BAD_REQUEST', "Logged model params must have unique keys; repeated: ['a'].");
      expectError(await create({ experiment_id: experimentId, tags: repeated }), 400, 'BAD_REQUEST', "Logged model tags must have unique keys; repeated: ['a'].");
      expectError(await create({ experiment_id: experimentId, tags: [{ value: 'v' }] }), 400, 'INVALID_PARAMETER_VALUE', missing('key'));
      expectError(
        await create({ experiment_id: experimentId, tags: [{ key: 'k'.repeat(256), value: 'v' }] }),
        400,
        'INVALID_PARAMETER_VALUE',
        /^Tag key 'k+' had length 256, which exceeded length limit of 255$/,
      );
    });

    it('refuses new models in a deleted experiment', async () => {
      const deletedId = await createExperiment(t, 'gone');
      await ok(t.mlflow('POST', '/experiments/delete', { experiment_id: deletedId }));
      expectError(
        await t.mlflow('POST', '/logged-models', { experiment_id: deletedId }),
        400,
        'INVALID_PARAMETER_VALUE',
        `The experiment ${deletedId} must be in the 'active' state. Current state is deleted.`,
      );
    });

    it('answers RESOURCE_DOES_NOT_EXIST for an unknown model on every model route', async () => {
      const message = "Logged model with ID 'm-unknown' not found.";
      const calls = [
        () => t.mlflow('GET', '/logged-models/m-unknown'),
        () => t.mlflow('PATCH', '/logged-models/m-unknown', { status: 'LOGGED_MODEL_READY' }),
        () => t.mlflow('DELETE', '/logged-models/m-unknown'),
        () => t.mlflow('PATCH', '/logged-models/m-unknown/tags', { tags: [{ key: 'a', value: 'b' }] }),
        () => t.mlflow('DELETE', '/logged-models/m-unknown/tags/a'),
        () => t.mlflow('POST', '/logged-models/m-unknown/params', { params: [{ key: 'a', value: 'b' }] }),
        () => t.mlflow('GET', '/logged-models/m-unknown/artifacts/directories'),
      ];
      // One at a time: the suites share the app's connection pool with nothing else to gain from parallel calls.
      for (const call of calls) expectError(await call(), 404, 'RESOURCE_DOES_NOT_EXIST', message);
    });
  });

  describe('finalize', () => {
    it('moves a pending model to READY or UPLOAD_FAILED, by name or by enum number', async () => {
      const model = await createModel(t, { experiment_id: experimentId });
      const id = model.info.model_id;
      const failed = await ok(t.mlflow('PATCH', `/logged-models/${id}`, { model_id: id, status: 'LOGGED_MODEL_UPLOAD_FAILED' }));
      expect((failed.model as typeof model).info.status).toBe('LOGGED_MODEL_UPLOAD_FAILED');
      const ready = await ok(t.mlflow('PATCH', `/logged-models/${id}`, { status: 2 }));
      expect((ready.model as typeof model).info).toMatchObject({ status: 'LOGGED_MODEL_READY', creation_timestamp_ms: model.info.creation_timestamp_ms });
      expect((await getModel(t, id)).info.status).toBe('LOGGED_MODEL_READY');
    });

    it('rejects a missing, unknown or non-final status', async () => {
      const id = (await createModel(t, { experiment_id: experimentId })).info.model_id;
      const finalize = (body: Record<string, unknown>) => t.mlflow('PATCH', `/logged-models/${id}`, body);
      expectError(await finalize({ model_id: id }), 400, 'INVALID_PARAMETER_VALUE', missing('status'));
      expectError(await finalize({ status: 'READY' }), 400, 'INVALID_PARAMETER_VALUE', /^Invalid value "READY" for parameter 'status' supplied/);
      expectError(await finalize({ status: 9 }), 400, 'INVALID_PARAMETER_VALUE', /^Invalid value 9 for parameter 'status' supplied/);
      for (const status of ['LOGGED_MODEL_PENDING', 'LOGGED_MODEL_STATUS_UNSPECIFIED']) {
        expectError(
          await finalize({ status }),
          400,
          'INVALID_PARAMETER_VALUE',
          `Invalid status '${status}' for finalizing a logged model: it must be LOGGED_MODEL_READY or LOGGED_MODEL_UPLOAD_FAILED.`,
        );
      }
      expect((await getModel(t, id)).info.status).toBe('LOGGED_MODEL_PENDING');
    });
  });

  describe('delete', () => {
    it('soft-deletes: the model is gone from get and search, but allow_deleted still reads it', async () => {
      const model = await createModel(t, { experiment_id: experimentId, name: 'doomed' });
      const id = model.info.model_id;
      // The Python client sends the id in a JSON body as well as in the path.
      expect(await ok(t.mlflow('DELETE', `/logged-models/${id}`, { model_id: id }))).toEqual({});
      expectError(await t.mlflow('GET', `/logged-models/${id}`), 404, 'RESOURCE_DOES_NOT_EXIST', `Logged model with ID '${id}' not found.`);
      expectError(await t.mlflow('GET', `/logged-models/${id}/artifacts/directories`), 404, 'RESOURCE_DOES_NOT_EXIST');
      const kept = (await ok(t.mlflow('GET', `/logged-models/${id}`, { allow_deleted: 'True' }))).model as typeof model;
      expect(kept.info.name).toBe('doomed');
      expect(kept.info.last_updated_timestamp_ms).toBeGreaterThanOrEqual(model.info.last_updated_timestamp_ms as number);
      const search = await ok(t.mlflow('POST', '/logged-models/search', { experiment_ids: [experimentId], filter: "name = 'doomed'" }));
      expect(search).toEqual({});
      // Deleting again is not an error in MLflow either.
      expect(await ok(t.mlflow('DELETE', `/logged-models/${id}`))).toEqual({});
    });
  });

  describe('tags', () => {
    it('sets (last value wins), overwrites and deletes tags; set answers {} as MLflow does', async () => {
      const id = (await createModel(t, { experiment_id: experimentId, tags: [{ key: 'stage', value: 'dev' }] })).info.model_id;
      const set = await ok(
        t.mlflow('PATCH', `/logged-models/${id}/tags`, {
          tags: [
            { key: 'stage', value: 'staging' },
            { key: 'owner', value: 'ana' },
            { key: 'owner', value: 'bo' },
          ],
        }),
      );
      expect(set).toEqual({});
      expect((await getModel(t, id)).info.tags).toEqual([
        { key: 'owner', value: 'bo' },
        { key: 'stage', value: 'staging' },
      ]);
      expect(await ok(t.mlflow('DELETE', `/logged-models/${id}/tags/owner`))).toEqual({});
      expect((await getModel(t, id)).info.tags).toEqual([{ key: 'stage', value: 'staging' }]);
    });

    it('reads tag keys with dots and spaces from the path', async () => {
      const id = (await createModel(t, { experiment_id: experimentId, tags: [{ key: 'mlflow.model is.external', value: 'true' }] })).info.model_id;
      await ok(t.mlflow('DELETE', `/logged-models/${id}/tags/${encodeURIComponent('mlflow.model is.external')}`));
      expect((await getModel(t, id)).info.tags).toBeUndefined();
    });

    it("reports a missing tag with MLflow's message", async () => {
      const id = (await createModel(t, { experiment_id: experimentId })).info.model_id;
      expectError(await t.mlflow('DELETE', `/logged-models/${id}/tags/nope`), 404, 'RESOURCE_DOES_NOT_EXIST', `No tag with key 'nope' found for model with ID '${id}'.`);
      expectError(
        await t.mlflow('DELETE', `/logged-models/${id}/tags/${encodeURIComponent("it's")}`),
        404,
        'RESOURCE_DOES_NOT_EXIST',
        `No tag with key "it's" found for model with ID '${id}'.`,
      );
    });
  });

  describe('metrics', () => {
    it('holds every point logged against the model, with NaN spelled as proto-JSON does', async () => {
      const id = (await createModel(t, { experiment_id: experimentId })).info.model_id;
      const runId = await createRun(t, experimentId);
      const metrics = [
        { key: 'loss', value: 'NaN', timestamp: 5, step: 1, model_id: id },
        { key: 'loss', value: 0.5, timestamp: 4, step: 0, model_id: id },
        { key: 'run-only', value: 1, timestamp: 4, step: 0 },
      ];
      await ok(t.mlflow('POST', '/runs/log-batch', { run_id: runId, metrics }));
      expect((await getModel(t, id)).data?.metrics).toEqual([
        { key: 'loss', value: 0.5, timestamp: 4, step: 0, model_id: id, run_id: runId },
        { key: 'loss', value: 'NaN', timestamp: 5, step: 1, model_id: id, run_id: runId },
      ]);
    });
  });

  describe('params', () => {
    it('adds params; re-sending a value is a no-op and changing one is refused', async () => {
      const id = (await createModel(t, { experiment_id: experimentId, params: [{ key: 'alpha', value: '0.1' }] })).info.model_id;
      expect(await ok(t.mlflow('POST', `/logged-models/${id}/params`, { model_id: id, params: [{ key: 'beta', value: '2' }, { key: 'alpha', value: '0.1' }] }))).toEqual({});
      expectError(
        await t.mlflow('POST', `/logged-models/${id}/params`, { params: [{ key: 'gamma', value: '3' }, { key: 'alpha', value: '0.2' }] }),
        400,
        'BAD_REQUEST',
        `Changing param values is not allowed. Param with key='alpha' was already logged with value='0.1' for logged model ID='${id}'. Attempted logging new value '0.2'.`,
      );
      // The refused request wrote nothing, not even its new key.
      expect((await getModel(t, id)).data?.params).toEqual([
        { key: 'alpha', value: '0.1' },
        { key: 'beta', value: '2' },
      ]);
      expectError(
        await t.mlflow('POST', `/logged-models/${id}/params`, { params: [{ key: 'x', value: '1' }, { key: 'x', value: '1' }] }),
        400,
        'BAD_REQUEST',
        "Logged model params must have unique keys; repeated: ['x'].",
      );
    });
  });
});
