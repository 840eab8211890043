import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { trackingMigrations } from '../../modules/tracking/migrations/index.js';
import { migrateToLatest } from './migrate.js';
import { createTestDatabase, TEST_DIALECTS } from './test-support/test-databases.js';

interface Probe {
  probe: { id: number; big: number; f: number; label: string };
}

describe.each(TEST_DIALECTS)('SQL port contract on %s', (dialect) => {
  it('runs every migration once, and a second run applies nothing', async () => {
    const t = await createTestDatabase(dialect);
    try {
      const first = await migrateToLatest(t.database, trackingMigrations);
      expect(first).toEqual(trackingMigrations.map((m) => m.name));
      expect(await migrateToLatest(t.database, trackingMigrations)).toEqual([]);
    } finally {
      await t.cleanup();
    }
  });

  it('creates the Default experiment with id 0, and new ids start above it', async () => {
    const t = await createTestDatabase<{ experiments: { experiment_id: number; name: string } }>(dialect);
    try {
      await migrateToLatest(t.database, trackingMigrations);
      const rows = await t.database.db.selectFrom('experiments').select(['experiment_id', 'name']).execute();
      expect(rows).toEqual([{ experiment_id: 0, name: 'Default' }]);
      await sql`insert into experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time)
                values ('x', '', 'active', 1, 1)`.execute(t.database.db);
      const created = await t.database.db.selectFrom('experiments').select('experiment_id').where('name', '=', 'x').executeTakeFirstOrThrow();
      expect(created.experiment_id).toBe(1);
    } finally {
      await t.cleanup();
    }
  });

  it('round-trips BIGINT as numbers, doubles with infinities, and text', async () => {
    const t = await createTestDatabase<Probe>(dialect);
    try {
      await t.database.db.schema
        .createTable('probe')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('big', 'bigint')
        .addColumn('f', 'double precision')
        .addColumn('label', 'text')
        .execute();
      await t.database.db
        .insertInto('probe')
        .values([
          { id: 1, big: 1_700_000_000_123, f: Number.POSITIVE_INFINITY, label: 'ünïcode ✓' },
          { id: 2, big: -5, f: -1.5e-300, label: '' },
        ])
        .execute();
      const rows = await t.database.db.selectFrom('probe').selectAll().orderBy('id').execute();
      expect(rows).toEqual([
        { id: 1, big: 1_700_000_000_123, f: Number.POSITIVE_INFINITY, label: 'ünïcode ✓' },
        { id: 2, big: -5, f: -1.5e-300, label: '' },
      ]);
    } finally {
      await t.cleanup();
    }
  });

  it('rolls back a failed transaction completely', async () => {
    const t = await createTestDatabase<Probe>(dialect);
    try {
      await t.database.db.schema.createTable('probe').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('big', 'bigint').addColumn('f', 'double precision').addColumn('label', 'text').execute();
      await expect(
        t.database.db.transaction().execute(async (trx) => {
          await trx.insertInto('probe').values({ id: 1, big: 1, f: 1, label: 'a' }).execute();
          await trx.insertInto('probe').values({ id: 1, big: 2, f: 2, label: 'duplicate key' }).execute();
        }),
      ).rejects.toThrow();
      expect(await t.database.db.selectFrom('probe').selectAll().execute()).toEqual([]);
    } finally {
      await t.cleanup();
    }
  });
});

describe.each(TEST_DIALECTS)('SQL adapter diagnostics on %s', (dialect) => {
  it('warns exactly when PostgreSQL runs without autovacuum, and never for SQLite', async () => {
    const t = await createTestDatabase(dialect);
    try {
      const warnings = await t.database.diagnose();
      if (dialect === 'sqlite') {
        expect(warnings).toEqual([]);
      } else {
        const { rows } = await sql<{ autovacuum: string }>`show autovacuum`.execute(t.database.db);
        expect(warnings.length).toBe(rows[0]!.autovacuum === 'off' ? 1 : 0);
        for (const w of warnings) expect(w).toContain('autovacuum = off');
      }
    } finally {
      await t.cleanup();
    }
  });
});
