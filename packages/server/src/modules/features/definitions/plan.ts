import type { FeatureObjectKind, FeaturePlanChange, FeatureRepoDefinition, FieldSpec } from '@capstan/contracts';

type Definition = Omit<FeatureRepoDefinition, 'project'>;
type AnyObject = { name: string } & Record<string, unknown>;

const KINDS: readonly { kind: FeatureObjectKind; key: keyof Definition }[] = [
  { kind: 'entity', key: 'entities' },
  { kind: 'data_source', key: 'data_sources' },
  { kind: 'feature_view', key: 'feature_views' },
  { kind: 'on_demand_feature_view', key: 'on_demand_feature_views' },
  { kind: 'feature_service', key: 'feature_services' },
];

/**
 * What applying `next` over `current` (undefined: a new project) does to each object, in the order
 * objects depend on each other, with the changes that break consumers named: a join key's dtype or
 * a view's keys changing, a feature removed or retyped, a service no longer serving a feature.
 */
export function planChanges(current: Definition | undefined, next: Definition): FeaturePlanChange[] {
  const changes: FeaturePlanChange[] = [];
  for (const { kind, key } of KINDS) {
    const before = new Map((current?.[key] ?? []).map((o) => [o.name, o as unknown as AnyObject]));
    const after = new Map(next[key].map((o) => [o.name, o as unknown as AnyObject]));
    const names = [...new Set([...before.keys(), ...after.keys()])].sort();
    for (const name of names) {
      const old = before.get(name);
      const now = after.get(name);
      if (!old) changes.push({ kind, name, action: 'create' });
      else if (!now) changes.push({ kind, name, action: 'delete' });
      else {
        const changed = changedFields(old, now);
        if (changed.length === 0) changes.push({ kind, name, action: 'unchanged' });
        else {
          const breaking = breakingChanges(kind, old, now, current, next);
          changes.push({ kind, name, action: 'update', changed_fields: changed, ...(breaking.length ? { breaking } : {}) });
        }
      }
    }
  }
  return changes;
}

/** Top-level fields whose values differ (key order and absent-vs-undefined do not count). */
function changedFields(old: AnyObject, now: AnyObject): string[] {
  const keys = [...new Set([...Object.keys(old), ...Object.keys(now)])].sort();
  return keys.filter((k) => canonical(old[k]) !== canonical(now[k]));
}

/** JSON with sorted object keys, so equal definitions compare equal however they were written. */
export function canonical(value: unknown): string {
  if (value === undefined) return 'undefined';
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

function breakingChanges(kind: FeatureObjectKind, old: AnyObject, now: AnyObject, current: Definition | undefined, next: Definition): string[] {
  switch (kind) {
    case 'entity':
      return fieldChanges(old.join_keys as FieldSpec[], now.join_keys as FieldSpec[], 'join key');
    case 'feature_view': {
      const reasons: string[] = [];
      const keysBefore = joinKeys(old.entities as string[], current);
      const keysAfter = joinKeys(now.entities as string[], next);
      if (keysBefore !== keysAfter) reasons.push(`join keys change from (${keysBefore}) to (${keysAfter}): stored online rows are dropped`);
      return [...reasons, ...fieldChanges(old.schema as FieldSpec[], now.schema as FieldSpec[], 'feature')];
    }
    case 'on_demand_feature_view':
      return fieldChanges(old.schema as FieldSpec[], now.schema as FieldSpec[], 'feature');
    case 'feature_service':
      return servedFeatureChanges(old, now, current, next);
    case 'data_source':
      return old.kind === now.kind ? [] : [`kind changes from ${String(old.kind)} to ${String(now.kind)}`];
  }
}

function fieldChanges(before: readonly FieldSpec[], after: readonly FieldSpec[], what: string): string[] {
  const reasons: string[] = [];
  for (const field of before) {
    const now = after.find((f) => f.name === field.name);
    if (!now) reasons.push(`${what} '${field.name}' removed`);
    else if (now.dtype !== field.dtype) reasons.push(`${what} '${field.name}' changes dtype from ${field.dtype} to ${now.dtype}`);
  }
  if (what === 'join key') for (const field of after) if (!before.some((f) => f.name === field.name)) reasons.push(`join key '${field.name}' added`);
  return reasons;
}

/** A view's join keys with their dtypes, as text to compare and show. */
function joinKeys(entities: readonly string[], definition: Definition | undefined): string {
  return entities
    .flatMap((name) => definition?.entities.find((e) => e.name === name)?.join_keys ?? [])
    .map((k) => `${k.name} ${k.dtype}`)
    .join(', ');
}

/** The `view:feature` pairs a service serves, so a service losing one is flagged. */
function servedFeatureChanges(old: AnyObject, now: AnyObject, current: Definition | undefined, next: Definition): string[] {
  const served = (service: AnyObject, definition: Definition | undefined): Set<string> => {
    const refs = new Set<string>();
    for (const p of service.features as { view: string; features?: string[] }[]) {
      const view = definition?.feature_views.find((v) => v.name === p.view) ?? definition?.on_demand_feature_views.find((v) => v.name === p.view);
      for (const f of p.features ?? view?.schema.map((s) => s.name) ?? []) refs.add(`${p.view}:${f}`);
    }
    return refs;
  };
  const after = served(now, next);
  return [...served(old, current)].filter((ref) => !after.has(ref)).map((ref) => `no longer serves '${ref}'`);
}
