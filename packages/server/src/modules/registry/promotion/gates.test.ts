import { describe, expect, it } from 'vitest';
import { evaluateGates, parseThreshold } from './gates.js';
import { runWith } from './test-support/promotion-app.js';

describe('promotion gates', () => {
  it('parses the threshold grammar and refuses anything else', () => {
    expect(parseThreshold('metrics.auc>=0.90')).toMatchObject({ key: 'auc', op: '>=', value: 0.9, text: 'metrics.auc >= 0.9' });
    expect(parseThreshold(' metrics.val/rmse < 1e-2 ')).toMatchObject({ key: 'val/rmse', op: '<', value: 0.01 });
    for (const bad of ['auc >= 0.9', 'metrics.auc => 0.9', 'metrics.auc >= x', 'metrics.auc >= 0.9; drop', 'params.lr = 1']) expect(() => parseThreshold(bad)).toThrow(/Invalid threshold/);
  });

  it('compares plain latest values when the runs logged no dataset digests, and says so', () => {
    const [result] = evaluateGates({ non_inferiority: [{ metric: 'rmse', margin: 0.1, direction: 'lower' }] }, { candidate: runWith('c', [['rmse', 1.05]]), holder: runWith('h', [['rmse', 1]]), holderVersion: 1 });
    expect(result).toMatchObject({ passed: true, rule: 'non-inferiority rmse <= holder + 0.1', candidate_value: 1.05, holder_value: 1 });
    expect(result!.detail).toContain('without dataset digests');
  });

  it('fails when candidate and holder share no evaluation dataset, and passes when nobody holds the target', () => {
    const gates = { non_inferiority: [{ metric: 'auc', margin: 0 }] };
    const [apart] = evaluateGates(gates, { candidate: runWith('c', [['auc', 0.99, 'd2']]), holder: runWith('h', [['auc', 0.5, 'd1']]), holderVersion: 3 });
    expect(apart).toMatchObject({ passed: false });
    expect(apart!.detail).toContain('no evaluation of auc on a dataset digest');
    const [first] = evaluateGates(gates, { candidate: runWith('c', [['auc', 0.1]]), holder: undefined, holderVersion: null });
    expect(first).toMatchObject({ passed: true });
  });

  it('fails required metrics and thresholds of a version without a run, and treats NaN as failing', () => {
    const missing = evaluateGates({ required_metrics: ['auc'], thresholds: ['metrics.auc > 0'] }, { candidate: undefined, holder: undefined, holderVersion: null });
    expect(missing.map((g) => [g.passed, g.detail])).toEqual([
      [false, 'metric auc was not logged (the version has no run, so no metrics)'],
      [false, 'metric auc was not logged (the version has no run, so no metrics)'],
    ]);
    const nan = runWith('c', []);
    nan.data.metrics = [{ key: 'auc', value: 'NaN', timestamp: 1 }];
    expect(evaluateGates({ thresholds: ['metrics.auc >= 0'] }, { candidate: nan, holder: undefined, holderVersion: null })[0]!.passed).toBe(false);
  });
});
