import type { FeatureApplyResponse, FeaturePlan, FeatureRepoDefinition } from '@capstan/contracts';
import { invalidParameter } from '../../../core/errors.js';
import { FeatureRepo } from '../definitions/feature-repo.js';
import { planChanges } from '../definitions/plan.js';
import { compileTransformation } from '../online/transformation.js';
import type { StoredProject } from './registry-store.js';

/** A definition fully checked: shapes (by the caller), references, and that every transformation compiles. */
export function checkedRepo(definition: FeatureRepoDefinition): FeatureRepo {
  const repo = new FeatureRepo(definition);
  for (const view of repo.onDemandViews.values()) compileTransformation(view.name, view.transformation);
  return repo;
}

export function planOf(definition: FeatureRepoDefinition, stored: StoredProject | undefined): FeaturePlan {
  const changes = planChanges(stored?.definition, definition);
  return {
    project: definition.project,
    base_revision: stored?.revision ?? 0,
    changes,
    has_breaking_changes: changes.some((c) => c.breaking?.length),
    deletions: changes.filter((c) => c.action === 'delete').length,
  };
}

/** Views whose online rows no longer fit: deleted, or their join keys changed. */
export function viewsToReset(plan: FeaturePlan, stored: StoredProject | undefined, next: FeatureRepo): string[] {
  if (!stored) return [];
  const before = new FeatureRepo(stored.definition);
  return plan.changes
    .filter((c) => c.kind === 'feature_view' && (c.action === 'delete' || c.action === 'update'))
    .map((c) => c.name)
    .filter((name) => {
      const now = next.views.get(name);
      if (!now) return true;
      const keys = (repo: FeatureRepo, view = repo.views.get(name)!) => repo.joinKeysOf(view).map((k) => `${k.name}:${k.dtype}`).join(',');
      return keys(before) !== keys(next, now);
    });
}

export function refuseUnflaggedDeletes(plan: FeaturePlan, allowDeletes: boolean | undefined): void {
  if (plan.deletions > 0 && allowDeletes !== true) {
    const names = plan.changes.filter((c) => c.action === 'delete').map((c) => `${c.kind} '${c.name}'`);
    throw invalidParameter(`The plan deletes ${names.join(', ')}; apply with allow_deletes to delete them`);
  }
}

export const applyResponse = (plan: FeaturePlan, revision: number): FeatureApplyResponse => ({ project: plan.project, revision, changes: plan.changes });
