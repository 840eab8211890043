import { describe, expectTypeOf, it } from 'vitest';
import { CapstanClient } from '../client.js';
import { Bool, Bytes, Float64, Int64, List, String, UnixTimestamp } from './dtypes.js';
import type { OnlineFeatures, ServiceColumns, ServiceEntities } from './online-result.js';
import { onDemandFeatureView, type TransformRow } from './on-demand-feature-view.js';
import type { RowOf } from './schema.js';
import { requestSource } from './sources.js';
import { activity, driverHourly, transformed, vals } from './test-support/driver-repo.js';

describe('types inferred from the schema', () => {
  it('types the transformation row from its sources', () => {
    expectTypeOf<TransformRow<[typeof driverHourly, typeof vals]>>().toEqualTypeOf<{ conv_rate: number; acc_rate: number; avg_daily_trips: number; val_to_add: number }>();
    expectTypeOf(transformed.transform).parameter(0).toEqualTypeOf<{ conv_rate: number; acc_rate: number; avg_daily_trips: number; val_to_add: number }>();
    expectTypeOf(transformed.transform).returns.toEqualTypeOf<{ conv_rate_plus_val: number | null }>();
  });

  it('types a lookup by the service', () => {
    expectTypeOf<ServiceColumns<typeof activity>>().toEqualTypeOf<{
      driver_id: number[];
      conv_rate: (number | null)[];
      acc_rate: (number | null)[];
      conv_rate_plus_val: (number | null)[];
    }>();
    expectTypeOf<ServiceColumns<typeof activity, true>>().toEqualTypeOf<{
      driver_id: number[];
      driver_hourly_stats__conv_rate: (number | null)[];
      driver_hourly_stats__acc_rate: (number | null)[];
      transformed_conv_rate__conv_rate_plus_val: (number | null)[];
    }>();
    expectTypeOf<ServiceEntities<typeof activity>>().toEqualTypeOf<{ driver_id: readonly number[]; val_to_add: readonly number[] }>();
    expectTypeOf<OnlineFeatures<ServiceColumns<typeof activity>>['statuses']['conv_rate']>().toEqualTypeOf<('PRESENT' | 'NULL_VALUE' | 'NOT_FOUND' | 'OUTSIDE_MAX_AGE')[]>();
  });

  it('types what client.features returns for a service object', () => {
    const { features } = new CapstanClient({ url: 'http://unused', env: {} });
    // Never awaited: only the types are under test.
    const lookup = () => features.getOnlineFeatures(activity, { driver_id: [1001], val_to_add: [1] });
    expectTypeOf(lookup).returns.resolves.toHaveProperty('values').toEqualTypeOf<{
      driver_id: number[];
      conv_rate: (number | null)[];
      acc_rate: (number | null)[];
      conv_rate_plus_val: (number | null)[];
    }>();
    expectTypeOf(lookup).returns.resolves.toHaveProperty('eventTimestamps').toHaveProperty('conv_rate').toEqualTypeOf<Date[]>();
    const full = () => features.getOnlineFeatures('driver_ranking', activity, { driver_id: [1001], val_to_add: [1] }, { fullFeatureNames: true });
    expectTypeOf(full).returns.resolves.toHaveProperty('values').toHaveProperty('driver_hourly_stats__conv_rate').toEqualTypeOf<(number | null)[]>();
    // @ts-expect-error the service needs val_to_add for its on-demand view
    expectTypeOf(() => features.getOnlineFeatures(activity, { driver_id: [1001] })).toBeFunction();
    const historical = () => features.getHistoricalFeatures(activity, { entity_rows: { driver_id: [1], val_to_add: [2], event_timestamp: [new Date()], label: [true] } });
    expectTypeOf(historical).returns.resolves.toHaveProperty('values').toEqualTypeOf<
      | ({ driver_id: number[]; conv_rate: (number | null)[]; acc_rate: (number | null)[]; conv_rate_plus_val: (number | null)[] } & Record<string, unknown[]>)
      | undefined
    >();
  });
});

describe('type errors', () => {
  it('refuses a transformation whose outputs do not match the schema', () => {
    onDemandFeatureView({
      name: 'wrong_output',
      sources: [vals],
      schema: { doubled: Float64 },
      // @ts-expect-error a string is not a Float64
      transform: (row) => ({ doubled: `${row.val_to_add}` }),
    });
    onDemandFeatureView({
      name: 'missing_output',
      sources: [vals],
      schema: { doubled: Float64 },
      // @ts-expect-error doubled is missing
      transform: (row) => ({ tripled: row.val_to_add * 3 }),
    });
    onDemandFeatureView({
      name: 'unknown_input',
      sources: [vals],
      schema: { doubled: Float64 },
      // @ts-expect-error the row has no such field
      transform: (row) => ({ doubled: row.nope * 2 }),
    });
  });

  it('refuses a selection of features the view does not have', () => {
    // @ts-expect-error not in the schema
    expectTypeOf(() => driverHourly.select('conv_rate', 'nope')).toBeFunction();
  });

  it('hands a transformation JSON values, and gives lookups decoded ones', () => {
    const schema = { s: String, b: Bool, y: Bytes, t: UnixTimestamp, l: List(Int64), ts: List(UnixTimestamp) };
    const all = requestSource({ name: 'all', schema });
    const echo = onDemandFeatureView({ name: 'echo', sources: [all], schema, transform: (row) => row });
    expectTypeOf(echo.transform).parameter(0).toEqualTypeOf<{ s: string; b: boolean; y: string; t: string; l: number[]; ts: string[] }>();
    expectTypeOf<RowOf<typeof schema>>().toEqualTypeOf<{ s: string; b: boolean; y: Uint8Array; t: Date; l: number[]; ts: Date[] }>();
  });
});
