import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LineageEdge } from '@capstan/contracts';
import { TEST_DIALECTS } from '../../../adapters/sql/test-support/test-databases.js';
import { buildLineage, type LineageContributor } from './build-lineage.js';
import { EVALUATION_DATASET, GIT_COMMIT, seedLineage, TRAINING_DATASET, type SeededLineage } from './test-support/seed-lineage.js';
import { openRegistryWorld, type RegistryWorld } from './test-support/registry-world.js';

const edgeOrder = (a: LineageEdge, b: LineageEdge) => JSON.stringify([a.from, a.relation, a.to]) < JSON.stringify([b.from, b.relation, b.to]) ? -1 : 1;

describe.each(TEST_DIALECTS)('model version lineage on %s', (dialect) => {
  let w: RegistryWorld;
  let seeded: SeededLineage;
  beforeAll(async () => {
    w = await openRegistryWorld(dialect);
    seeded = await seedLineage(w, 'fraud');
  });
  afterAll(async () => w.cleanup());

  it('traces a version to its run, parent run, experiment, datasets and commit', async () => {
    const { childRunId: child, parentRunId: parent, experimentId } = seeded;
    const graph = await buildLineage({ db: w.db, runs: w.runs }, await w.key('fraud', 1));
    const runIds = [child, parent].sort().map((id) => `run:${id}`);
    expect(graph.root).toBe('model_version:fraud/1');
    expect(graph.nodes.map((n) => n.id)).toEqual([
      'registered_model:fraud',
      'model_version:fraud/1',
      ...runIds,
      `experiment:${experimentId}`,
      'dataset:holdout@d2',
      'dataset:transactions@d1',
      `code_version:${GIT_COMMIT}`,
    ]);
    const expectedEdges: LineageEdge[] = [
      { from: 'model_version:fraud/1', to: 'registered_model:fraud', relation: 'version_of' },
      { from: 'model_version:fraud/1', to: `run:${child}`, relation: 'produced_by' },
      { from: `run:${child}`, to: `experiment:${experimentId}`, relation: 'in_experiment' },
      { from: `run:${child}`, to: 'dataset:transactions@d1', relation: 'trained_on' },
      { from: `run:${child}`, to: 'dataset:holdout@d2', relation: 'evaluated_on' },
      { from: `run:${child}`, to: `code_version:${GIT_COMMIT}`, relation: 'code_version' },
      { from: `run:${child}`, to: `run:${parent}`, relation: 'child_of' },
      { from: `run:${parent}`, to: `experiment:${experimentId}`, relation: 'in_experiment' },
    ];
    expect(graph.edges).toEqual(expectedEdges.sort(edgeOrder));

    const node = (id: string) => graph.nodes.find((n) => n.id === id);
    expect(node(`run:${child}`)).toEqual({
      id: `run:${child}`,
      kind: 'run',
      label: 'trial-3',
      attributes: {
        run_id: child,
        run_name: 'trial-3',
        experiment_id: experimentId,
        status: 'FINISHED',
        lifecycle_stage: 'active',
        start_time: 1000,
        end_time: 2000,
        user: 'alice',
        parent_run_id: parent,
        params: { features: 'amount|merchant', lr: '0.1' },
        metrics: { auc: 0.93, loss: 0.2 },
      },
    });
    expect(node('dataset:transactions@d1')).toEqual({ id: 'dataset:transactions@d1', kind: 'dataset', label: 'transactions (d1)', attributes: TRAINING_DATASET });
    expect(node('dataset:holdout@d2')?.attributes).toEqual(EVALUATION_DATASET);
    expect(node(`code_version:${GIT_COMMIT}`)).toEqual({
      id: `code_version:${GIT_COMMIT}`,
      kind: 'code_version',
      label: GIT_COMMIT.slice(0, 12),
      attributes: { commit: GIT_COMMIT, repo_url: 'https://git.example.com/fraud.git', source_name: 'train.py' },
    });
    expect(node('model_version:fraud/1')?.attributes).toMatchObject({ name: 'fraud', version: '1', stage: 'None', status: 'READY', source: 's3://models/fraud', run_id: child, aliases: [] });
    expect(node('registered_model:fraud')?.attributes).toEqual({ name: 'fraud', description: 'Flags fraudulent card payments', tags: { intended_use: 'Scoring card payments' } });
    // Same data, same bytes: clients may diff or cache graphs.
    expect(JSON.stringify(await buildLineage({ db: w.db, runs: w.runs }, await w.key('fraud', 1)))).toBe(JSON.stringify(graph));
  });

  it('gives a version registered without a run only its model nodes', async () => {
    await w.t.mlflow('POST', '/registered-models/create', { name: 'plain' });
    await w.t.mlflow('POST', '/model-versions/create', { name: 'plain', source: 's3://models/plain' });
    const graph = await buildLineage({ db: w.db, runs: w.runs }, await w.key('plain', 1));
    expect(graph.nodes.map((n) => n.id)).toEqual(['registered_model:plain', 'model_version:plain/1']);
    expect(graph.edges).toEqual([{ from: 'model_version:plain/1', to: 'registered_model:plain', relation: 'version_of' }]);
  });

  it('marks a run tracking no longer has instead of dropping the link', async () => {
    await w.t.mlflow('POST', '/registered-models/create', { name: 'orphan' });
    await w.t.mlflow('POST', '/model-versions/create', { name: 'orphan', source: 's3://models/orphan', run_id: 'f'.repeat(32) });
    const graph = await buildLineage({ db: w.db, runs: w.runs }, await w.key('orphan', 1));
    expect(graph.nodes.find((n) => n.kind === 'run')).toEqual({ id: `run:${'f'.repeat(32)}`, kind: 'run', label: 'f'.repeat(32), attributes: { run_id: 'f'.repeat(32), missing: true } });
    expect(graph.edges).toContainEqual({ from: 'model_version:orphan/1', to: `run:${'f'.repeat(32)}`, relation: 'produced_by' });
  });

  it('lets contributors add nodes (deployments later) and drops their dangling edges', async () => {
    const deployments: LineageContributor = async (subject, graph) => {
      graph.addNode({ id: 'deployment:fraud-prod', kind: 'deployment', label: 'fraud-prod', attributes: { runs_seen: subject.runs.length } });
      graph.addEdge('deployment:fraud-prod', 'serves', subject.rootId);
      graph.addEdge('deployment:fraud-prod', 'serves', 'model_version:nowhere/9');
    };
    const graph = await buildLineage({ db: w.db, runs: w.runs, contributors: [deployments] }, await w.key('fraud', 1));
    expect(graph.nodes.at(-1)).toEqual({ id: 'deployment:fraud-prod', kind: 'deployment', label: 'fraud-prod', attributes: { runs_seen: 2 } });
    expect(graph.edges.filter((e) => e.relation === 'serves')).toEqual([{ from: 'deployment:fraud-prod', to: 'model_version:fraud/1', relation: 'serves' }]);
  });
});
