import { describe, expect, it } from 'vitest';
import type { Run } from '@capstan/contracts';
import { loadRunAncestry, MAX_PARENT_DEPTH, type RunLookup } from './run-ancestry.js';
import { datasetRelation } from './run-lineage.js';

function fakeRun(id: string, parent?: string): Run {
  return {
    info: { run_id: id, experiment_id: '0', status: 'FINISHED', lifecycle_stage: 'active' },
    data: parent ? { tags: [{ key: 'mlflow.parentRunId', value: parent }] } : {},
  };
}

/** A lookup over fixed runs that records each batch it was asked for. */
function lookupOf(runs: Run[]): { lookup: RunLookup; batches: string[][] } {
  const batches: string[][] = [];
  const byId = new Map(runs.map((r) => [r.info.run_id, r]));
  return {
    batches,
    lookup: async (ids) => {
      batches.push([...ids]);
      return ids.flatMap((id) => byId.get(id) ?? []);
    },
  };
}

describe('run ancestry', () => {
  it('follows parents level by level, at most MAX_PARENT_DEPTH levels up', async () => {
    const chain = Array.from({ length: 14 }, (_, i) => fakeRun(`r${i}`, i < 13 ? `r${i + 1}` : undefined));
    const { lookup, batches } = lookupOf(chain);
    const ancestry = await loadRunAncestry(lookup, ['r0']);
    expect(MAX_PARENT_DEPTH).toBe(10);
    expect(ancestry.runs.map((r) => r.info.run_id)).toEqual(Array.from({ length: 11 }, (_, i) => `r${i}`));
    expect(batches).toEqual(Array.from({ length: 11 }, (_, i) => [`r${i}`]));
    expect(ancestry.missing).toEqual([]);
  });

  it('loads several starting runs in one batch per level, reports missing ids and survives a cycle', async () => {
    const { lookup, batches } = lookupOf([fakeRun('a', 'p'), fakeRun('b', 'p'), fakeRun('p', 'gone'), fakeRun('x', 'y'), fakeRun('y', 'x')]);
    const ancestry = await loadRunAncestry(lookup, ['a', 'b', 'x']);
    expect(batches).toEqual([['a', 'b', 'x'], ['p', 'y'], ['gone']]);
    expect(ancestry.runs.map((r) => r.info.run_id)).toEqual(['a', 'b', 'x', 'p', 'y']);
    expect(ancestry.missing).toEqual(['gone']);
  });
});

describe('dataset relation', () => {
  it('reads mlflow.data.context', () => {
    expect(datasetRelation('training')).toBe('trained_on');
    for (const context of ['evaluation', 'eval', 'test', 'validation', 'Eval']) expect(datasetRelation(context)).toBe('evaluated_on');
    expect(datasetRelation(undefined)).toBe('used_dataset');
    expect(datasetRelation('inference')).toBe('used_dataset');
  });
});
