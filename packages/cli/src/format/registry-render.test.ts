import type { LineageGraph, ModelVersion } from '@capstan/contracts';
import { describe, expect, it } from 'vitest';
import { renderLineageTree, renderModelVersions, renderRegisteredModels } from './registry-render.js';

/** Shaped like the server's graphs: edges leave the version, runs point at what they used. */
const graph: LineageGraph = {
  root: 'model_version:iris/3',
  nodes: [
    { id: 'registered_model:iris', kind: 'registered_model', label: 'iris', attributes: { name: 'iris', tags: [] } },
    {
      id: 'model_version:iris/3',
      kind: 'model_version',
      label: 'iris v3',
      attributes: { name: 'iris', version: '3', stage: 'Production', status: 'READY', aliases: ['champion'], flavor: 'onnx', created_at: 1 },
    },
    { id: 'run:r2', kind: 'run', label: 'tuned', attributes: { run_id: 'r2', status: 'FINISHED', params: { lr: '0.1' }, parent_run_id: 'r1' } },
    { id: 'run:r1', kind: 'run', label: 'sweep', attributes: { run_id: 'r1', status: 'RUNNING' } },
    { id: 'experiment:7', kind: 'experiment', label: 'experiment 7', attributes: { experiment_id: '7' } },
    { id: 'dataset:train@ab12', kind: 'dataset', label: 'train (ab12)', attributes: { name: 'train', digest: 'ab12', source_type: 'local' } },
    { id: 'code_version:deadbeef', kind: 'code_version', label: 'deadbeef', attributes: { commit: 'deadbeefcafe', repo_url: 'https://git/x' } },
    { id: 'deployment:prod', kind: 'deployment', label: 'prod', attributes: { status: 'healthy' } },
  ],
  edges: [
    { from: 'deployment:prod', to: 'model_version:iris/3', relation: 'serves' },
    { from: 'model_version:iris/3', to: 'registered_model:iris', relation: 'version_of' },
    { from: 'model_version:iris/3', to: 'run:r2', relation: 'produced_by' },
    { from: 'run:r1', to: 'experiment:7', relation: 'in_experiment' },
    { from: 'run:r2', to: 'code_version:deadbeef', relation: 'code_version' },
    { from: 'run:r2', to: 'dataset:train@ab12', relation: 'trained_on' },
    { from: 'run:r2', to: 'experiment:7', relation: 'in_experiment' },
    { from: 'run:r2', to: 'run:r1', relation: 'child_of' },
  ],
};

describe('renderLineageTree', () => {
  it('prints the graph as an indented tree from the version, with key attributes', () => {
    expect(renderLineageTree(graph)).toBe(
      [
        'model_version iris v3 [stage=Production, status=READY, aliases=champion, flavor=onnx]',
        '  version_of -> registered_model iris',
        '  produced_by -> run tuned [status=FINISHED, run_id=r2]',
        '    code_version -> code_version deadbeef [commit=deadbeefcafe, repo_url=https://git/x]',
        '    trained_on -> dataset train (ab12) [digest=ab12, source_type=local]',
        '    in_experiment -> experiment experiment 7',
        '    child_of -> run sweep [status=RUNNING, run_id=r1]',
        '      in_experiment -> experiment experiment 7 (see above)',
        '  serves <- deployment prod [status=healthy]',
        '',
      ].join('\n'),
    );
  });

  it('terminates on cycles and copes with a bare or inconsistent graph', () => {
    const cyclic: LineageGraph = {
      root: 'run:a',
      nodes: [
        { id: 'run:a', kind: 'run', label: 'a', attributes: {} },
        { id: 'run:b', kind: 'run', label: 'b', attributes: { missing: true } },
      ],
      edges: [
        { from: 'run:a', to: 'run:b', relation: 'child_of' },
        { from: 'run:b', to: 'run:a', relation: 'child_of' },
        { from: 'run:a', to: 'run:gone', relation: 'child_of' },
      ],
    };
    expect(renderLineageTree(cyclic)).toBe('run a\n  child_of -> run b [missing=true]\n    child_of -> run a (see above)\n');
    expect(renderLineageTree({ root: 'model_version:x/1', nodes: [], edges: [] })).toBe("model_version:x/1 (not among the graph's nodes)\n");
  });
});

const v = (version: string, extra: Partial<ModelVersion> = {}): ModelVersion => ({
  name: 'iris',
  version,
  creation_timestamp: 1_700_000_000_000,
  last_updated_timestamp: 1_700_000_000_000,
  current_stage: 'None',
  source: 'runs:/r/model',
  run_id: 'r',
  status: 'READY',
  ...extra,
});

describe('registry tables', () => {
  it('lists registered models with latest versions and aliases', () => {
    expect(
      renderRegisteredModels([
        { name: 'iris', creation_timestamp: 1, last_updated_timestamp: 1_700_000_000_000, latest_versions: [v('2', { current_stage: 'Production' })], aliases: [{ alias: 'champion', version: '2' }] },
        { name: 'empty', creation_timestamp: 1, last_updated_timestamp: 1_700_000_000_000, description: 'nothing yet' },
      ]),
    ).toBe(
      'NAME   LATEST VERSIONS  ALIASES     UPDATED               DESCRIPTION\n' +
        'iris   2 (Production)   champion=2  2023-11-14T22:13:20Z\n' +
        'empty  -                -           2023-11-14T22:13:20Z  nothing yet\n',
    );
  });

  it('lists versions, taking aliases from the model when the versions lack them', () => {
    const out = renderModelVersions([v('2', { aliases: ['a', 'b'] }), v('1')], (x) => x.aliases ?? (x.version === '1' ? ['old'] : []));
    expect(out.split('\n')[0]).toMatch(/^VERSION\s+STAGE\s+STATUS\s+ALIASES\s+CREATED\s+RUN ID\s+SOURCE$/);
    expect(out.split('\n')[1]).toMatch(/^2\s+None\s+READY\s+a,b\s+2023-11-14T22:13:20Z\s+r\s+runs:\/r\/model$/);
    expect(out.split('\n')[2]).toMatch(/^1\s+None\s+READY\s+old\s+/);
  });
});
