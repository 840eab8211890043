import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { CapstanError } from '../../core/errors.js';
import type { SchemaMigration, SqlDatabase } from '../../ports/sql.js';

/**
 * Brings the schema up to date. Kysely's migrator records applied steps in `kysely_migration` and
 * holds a lock while it runs (an advisory lock on PostgreSQL), so replicas starting together apply
 * each step once. A step that fails rolls back and stops the server from starting.
 */
export async function migrateToLatest<DB>(database: SqlDatabase<DB>, migrations: readonly SchemaMigration[]): Promise<string[]> {
  const names = migrations.map((m) => m.name);
  if (new Set(names).size !== names.length) throw new CapstanError('INTERNAL_ERROR', 'Duplicate migration names');
  const provider: MigrationProvider = {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const m of migrations) out[m.name] = { up: (db: Kysely<unknown>) => m.up(db, database.dialect) };
      return out;
    },
  };
  // Migrations are written against no particular table types: they create them.
  const migrator = new Migrator({ db: database.db as unknown as Kysely<unknown>, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new CapstanError('INTERNAL_ERROR', `Schema migration ${failed} failed: ${(error as Error).message}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
