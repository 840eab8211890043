import type { FeatureApplyResponse, FeaturePlan, FeaturePlanChange } from '@capstan/contracts';
import { formatTable } from '../format/table.js';

const ACTIONS: readonly FeaturePlanChange['action'][] = ['create', 'update', 'delete', 'unchanged'];

/**
 * A plan as a table, one object per line (`ACTION KIND NAME CHANGED BREAKING`), then a summary
 * line, so what `apply` is about to do can be read (and grepped) before confirming.
 */
export function renderPlan(plan: FeaturePlan): string {
  const table = plan.changes.length
    ? formatTable(
        ['ACTION', 'KIND', 'NAME', 'CHANGED', 'BREAKING'],
        plan.changes.map((c) => [c.action.toUpperCase(), c.kind, c.name, (c.changed_fields ?? []).join(','), (c.breaking ?? []).join('; ')]),
      )
    : '';
  const breaking = plan.changes.filter((c) => c.breaking?.length).length;
  const warning = plan.has_breaking_changes ? `Breaking: ${breaking} change${breaking === 1 ? '' : 's'} break${breaking === 1 ? 's' : ''} consumers of the objects marked above.\n` : '';
  return `${table}Plan for project '${plan.project}' at revision ${plan.base_revision}: ${countChanges(plan.changes)}.\n${warning}`;
}

/** `2 to create, 1 to update, 0 to delete, 3 unchanged`. */
export function countChanges(changes: readonly FeaturePlanChange[]): string {
  const count = (action: FeaturePlanChange['action']) => changes.filter((c) => c.action === action).length;
  return ACTIONS.map((a) => (a === 'unchanged' ? `${count(a)} unchanged` : `${count(a)} to ${a}`)).join(', ');
}

/** Whether applying the plan changes anything. */
export const changesSomething = (plan: FeaturePlan): boolean => plan.changes.some((c) => c.action !== 'unchanged');

/** The objects a plan deletes, as `kind name`. */
export const deletionsOf = (plan: FeaturePlan): string[] => plan.changes.filter((c) => c.action === 'delete').map((c) => `${c.kind} ${c.name}`);

/** `Applied project 'p': revision 4 (2 created, 1 updated, 0 deleted).` */
export function summarizeApply(result: FeatureApplyResponse): string {
  const count = (action: FeaturePlanChange['action']) => result.changes.filter((c) => c.action === action).length;
  return `Applied project '${result.project}': revision ${result.revision} (${count('create')} created, ${count('update')} updated, ${count('delete')} deleted).\n`;
}
