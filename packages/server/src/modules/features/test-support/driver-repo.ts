import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FeatureRepoDefinition } from '@capstan/contracts';

export const HOUR = 3600_000;

/**
 * A small driver feature repository with hand-checkable data. `base` is a whole hour 8 hours
 * before now, so rows near the end of the data are inside the hourly view's 3-hour TTL when read
 * online and those near the start are not.
 */
export function driverRepo(project: string): FeatureRepoDefinition {
  return {
    project,
    entities: [{ name: 'driver', join_keys: [{ name: 'driver_id', dtype: 'int64' }], description: 'A driver' }],
    data_sources: [
      { name: 'driver_stats', kind: 'file', path: 'driver_stats', format: 'csv', timestamp_field: 'event_timestamp', created_timestamp_column: 'created' },
      { name: 'driver_ratings', kind: 'file', path: 'ratings.csv', format: 'csv', timestamp_field: 'ts', field_mapping: { stars: 'rating' } },
      { name: 'driver_push', kind: 'push', batch_source: 'driver_stats' },
      { name: 'trip_request', kind: 'request', schema: [{ name: 'val_to_add', dtype: 'int64' }] },
    ],
    feature_views: [
      {
        name: 'driver_hourly',
        entities: ['driver'],
        source: 'driver_push',
        schema: [
          { name: 'conv_rate', dtype: 'float64' },
          { name: 'trips', dtype: 'int64' },
        ],
        ttl_seconds: 3 * 3600,
        online: true,
        freshness_sla_seconds: 3600,
        owner: 'ml@example.com',
        tags: { team: 'drivers' },
      },
      { name: 'driver_daily', entities: ['driver'], source: 'driver_ratings', schema: [{ name: 'rating', dtype: 'float64' }], ttl_seconds: 0, online: true },
    ],
    on_demand_feature_views: [
      {
        name: 'conv_plus',
        sources: ['driver_hourly', 'trip_request'],
        schema: [{ name: 'conv_rate_plus_val', dtype: 'float64' }],
        transformation: '(row) => ({ conv_rate_plus_val: row.conv_rate === null ? null : row.conv_rate * 100 + row.val_to_add })',
      },
    ],
    feature_services: [
      { name: 'driver_activity', features: [{ view: 'driver_hourly', features: ['conv_rate'] }, { view: 'driver_daily' }, { view: 'conv_plus' }] },
    ],
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The offline data under `root`, relative to `base`:
 * driver_hourly (TTL 3 h): 1001 at +0 (0.1, 10), +2 twice (0.2 created +2, 0.25 created +5: the
 * later write wins), +6 created a day later (0.6, 60: late-arriving); 1002 at +1 (0.5, 50).
 * driver_daily (TTL 0): 1001 rated 4.5 a month before base and 4.7 at +4; 1002 rated 3.9 at -1.
 */
export async function writeDriverData(root: string, base: number): Promise<void> {
  await mkdir(join(root, 'driver_stats'), { recursive: true });
  const stats = [
    'driver_id,event_timestamp,created,conv_rate,trips',
    `1001,${iso(base)},${iso(base)},0.1,10`,
    `1001,${iso(base + 2 * HOUR)},${iso(base + 2 * HOUR)},0.2,20`,
    `1001,${iso(base + 2 * HOUR)},${iso(base + 5 * HOUR)},0.25,25`,
    `1001,${iso(base + 6 * HOUR)},${iso(base + 30 * HOUR)},0.6,60`,
    `1002,${iso(base + HOUR)},${iso(base + HOUR)},0.5,50`,
  ];
  await writeFile(join(root, 'driver_stats', 'part-0.csv'), `${stats.join('\n')}\n`);
  const ratings = ['driver_id,ts,stars', `1001,${iso(base - 30 * 24 * HOUR)},4.5`, `1001,${iso(base + 4 * HOUR)},4.7`, `1002,${iso(base - HOUR)},3.9`];
  await writeFile(join(root, 'ratings.csv'), `${ratings.join('\n')}\n`);
}
