import { featureService, featureView, fileSource, Float32, Float64, Int64, onDemandFeatureView, requestSource } from '../../../../../sdk/src/index.js';
import { driver } from './entities.js';

const stats = fileSource({ name: 'driver_stats', path: 'driver_stats.csv', format: 'csv', timestampField: 'event_timestamp', createdTimestampColumn: 'created' });

export const driverHourly = featureView({
  name: 'driver_hourly_stats',
  entities: [driver],
  source: stats,
  schema: { conv_rate: Float32, acc_rate: Float32, avg_daily_trips: Int64 },
  ttl: '1d',
});

const vals = requestSource({ name: 'vals_to_add', schema: { val_to_add: Int64 } });

export const transformed = onDemandFeatureView({
  name: 'transformed_conv_rate',
  sources: [driverHourly, vals],
  schema: { conv_rate_plus_val: Float64 },
  // A named inner function: tsx's keepNames adds a __name call that the shipped source must supply.
  transform: (row) => {
    function plus(a: number, b: number): number {
      return a + b;
    }
    // A driver without stats has no rate: null in, null out.
    return { conv_rate_plus_val: row.conv_rate === null ? null : plus(row.conv_rate, row.val_to_add) };
  },
});

export const activity = featureService({ name: 'driver_activity', features: [driverHourly.select('conv_rate', 'acc_rate'), transformed] });
