import { describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../adapters/sql/test-support/test-databases.js';
import { searchExperimentIds, type ExperimentSearchQuery } from './experiment-search-sql.js';
import { insertExperiment, type Db, useSeededTrackingDb } from './test-support/seed.js';

/**
 * The migration's Default experiment (id 0) was created "now", after all of these. Experiments 2
 * and 3 share a creation time; 3 is deleted.
 */
async function seed(db: Db): Promise<void> {
  await insertExperiment(db, 1, 'alpha', { creation_time: 10, last_update_time: 100 });
  await insertExperiment(db, 2, 'Beta', { creation_time: 20, last_update_time: 50 });
  await insertExperiment(db, 3, 'gamma', { creation_time: 20, last_update_time: 300, lifecycle_stage: 'deleted' });
  await insertExperiment(db, 4, 'delta', { creation_time: 40, last_update_time: 400 });
  await db
    .insertInto('experiment_tags')
    .values([
      { experiment_id: 1, key: 'team', value: 'Vision' },
      { experiment_id: 2, key: 'team', value: 'nlp' },
      { experiment_id: 4, key: 'team', value: 'vision' },
      { experiment_id: 4, key: 'owner name', value: 'carol' },
    ])
    .execute();
}

describe.each(TEST_DIALECTS)('searchExperimentIds on %s', (dialect) => {
  const fixture = useSeededTrackingDb(dialect, seed);
  const search = async (q: Partial<ExperimentSearchQuery>) => searchExperimentIds(fixture.db, { viewType: 'ACTIVE_ONLY', ...q });
  const ids = async (q: Partial<ExperimentSearchQuery>) => (await search(q)).experimentIds;

  it('orders by creation_time DESC then experiment_id ASC by default', async () => {
    expect(await ids({})).toEqual([0, 4, 2, 1]);
    expect(await ids({ viewType: 'ALL' })).toEqual([0, 4, 2, 3, 1]);
    expect(await ids({ viewType: 'DELETED_ONLY' })).toEqual([3]);
  });

  it.each([
    [['name'], 'ACTIVE_ONLY', [2, 0, 1, 4]],
    [['name DESC'], 'ACTIVE_ONLY', [4, 1, 0, 2]],
    [['creation_time'], 'ALL', [1, 3, 2, 4, 0]],
    [['attributes.creation_time ASC', 'experiment_id ASC'], 'ALL', [1, 2, 3, 4, 0]],
    [['last_update_time DESC'], 'ALL', [0, 4, 3, 1, 2]],
    [['experiment_id DESC'], 'ALL', [4, 3, 2, 1, 0]],
  ] as const)('order_by %j (%s)', async (orderBy, viewType, expected) => {
    expect(await ids({ orderBy, viewType })).toEqual(expected);
  });

  it.each([
    ["name = 'alpha'", [1]],
    ["attribute.name != 'alpha'", [0, 4, 2]],
    ["attributes.name LIKE '%a'", [4, 2, 1]],
    ["name LIKE 'b%'", []],
    ["name ILIKE 'b%'", [2]],
    ['creation_time >= 20', [0, 4, 2]],
    ['attributes.last_update_time < 60', [2]],
    ["tags.team = 'nlp'", [2]],
    ["tags.team LIKE 'v%'", [4]],
    ["tag.team ILIKE 'VISION'", [4, 1]],
    ["tags.`owner name` = 'carol'", [4]],
    ["tags.team != 'nlp' AND name LIKE 'a%'", [1]],
  ])('filter %s', async (filter, expected) => {
    expect(await ids({ filter })).toEqual(expected);
  });

  it('pages with tokens', async () => {
    const first = await search({ viewType: 'ALL', maxResults: 2 });
    expect(first.experimentIds).toEqual([0, 4]);
    const second = await search({ viewType: 'ALL', maxResults: 2, pageToken: first.nextPageToken });
    expect(second.experimentIds).toEqual([2, 3]);
    const third = await search({ viewType: 'ALL', maxResults: 2, pageToken: second.nextPageToken });
    expect(third).toEqual({ experimentIds: [1] });
  });

  it('rejects what MLflow rejects', async () => {
    await expect(search({ filter: 'metrics.a > 1' })).rejects.toThrow("Invalid entity type 'metrics'");
    await expect(search({ orderBy: ['tags.team'] })).rejects.toThrow('Invalid order_by entity: tag');
    await expect(search({ pageToken: 'x' })).rejects.toThrow('Invalid page token');
    await expect(search({ maxResults: 50_001 })).rejects.toThrow("for parameter 'max_results'");
  });
});
