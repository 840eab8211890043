import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { migrateToLatest } from '../../../../adapters/sql/migrate.js';
import { openDatabase } from '../../../../adapters/sql/open-database.js';
import { createPostgresDatabase, type TestDialect } from '../../../../adapters/sql/test-support/test-databases.js';
import { allMigrations } from '../../../../app/migrations.js';
import { createTestApp, type TestApp } from '../../../../app/test-support/test-app.js';
import { tablesOf, type SqlDatabase } from '../../../../ports/sql.js';
import { runLookup } from '../../../tracking/index.js';
import { ModelCardStore } from '../../cards/card-store.js';
import type { ModelCardTables } from '../../cards/card-tables.js';
import type { RegistryTables } from '../../tables.js';
import type { RunLookup } from '../run-ancestry.js';

/**
 * A whole Capstan app (to create experiments, runs and versions through the MLflow API, as clients
 * do) plus a second connection to the same database for the lineage and card builders, which the
 * app keeps to itself. SQLite gets a file, since `:memory:` is private to one connection.
 */
export interface RegistryWorld {
  t: TestApp;
  database: SqlDatabase<unknown>;
  db: Kysely<RegistryTables>;
  cards: ModelCardStore;
  runs: RunLookup;
  key(name: string, version: number): Promise<{ modelId: number; version: number }>;
  cleanup(): Promise<void>;
}

export async function openRegistryWorld(dialect: TestDialect): Promise<RegistryWorld> {
  const store = await scratchStore(dialect);
  const t = await createTestApp(dialect, { backendStoreUri: store.uri });
  const database = openDatabase<unknown>(store.uri);
  await migrateToLatest(database, allMigrations());
  const db = tablesOf<RegistryTables>(database).db;
  return {
    t,
    database,
    db,
    cards: new ModelCardStore(tablesOf<ModelCardTables>(database).db),
    runs: runLookup(database),
    async key(name, version) {
      const row = await db.selectFrom('registered_models').select('model_id').where('name', '=', name).executeTakeFirstOrThrow();
      return { modelId: Number(row.model_id), version };
    },
    async cleanup() {
      await t.cleanup();
      await database.close();
      await store.drop();
    },
  };
}

async function scratchStore(dialect: TestDialect): Promise<{ uri: string; drop(): Promise<void> }> {
  if (dialect === 'postgres') {
    const created = await createPostgresDatabase('capstan_test');
    return { uri: created.url, drop: () => created.drop() };
  }
  const dir = await mkdtemp(join(tmpdir(), 'capstan-lineage-'));
  return { uri: `sqlite:///${join(dir, 'capstan.db')}`, drop: () => rm(dir, { recursive: true, force: true }) };
}
