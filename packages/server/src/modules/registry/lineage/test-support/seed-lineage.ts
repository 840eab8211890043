import type { RegistryWorld } from './registry-world.js';

export const GIT_COMMIT = '0123456789abcdef0123456789abcdef01234567';

export const TRAINING_DATASET = {
  name: 'transactions',
  digest: 'd1',
  source_type: 's3',
  source: '{"uri": "s3://data/transactions.parquet"}',
  schema: '{"mlflow_colspec": [{"type": "double", "name": "amount"}]}',
  profile: '{"num_rows": 1000}',
};
export const EVALUATION_DATASET = { name: 'holdout', digest: 'd2', source_type: 'local', source: '{"uri": "/data/holdout.csv"}' };

export interface SeededLineage {
  experimentId: string;
  parentRunId: string;
  childRunId: string;
}

/**
 * A sweep (parent run) with one trial (child run) that logged params, metrics, a training and an
 * evaluation dataset and its git commit; version 1 of `<model>` registered from the trial.
 */
export async function seedLineage(w: RegistryWorld, model: string): Promise<SeededLineage> {
  const call = async (method: 'POST' | 'GET', path: string, body: Record<string, unknown>) => {
    const response = await w.t.mlflow(method, path, body);
    if (response.statusCode !== 200) throw new Error(`${path}: ${response.body}`);
    return response.json() as Record<string, unknown> & { run: { info: { run_id: string } } };
  };
  const experimentId = (await call('POST', '/experiments/create', { name: `${model}-experiments` })).experiment_id as string;
  const user = { key: 'mlflow.user', value: 'alice' };
  const parentRunId = (await call('POST', '/runs/create', { experiment_id: experimentId, run_name: 'sweep', start_time: 500, tags: [user] })).run.info.run_id;
  const childRunId = (
    await call('POST', '/runs/create', {
      experiment_id: experimentId,
      run_name: 'trial-3',
      start_time: 1000,
      tags: [
        user,
        { key: 'mlflow.parentRunId', value: parentRunId },
        { key: 'mlflow.source.git.commit', value: GIT_COMMIT },
        { key: 'mlflow.source.git.repoURL', value: 'https://git.example.com/fraud.git' },
        { key: 'mlflow.source.name', value: 'train.py' },
      ],
    })
  ).run.info.run_id;
  await call('POST', '/runs/log-batch', {
    run_id: childRunId,
    params: [
      { key: 'lr', value: '0.1' },
      { key: 'features', value: 'amount|merchant' },
    ],
    metrics: [
      { key: 'auc', value: 0.9, timestamp: 1, step: 0 },
      { key: 'auc', value: 0.93, timestamp: 2, step: 1 },
      { key: 'loss', value: 0.2, timestamp: 2, step: 1 },
    ],
  });
  await call('POST', '/runs/log-inputs', {
    run_id: childRunId,
    datasets: [
      { tags: [{ key: 'mlflow.data.context', value: 'training' }], dataset: TRAINING_DATASET },
      { tags: [{ key: 'mlflow.data.context', value: 'evaluation' }], dataset: EVALUATION_DATASET },
    ],
  });
  await call('POST', '/runs/update', { run_id: childRunId, status: 'FINISHED', end_time: 2000 });
  await call('POST', '/registered-models/create', { name: model, description: 'Flags fraudulent card payments', tags: [{ key: 'intended_use', value: 'Scoring card payments' }] });
  await call('POST', '/model-versions/create', { name: model, source: 's3://models/fraud', run_id: childRunId, description: 'Gradient boosting, trial 3' });
  return { experimentId, parentRunId, childRunId };
}
