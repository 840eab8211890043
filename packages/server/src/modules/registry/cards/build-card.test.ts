import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../adapters/sql/test-support/test-databases.js';
import { buildLineage } from '../lineage/build-lineage.js';
import { GIT_COMMIT, seedLineage, type SeededLineage } from '../lineage/test-support/seed-lineage.js';
import { openRegistryWorld, type RegistryWorld } from '../lineage/test-support/registry-world.js';
import { buildModelCard } from './build-card.js';
import { ModelCardStore } from './card-store.js';
import { tablesOf } from '../../../ports/sql.js';
import type { ModelCardTables } from './card-tables.js';

const SIGNATURE = {
  inputs: JSON.stringify([{ type: 'double', name: 'amount', required: true }]),
  outputs: JSON.stringify([{ type: 'tensor', 'tensor-spec': { dtype: 'float32', shape: [-1] } }]),
};

describe.each(TEST_DIALECTS)('model cards on %s', (dialect) => {
  let w: RegistryWorld;
  let seeded: SeededLineage;
  beforeAll(async () => {
    w = await openRegistryWorld(dialect);
    seeded = await seedLineage(w, 'fraud');
    // What registration writes when it reads a package's MLmodel (see package-check.ts).
    await w.db.updateTable('model_versions').set({ flavor: 'sklearn', signature: JSON.stringify(SIGNATURE) }).execute();
    await w.t.mlflow('POST', '/registered-models/alias', { name: 'fraud', alias: 'champion', version: '1' });
    await w.t.mlflow('POST', '/model-versions/transition-stage', { name: 'fraud', version: '1', stage: 'Staging', archive_existing_versions: false });
  });
  afterAll(async () => w.cleanup());

  it('generates the card from the registry, the run and the lineage graph', async () => {
    const key = await w.key('fraud', 1);
    const card = await buildModelCard({ db: w.db, runs: w.runs, cards: w.cards }, key);
    const created = await w.db.selectFrom('model_versions').select('creation_timestamp').executeTakeFirstOrThrow();
    expect(card).toEqual({
      name: 'fraud',
      version: '1',
      description: 'Flags fraudulent card payments',
      summary: 'Gradient boosting, trial 3',
      intended_use: 'Scoring card payments',
      owner: 'alice',
      stage: 'Staging',
      aliases: ['champion'],
      created_at: Number(created.creation_timestamp),
      flavor: 'sklearn',
      signature: { inputs: [{ type: 'double', name: 'amount', required: true }], outputs: [{ type: 'tensor', 'tensor-spec': { dtype: 'float32', shape: [-1] } }] },
      training: {
        run_id: seeded.childRunId,
        experiment_id: seeded.experimentId,
        params: { features: 'amount|merchant', lr: '0.1' },
        datasets: [
          { name: 'holdout', digest: 'd2', source: '{"uri": "/data/holdout.csv"}', context: 'evaluation' },
          { name: 'transactions', digest: 'd1', source: '{"uri": "s3://data/transactions.parquet"}', context: 'training' },
        ],
        code_version: GIT_COMMIT,
        source: 'train.py',
      },
      evaluation: { metrics: { auc: 0.93, loss: 0.2 } },
      lineage: await buildLineage({ db: w.db, runs: w.runs }, key),
    });
  });

  it('lets stored edits override generated text, field by field, and keeps them', async () => {
    const key = await w.key('fraud', 1);
    const first = await w.cards.save(key, { summary: 'Scores card payments for fraud.', owner: 'risk-team', limitations: 'Card-present only' }, { editedBy: 'bob', editedAt: 5000 });
    expect(first).toEqual({ before: {}, after: { summary: 'Scores card payments for fraud.', limitations: 'Card-present only', owner: 'risk-team' } });
    const second = await w.cards.save(key, { owner: null }, { editedBy: 'carol', editedAt: 6000 });
    expect(second.before.owner).toBe('risk-team');
    expect(second.after).toEqual({ summary: 'Scores card payments for fraud.', limitations: 'Card-present only' });

    // A store on a fresh view of the database: the edits are rows, not memory.
    const reopened = new ModelCardStore(tablesOf<ModelCardTables>(w.database).db);
    const card = await buildModelCard({ db: w.db, runs: w.runs, cards: reopened }, key);
    expect(card).toMatchObject({
      summary: 'Scores card payments for fraud.',
      limitations: 'Card-present only',
      intended_use: 'Scoring card payments',
      owner: 'alice',
      edited_by: 'carol',
      edited_at: 6000,
    });
    expect(card.out_of_scope_use).toBeUndefined();
  });

  it('describes a version without a run from the registry alone', async () => {
    await w.t.mlflow('POST', '/registered-models/create', { name: 'plain', tags: [{ key: 'owner', value: 'ml-platform' }] });
    await w.t.mlflow('POST', '/model-versions/create', { name: 'plain', source: 's3://models/plain' });
    const card = await buildModelCard({ db: w.db, runs: w.runs, cards: w.cards }, await w.key('plain', 1));
    expect(card).toMatchObject({ name: 'plain', version: '1', owner: 'ml-platform', stage: 'None', aliases: [], flavor: null, signature: null, training: { params: {}, datasets: [] }, evaluation: { metrics: {} } });
    expect(card.summary).toBeUndefined();
    expect(card.lineage.nodes).toHaveLength(2);
  });
});
