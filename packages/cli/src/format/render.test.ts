import type { Run } from '@capstan/contracts';
import { describe, expect, it } from 'vitest';
import { renderExperiments, renderRunDetails, renderRuns } from './render.js';

const run: Run = {
  info: {
    run_id: 'abc',
    run_name: 'first',
    experiment_id: '1',
    status: 'FINISHED',
    lifecycle_stage: 'active',
    start_time: 1_700_000_000_000,
    end_time: '1700000004200',
    artifact_uri: 'mlflow-artifacts:/1/abc/artifacts',
  },
  data: {
    params: [{ key: 'lr', value: '0.1' }],
    metrics: [
      { key: 'loss', value: 0.5, timestamp: 1_700_000_001_000, step: 3 },
      { key: 'acc', value: 'NaN', timestamp: 1_700_000_001_000 },
    ],
    tags: [{ key: 'team', value: 'ml' }],
  },
  inputs: {
    dataset_inputs: [
      { dataset: { name: 'd', digest: 'x1', source_type: 'code', source: '{}' }, tags: [{ key: 'mlflow.data.context', value: 'training' }] },
    ],
  },
};

describe('renderers', () => {
  it('lists experiments', () => {
    const out = renderExperiments([
      { experiment_id: '0', name: 'Default', artifact_location: 'mlflow-artifacts:/0', lifecycle_stage: 'active', creation_time: 1_700_000_000_000 },
    ]);
    expect(out).toBe(
      'EXPERIMENT ID  NAME     STAGE   CREATED               ARTIFACT LOCATION\n' +
        '0              Default  active  2023-11-14T22:13:20Z  mlflow-artifacts:/0\n',
    );
  });

  it('lists runs with their duration', () => {
    expect(renderRuns([run])).toBe(
      'RUN ID  NAME   STATUS    STARTED               DURATION\n' + 'abc     first  FINISHED  2023-11-14T22:13:20Z  4.2s\n',
    );
  });

  it('describes a run section by section, sorted by key', () => {
    const out = renderRunDetails(run);
    expect(out).toContain('status           FINISHED\n');
    expect(out).toContain('Params\nKEY  VALUE\nlr   0.1\n');
    expect(out).toMatch(/Metrics \(latest\)\nKEY\s+VALUE\s+STEP\s+TIMESTAMP\nacc\s+NaN\s+0\s+2023-11-14T22:13:21Z\nloss\s+0\.5\s+3\s+/);
    expect(out).toContain('Tags\nKEY   VALUE\nteam  ml\n');
    expect(out).toMatch(/Dataset inputs\n.*\nd\s+x1\s+code\s+training\n/);
  });

  it('omits empty sections', () => {
    expect(renderRunDetails({ ...run, data: {}, inputs: {} })).not.toContain('Params');
  });
});
