import type { Insertable, Kysely } from 'kysely';
import { afterAll, beforeAll } from 'vitest';
import { migrateToLatest } from '../../../../adapters/sql/migrate.js';
import { createTestDatabase, type TestDatabase, type TestDialect } from '../../../../adapters/sql/test-support/test-databases.js';
import { trackingMigrations } from '../../migrations/index.js';
import type { TrackingTables } from '../../tables.js';

/**
 * Row builders for search tests: hand-built data sets inserted with plain Kysely inserts, so the
 * tests depend on the schema only, not on the stores that normally write it.
 */
export type Db = Kysely<TrackingTables>;

export async function insertExperiment(db: Db, id: number, name: string, extra: Partial<Insertable<TrackingTables['experiments']>> = {}): Promise<void> {
  await db
    .insertInto('experiments')
    .values({ experiment_id: id, name, artifact_location: `/a/${id}`, lifecycle_stage: 'active', creation_time: id * 10, last_update_time: id * 10, ...extra })
    .execute();
}

export interface RunSeed {
  id: string;
  experimentId?: number;
  name?: string;
  user?: string;
  status?: TrackingTables['runs']['status'];
  start?: number;
  end?: number | null;
  deleted?: boolean;
  metrics?: Record<string, number>;
  params?: Record<string, string>;
  tags?: Record<string, string>;
}

export async function insertRun(db: Db, run: RunSeed): Promise<void> {
  const name = run.name ?? run.id;
  await db
    .insertInto('runs')
    .values({
      run_uuid: run.id,
      experiment_id: run.experimentId ?? 1,
      name,
      user_id: run.user ?? 'alice',
      status: run.status ?? 'FINISHED',
      start_time: run.start ?? 0,
      end_time: run.end ?? null,
      deleted_time: run.deleted ? 1 : null,
      lifecycle_stage: run.deleted ? 'deleted' : 'active',
      artifact_uri: `/a/${run.id}`,
    })
    .execute();
  const tags = { 'mlflow.runName': name, ...run.tags };
  await db.insertInto('run_tags').values(Object.entries(tags).map(([key, value]) => ({ run_uuid: run.id, key, value }))).execute();
  const params = Object.entries(run.params ?? {});
  if (params.length) await db.insertInto('run_params').values(params.map(([key, value]) => ({ run_uuid: run.id, key, value }))).execute();
  const metrics = Object.entries(run.metrics ?? {});
  if (metrics.length) {
    await db
      .insertInto('latest_metrics')
      .values(
        metrics.map(([key, value]) => ({
          run_uuid: run.id,
          key,
          // Stored as the metric stores do: NaN becomes value 0 with is_nan set.
          value: Number.isNaN(value) ? 0 : value,
          is_nan: Number.isNaN(value) ? 1 : 0,
          timestamp: 1,
          step: 0,
        })),
      )
      .execute();
  }
}

/** Links a dataset to a run as a DATASET input, optionally with an `mlflow.data.context` tag. */
export async function insertDatasetInput(
  db: Db,
  runId: string,
  dataset: { uuid: string; name: string; digest: string; experimentId?: number },
  context?: string,
): Promise<void> {
  const existing = await db.selectFrom('datasets').select('dataset_uuid').where('dataset_uuid', '=', dataset.uuid).executeTakeFirst();
  if (!existing) {
    await db
      .insertInto('datasets')
      .values({
        dataset_uuid: dataset.uuid,
        experiment_id: dataset.experimentId ?? 1,
        name: dataset.name,
        digest: dataset.digest,
        source_type: 'local',
        source: '{}',
        schema: null,
        profile: null,
      })
      .execute();
  }
  const inputUuid = `${dataset.uuid}-${runId}`;
  await db
    .insertInto('inputs')
    .values({ input_uuid: inputUuid, source_type: 'DATASET', source_id: dataset.uuid, destination_type: 'RUN', destination_id: runId, step: 0 })
    .execute();
  if (context !== undefined) await db.insertInto('input_tags').values({ input_uuid: inputUuid, name: 'mlflow.data.context', value: context }).execute();
}

/** Inserts rows in chunks that stay under SQLite's and PostgreSQL's bound-parameter limits. */
export async function insertChunked<T extends keyof TrackingTables>(db: Db, table: T, rows: Insertable<TrackingTables[T]>[], chunk = 1000): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    // Kysely cannot relate Insertable<TrackingTables[T]> to insertInto(T)'s row type for a generic T.
    await db.insertInto(table).values(rows.slice(i, i + chunk) as never).execute();
  }
}

/**
 * A migrated tracking database of `dialect` for the duration of the enclosing suite, seeded once.
 * Read `db` inside tests (it is set in beforeAll).
 */
export function useSeededTrackingDb(dialect: TestDialect, seed: (db: Db) => Promise<void>, timeoutMs?: number): { readonly db: Db } {
  let t: TestDatabase<TrackingTables> | undefined;
  beforeAll(async () => {
    t = await createTestDatabase<TrackingTables>(dialect);
    await migrateToLatest(t.database, trackingMigrations);
    await seed(t.database.db);
  }, timeoutMs);
  afterAll(async () => {
    await t?.cleanup();
  });
  return {
    get db(): Db {
      if (!t) throw new Error('useSeededTrackingDb: the database exists only inside tests');
      return t.database.db;
    },
  };
}
