import type { FeatureRepoDefinition } from '@capstan/contracts';
import { describe, expect, it } from 'vitest';
import { mergeDefinitions } from './merge-definitions.js';
import { repo } from './test-support/driver-repo.js';
import { toDefinition } from './to-definition.js';
import { transformationSource } from './transformation.js';
import { definitionProblems } from './validate-definition.js';

const valid = (): FeatureRepoDefinition => structuredClone(toDefinition(repo));

describe('definitionProblems', () => {
  it('finds none in a valid definition', () => {
    expect(definitionProblems(valid())).toEqual([]);
  });

  it('finds dangling references and wrong kinds', () => {
    const d = valid();
    d.feature_views[0]!.entities = ['rider'];
    d.feature_views[0]!.source = 'vals_to_add';
    d.on_demand_feature_views[0]!.sources = ['driver_stats'];
    d.feature_services[0]!.features = [{ view: 'ghost' }, { view: 'driver_hourly_stats', features: ['conv_rate', 'speed'] }];
    d.data_sources.push({ name: 'pushed', kind: 'push', batch_source: 'vals_to_add' });
    expect(definitionProblems(d)).toEqual([
      "data source 'pushed': batch source 'vals_to_add' is not a file or sql_table source of the project",
      "feature view 'driver_hourly_stats': entity 'rider' is not defined",
      "feature view 'driver_hourly_stats': source 'vals_to_add' is a request source; only on-demand views read those",
      "on-demand feature view 'transformed_conv_rate': source 'driver_stats' is neither a feature view nor a request source of the project",
      "feature service 'driver_activity': feature view 'ghost' is not defined",
      "feature service 'driver_activity': 'speed' not in feature view 'driver_hourly_stats'",
    ]);
  });

  it('finds bad names, fields, dtypes and durations', () => {
    const d = valid();
    d.project = ' ';
    d.entities.push({ name: '', join_keys: [] });
    d.feature_views[0]!.schema.push({ name: 'conv_rate', dtype: 'float16' as never }, { name: 'driver_id', dtype: 'int64' });
    d.feature_views[0]!.ttl_seconds = -1;
    d.feature_views[0]!.freshness_sla_seconds = 0;
    d.on_demand_feature_views.push({ name: 'driver_hourly_stats', sources: ['vals_to_add'], schema: [{ name: 'x', dtype: 'int64' }], transformation: '(row) => ({ x: 1 })' });
    expect(definitionProblems(d)).toEqual([
      'the project has no name',
      'entity #2 has no name',
      "feature view 'driver_hourly_stats' is defined twice",
      "entity '' join keys: no fields",
      "feature view 'driver_hourly_stats': field 'conv_rate' is listed twice",
      expect.stringMatching(/^feature view 'driver_hourly_stats': field 'conv_rate' has unknown dtype "float16" \(expected one of int32, int64,/),
      "feature view 'driver_hourly_stats': 'driver_id' is a join key and cannot also be a feature",
      "feature view 'driver_hourly_stats': ttl must be whole seconds, 0 or more",
      "feature view 'driver_hourly_stats': the freshness SLA must be positive whole seconds",
    ]);
  });

  it.each([
    ['transform(row) { return row; }', /does not compile as a function expression .*not a method/],
    ['function () { [native code] }', /does not compile as a function expression/],
    ['42', /is not a function expression but a number/],
    ['undefinedVariable', /evaluating it failed \(undefinedVariable is not defined\)/],
  ])('refuses the transformation %j', (transformation, message) => {
    const d = valid();
    d.on_demand_feature_views[0]!.transformation = transformation;
    expect(definitionProblems(d)).toEqual([expect.stringMatching(message)]);
  });

  it('accepts arrow functions, function expressions and a trailing line comment', () => {
    const d = valid();
    for (const transformation of ['row => ({ conv_rate_plus_val: 1 })', 'function (row) { return { conv_rate_plus_val: 1 }; }', '(row) => row // done']) {
      d.on_demand_feature_views[0]!.transformation = transformation;
      expect(definitionProblems(d)).toEqual([]);
    }
  });

  it('reports missing lists in hand-written definitions instead of failing on them', () => {
    const d = { project: 'p', feature_views: [{ name: 'v', source: 's' }] } as unknown as FeatureRepoDefinition;
    expect(definitionProblems(d)).toEqual(["feature view 'v': source 's' is not defined", "feature view 'v': no fields", "feature view 'v': ttl must be whole seconds, 0 or more", "feature view 'v': online must be true or false"]);
  });
});

describe('transformationSource', () => {
  it('keeps a plain function as written', () => {
    const plain = (row: { a: number }) => ({ b: row.a + 1 });
    expect(transformationSource(plain)).toBe(plain.toString());
  });

  it("supplies esbuild's __name helper to a function that calls it, so the text runs on its own", () => {
    // What tsx makes of a transformation with a named inner function.
    const compiled = 'row=>{function helper(x){return x*2}__name(helper,"helper");return{w:helper(row.v)}}';
    const shipped = transformationSource({ toString: () => compiled } as never);
    const run = new Function(`"use strict"; return (${shipped})`)() as (row: object) => unknown;
    expect(run({ v: 21 })).toEqual({ w: 42 });
  });
});

describe('mergeDefinitions', () => {
  it('merges the files of one project, keeping identical objects once', () => {
    const whole = valid();
    const first = { ...whole, feature_views: [], on_demand_feature_views: [], feature_services: [] };
    const second = { ...whole, entities: [...whole.entities] };
    expect(mergeDefinitions([first, second])).toEqual(whole);
  });

  it('refuses several projects and conflicting objects', () => {
    expect(() => mergeDefinitions([valid(), { ...valid(), project: 'other' }])).toThrow(/several projects \(driver_ranking, other\)/);
    const changed = valid();
    changed.entities[0]!.description = 'changed';
    expect(() => mergeDefinitions([valid(), changed])).toThrow(/two different entities are named 'driver'/);
  });
});
