import { describe, expect, it } from 'vitest';
import { driverRepo } from '../test-support/driver-repo.js';
import { canonical, planChanges } from './plan.js';

describe('feature plan', () => {
  it('calls equal definitions unchanged whatever their key order', () => {
    const reordered = driverRepo('p');
    const view = reordered.feature_views[0]!;
    reordered.feature_views[0] = Object.fromEntries(Object.entries(view).reverse()) as typeof view;
    expect(planChanges(driverRepo('p'), reordered).every((c) => c.action === 'unchanged')).toBe(true);
    expect(canonical({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
  });

  it('names the breaking changes: key dtypes, view keys, removed or retyped features, services that stop serving', () => {
    const next = driverRepo('p');
    next.entities[0]!.join_keys[0]!.dtype = 'string';
    next.feature_views[0]!.schema = [{ name: 'conv_rate', dtype: 'float32' }];
    next.feature_views[0]!.ttl_seconds = 60;
    const changes = planChanges(driverRepo('p'), next);
    expect(changes.find((c) => c.kind === 'entity')).toEqual({
      kind: 'entity',
      name: 'driver',
      action: 'update',
      changed_fields: ['join_keys'],
      breaking: ["join key 'driver_id' changes dtype from int64 to string"],
    });
    expect(changes.find((c) => c.name === 'driver_hourly')).toEqual({
      kind: 'feature_view',
      name: 'driver_hourly',
      action: 'update',
      changed_fields: ['schema', 'ttl_seconds'],
      breaking: [
        'join keys change from (driver_id int64) to (driver_id string): stored online rows are dropped',
        "feature 'conv_rate' changes dtype from float64 to float32",
        "feature 'trips' removed",
      ],
    });
    // A TTL change alone is not breaking.
    const ttlOnly = driverRepo('p');
    ttlOnly.feature_views[1]!.ttl_seconds = 10;
    expect(planChanges(driverRepo('p'), ttlOnly).find((c) => c.name === 'driver_daily')).toEqual({ kind: 'feature_view', name: 'driver_daily', action: 'update', changed_fields: ['ttl_seconds'] });
    const narrower = driverRepo('p');
    narrower.feature_services[0]!.features = [{ view: 'driver_daily' }];
    expect(planChanges(driverRepo('p'), narrower).find((c) => c.kind === 'feature_service')?.breaking).toEqual([
      "no longer serves 'driver_hourly:conv_rate'",
      "no longer serves 'conv_plus:conv_rate_plus_val'",
    ]);
  });

  it('creates everything for a new project and deletes what a definition drops', () => {
    expect(planChanges(undefined, driverRepo('p')).every((c) => c.action === 'create')).toBe(true);
    const smaller = driverRepo('p');
    smaller.feature_services = [];
    expect(planChanges(driverRepo('p'), smaller).filter((c) => c.action === 'delete')).toEqual([{ kind: 'feature_service', name: 'driver_activity', action: 'delete' }]);
  });
});
