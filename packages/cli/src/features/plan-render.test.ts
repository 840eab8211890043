import type { FeaturePlan } from '@capstan/contracts';
import { describe, expect, it } from 'vitest';
import { renderPlan, summarizeApply } from './plan-render.js';

const PLAN: FeaturePlan = {
  project: 'driver_ranking',
  base_revision: 3,
  has_breaking_changes: true,
  deletions: 1,
  changes: [
    { kind: 'entity', name: 'driver', action: 'unchanged' },
    { kind: 'feature_view', name: 'driver_hourly_stats', action: 'update', changed_fields: ['schema', 'ttl_seconds'], breaking: ['conv_rate: float32 -> float64', 'acc_rate removed'] },
    { kind: 'feature_service', name: 'driver_activity', action: 'create' },
    { kind: 'data_source', name: 'old_stats', action: 'delete', breaking: ['deleted'] },
  ],
};

describe('renderPlan', () => {
  it('prints one line per object, then the counts and a breaking-change warning', () => {
    expect(renderPlan(PLAN)).toBe(
      [
        'ACTION     KIND             NAME                 CHANGED             BREAKING',
        'UNCHANGED  entity           driver',
        'UPDATE     feature_view     driver_hourly_stats  schema,ttl_seconds  conv_rate: float32 -> float64; acc_rate removed',
        'CREATE     feature_service  driver_activity',
        'DELETE     data_source      old_stats                                deleted',
        "Plan for project 'driver_ranking' at revision 3: 1 to create, 1 to update, 1 to delete, 1 unchanged.",
        'Breaking: 2 changes break consumers of the objects marked above.',
        '',
      ].join('\n'),
    );
  });

  it('prints only the summary for an empty project', () => {
    expect(renderPlan({ project: 'p', base_revision: 0, has_breaking_changes: false, deletions: 0, changes: [] })).toBe(
      "Plan for project 'p' at revision 0: 0 to create, 0 to update, 0 to delete, 0 unchanged.\n",
    );
  });
});

describe('summarizeApply', () => {
  it('counts what changed', () => {
    expect(summarizeApply({ project: 'p', revision: 4, changes: PLAN.changes })).toBe("Applied project 'p': revision 4 (1 created, 1 updated, 1 deleted).\n");
  });
});
