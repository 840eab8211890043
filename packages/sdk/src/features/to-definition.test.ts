import { describe, expect, it } from 'vitest';
import { FeatureDefinitionError } from './definition-error.js';
import { Float32, Int64, List } from './dtypes.js';
import { entity } from './entity.js';
import { featureRepo } from './feature-repo.js';
import { featureService } from './feature-service.js';
import { featureView } from './feature-view.js';
import { field } from './schema.js';
import { fileSource, pushSource, sqlTableSource } from './sources.js';
import { activity, driver, driverHourly, repo, stats } from './test-support/driver-repo.js';
import { toDefinition } from './to-definition.js';

describe('toDefinition', () => {
  it('turns the DSL into the wire definition, collecting the sources the views read', () => {
    const definition = toDefinition(repo);
    const { transformation, ...odfv } = definition.on_demand_feature_views[0]!;
    expect({ ...definition, on_demand_feature_views: [odfv] }).toEqual({
      project: 'driver_ranking',
      entities: [{ name: 'driver', description: 'A driver of the fleet', join_keys: [{ name: 'driver_id', dtype: 'int64' }] }],
      data_sources: [
        { name: 'driver_stats', kind: 'file', path: 'driver_stats.parquet', format: 'parquet', timestamp_field: 'event_timestamp', created_timestamp_column: 'created' },
        { name: 'vals_to_add', kind: 'request', schema: [{ name: 'val_to_add', dtype: 'int64' }] },
      ],
      feature_views: [
        {
          name: 'driver_hourly_stats',
          owner: 'a@b.c',
          tags: { team: 'x' },
          entities: ['driver'],
          source: 'driver_stats',
          schema: [
            { name: 'conv_rate', dtype: 'float32' },
            { name: 'acc_rate', dtype: 'float32' },
            { name: 'avg_daily_trips', dtype: 'int64' },
          ],
          ttl_seconds: 86_400,
          online: true,
          freshness_sla_seconds: 7_200,
          materialization_interval_seconds: 900,
        },
      ],
      on_demand_feature_views: [{ name: 'transformed_conv_rate', sources: ['driver_hourly_stats', 'vals_to_add'], schema: [{ name: 'conv_rate_plus_val', dtype: 'float64' }] }],
      feature_services: [
        { name: 'driver_activity', features: [{ view: 'driver_hourly_stats', features: ['conv_rate', 'acc_rate'] }, { view: 'transformed_conv_rate' }] },
      ],
    });
    // What the server runs: the function's own source, which works on its own.
    const transform = new Function(`return (${transformation})`)() as (row: object) => unknown;
    expect(transform({ conv_rate: 0.5, val_to_add: 2 })).toEqual({ conv_rate_plus_val: 2.5 });
  });

  it('collects entities, views and batch sources that listed objects use', () => {
    const batch = sqlTableSource({ name: 'trips', table: 'trips', timestampField: 'ts' });
    const pushed = pushSource({ name: 'trips_push', batchSource: batch });
    const view = featureView({ name: 'trips', entities: [driver], source: pushed, schema: { n: field(Int64, { description: 'trips', tags: { pii: 'no' } }) }, online: false });
    const definition = toDefinition(featureRepo({ project: 'p', objects: [featureService({ name: 's', features: [view.withAlias('t')] })] }));
    expect(definition.entities.map((e) => e.name)).toEqual(['driver']);
    expect(definition.data_sources).toEqual([
      { name: 'trips_push', kind: 'push', batch_source: 'trips' },
      { name: 'trips', kind: 'sql_table', table: 'trips', timestamp_field: 'ts' },
    ]);
    expect(definition.feature_views[0]).toMatchObject({ ttl_seconds: 0, online: false, schema: [{ name: 'n', dtype: 'int64', description: 'trips', tags: { pii: 'no' } }] });
    expect(definition.feature_services[0]!.features).toEqual([{ view: 'trips', alias: 't' }]);
  });

  it('keeps a source defined twice identically once, and refuses two different sources of one name', () => {
    const again = fileSource({ name: 'driver_stats', path: 'driver_stats.parquet', format: 'parquet', timestampField: 'event_timestamp', createdTimestampColumn: 'created' });
    const twin = featureView({ name: 'twin', entities: [driver], source: again, schema: { x: Float32 } });
    expect(toDefinition(featureRepo({ project: 'p', objects: [driverHourly, twin] })).data_sources.map((s) => s.name)).toEqual(['driver_stats']);

    const other = fileSource({ name: 'driver_stats', path: 'elsewhere.csv', format: 'csv', timestampField: 'ts' });
    const clash = featureView({ name: 'clash', entities: [driver], source: other, schema: { x: Float32 } });
    expect(() => toDefinition(featureRepo({ project: 'p', objects: [driverHourly, clash] }))).toThrow(/two different data sources are named 'driver_stats'/);
  });

  it('lists every problem at once', () => {
    const nameless = entity({ name: '', joinKeys: { id: Int64 } });
    const dup = featureView({ name: 'driver_hourly_stats', entities: [driver], source: stats, schema: { driver_id: List(Float32) } });
    const err = (() => {
      try {
        toDefinition(featureRepo({ project: 'p', objects: [nameless, driverHourly, dup, activity] }));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(FeatureDefinitionError);
    expect((err as FeatureDefinitionError).problems).toEqual(
      expect.arrayContaining([
        'entity #1 has no name',
        expect.stringMatching(/two different feature views are named 'driver_hourly_stats'/),
      ]),
    );
  });

  it('refuses a repository listing something that is not a definition', () => {
    expect(() => toDefinition(featureRepo({ project: 'p', objects: [driver, { name: 'x' } as never] }))).toThrow(/^project p: objects\[1\] not made by entity\(\)/);
  });
});
