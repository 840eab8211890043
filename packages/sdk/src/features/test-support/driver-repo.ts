// The repository of the docs' example: a driver, hourly stats, a request value and a service.
import { Float32, Float64, Int64 } from '../dtypes.js';
import { entity } from '../entity.js';
import { featureRepo } from '../feature-repo.js';
import { featureService } from '../feature-service.js';
import { featureView } from '../feature-view.js';
import { onDemandFeatureView } from '../on-demand-feature-view.js';
import { fileSource, requestSource } from '../sources.js';

export const driver = entity({ name: 'driver', joinKeys: { driver_id: Int64 }, description: 'A driver of the fleet' });
export const stats = fileSource({
  name: 'driver_stats',
  path: 'driver_stats.parquet',
  format: 'parquet',
  timestampField: 'event_timestamp',
  createdTimestampColumn: 'created',
});
export const driverHourly = featureView({
  name: 'driver_hourly_stats',
  entities: [driver],
  source: stats,
  schema: { conv_rate: Float32, acc_rate: Float32, avg_daily_trips: Int64 },
  ttl: '1d',
  online: true,
  owner: 'a@b.c',
  tags: { team: 'x' },
  freshnessSla: '2h',
  materializationInterval: '15m',
});
export const vals = requestSource({ name: 'vals_to_add', schema: { val_to_add: Int64 } });
export const transformed = onDemandFeatureView({
  name: 'transformed_conv_rate',
  sources: [driverHourly, vals],
  schema: { conv_rate_plus_val: Float64 },
  transform: (row) => ({ conv_rate_plus_val: row.conv_rate + row.val_to_add }),
});
export const activity = featureService({ name: 'driver_activity', features: [driverHourly.select('conv_rate', 'acc_rate'), transformed] });
export const repo = featureRepo({ project: 'driver_ranking', objects: [driver, driverHourly, transformed, activity] });
