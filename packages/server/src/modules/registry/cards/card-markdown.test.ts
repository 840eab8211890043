import { describe, expect, it } from 'vitest';
import type { ModelCard } from '@capstan/contracts';
import { renderModelCardMarkdown } from './card-markdown.js';
import { escapeCell, markdownTable } from './markdown-table.js';

const card: ModelCard = {
  name: 'fraud',
  version: '3',
  description: 'Flags fraudulent card payments',
  summary: 'Gradient boosting over | separated features',
  intended_use: 'Scoring card payments',
  limitations: 'Card-present only',
  owner: 'risk-team',
  stage: 'Production',
  aliases: ['champion', 'live'],
  created_at: Date.UTC(2025, 0, 2),
  flavor: 'sklearn',
  signature: { inputs: [{ type: 'double', name: 'amount' }], outputs: [{ type: 'tensor', 'tensor-spec': { dtype: 'float32', shape: [-1] } }] },
  training: {
    run_id: 'abc',
    experiment_id: '1',
    params: { features: 'amount|merchant', note: 'line one\nline two' },
    datasets: [{ name: 'transactions', digest: 'd1', source: 's3://data/t.parquet', context: 'training' }],
    code_version: 'deadbeef',
    source: 'train.py',
  },
  evaluation: { metrics: { auc: 0.93 } },
  lineage: {
    root: 'model_version:fraud/3',
    nodes: [
      { id: 'model_version:fraud/3', kind: 'model_version', label: 'fraud v3', attributes: {} },
      { id: 'run:abc', kind: 'run', label: 'trial_*3*', attributes: {} },
    ],
    edges: [{ from: 'model_version:fraud/3', to: 'run:abc', relation: 'produced_by' }],
  },
  edited_by: 'bob',
  edited_at: Date.UTC(2025, 0, 3),
};

describe('model card markdown', () => {
  it('has every section, in order, with escaped table cells', () => {
    const md = renderModelCardMarkdown(card);
    const headings = md.split('\n').filter((l) => l.startsWith('#'));
    expect(headings).toEqual([
      '# Model card: fraud version 3',
      '## Summary',
      '## Intended use',
      '## Out-of-scope use',
      '## Limitations',
      '## Ethical considerations',
      '## Owner',
      '## Training',
      '### Training data',
      '### Parameters',
      '## Evaluation metrics',
      '## Signature',
      '### Inputs',
      '### Outputs',
      '## Lineage',
    ]);
    expect(md).toContain('| Production | champion, live | sklearn | 2025-01-02T00:00:00.000Z |');
    expect(md).toContain('Flags fraudulent card payments');
    expect(md).toContain('## Out-of-scope use\n\n_Not documented yet._');
    expect(md).toContain('| features | amount\\|merchant |');
    expect(md).toContain('| note | line one<br>line two |');
    expect(md).toContain('| transactions | d1 | training | s3://data/t.parquet |');
    expect(md).toContain('| auc | 0.93 |');
    expect(md).toContain('| amount | double | - | yes |');
    expect(md).toContain('| #0 | tensor (float32) | [-1] | yes |');
    expect(md).toContain('- Run: `abc` in experiment 1\n- Code version: `deadbeef`\n- Source: train.py');
    expect(md).toContain('- model version fraud v3 **produced by** run trial\\_\\*3\\*');
    expect(md).toContain('_Card text last edited by bob on 2025-01-03T00:00:00.000Z._');
    expect(md.endsWith('\n')).toBe(true);
  });

  it('says what is unknown rather than leaving sections empty', () => {
    const bare: ModelCard = { ...card, signature: null, training: { params: {}, datasets: [] }, evaluation: { metrics: {} } };
    delete bare.edited_by;
    delete bare.edited_at;
    const md = renderModelCardMarkdown(bare);
    expect(md).toContain('registered without a run');
    expect(md).toContain('No metrics were logged.');
    expect(md).toContain('The package declares no signature.');
    expect(md).not.toContain('last edited');
  });

  it('escapes pipes, backslashes and line breaks in cells', () => {
    expect(escapeCell('a|b\\c\r\nd\ne')).toBe('a\\|b\\\\c<br>d<br>e');
    expect(markdownTable(['k', 'v'], [['x|y', '1']])).toBe('| k | v |\n| --- | --- |\n| x\\|y | 1 |');
  });
});
