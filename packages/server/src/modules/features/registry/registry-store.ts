import type { Kysely } from 'kysely';
import type { FeatureProject, FeatureRepoDefinition } from '@capstan/contracts';
import { CapstanError } from '../../../core/errors.js';
import type { FeatureTables } from './tables.js';

export interface StoredProject extends FeatureProject {
  updatedBy: string | null;
}

export const conflict = (project: string, baseRevision: number, revision: number | undefined) =>
  new CapstanError(
    'RESOURCE_CONFLICT',
    revision === undefined
      ? `Feature project '${project}' was deleted since revision ${baseRevision} was read; plan again`
      : `Feature project '${project}' is at revision ${revision}, not ${baseRevision}: another apply landed since the plan; plan again`,
  );

/**
 * Feature projects: one definition document per project with a revision. Apply is a compare-and-set
 * on that revision, so two concurrent applies can never both land on the same base and lose one's
 * update: the second gets RESOURCE_CONFLICT and plans again.
 */
export class RegistryStore {
  constructor(
    private readonly db: Kysely<FeatureTables>,
    private readonly now: () => number,
  ) {}

  async find(project: string): Promise<StoredProject | undefined> {
    const row = await this.db.selectFrom('feature_projects').selectAll().where('project', '=', project).executeTakeFirst();
    return row && toProject(row);
  }

  async list(): Promise<StoredProject[]> {
    const rows = await this.db.selectFrom('feature_projects').selectAll().orderBy('project').execute();
    return rows.map(toProject);
  }

  /** Every project's revision: the cache's one cheap question. */
  async revisions(): Promise<Map<string, number>> {
    const rows = await this.db.selectFrom('feature_projects').select(['project', 'revision']).execute();
    return new Map(rows.map((r) => [r.project, Number(r.revision)]));
  }

  /**
   * Stores `definition` as the next revision after `baseRevision` (0: the project must not exist),
   * and forgets the materialization state of `resetViews` (deleted, or keys changed) in the same
   * transaction. Returns the new revision.
   */
  async apply(definition: FeatureRepoDefinition, opts: { workspace: string; baseRevision: number; actor: string | null; resetViews: readonly string[] }): Promise<number> {
    const { project } = definition;
    const now = this.now();
    const text = JSON.stringify(definition);
    return this.db.transaction().execute(async (trx) => {
      if (opts.baseRevision === 0) {
        const inserted = await trx
          .insertInto('feature_projects')
          .values({ project, workspace: opts.workspace, revision: 1, definition: text, created_at: now, updated_at: now, updated_by: opts.actor })
          .onConflict((oc) => oc.column('project').doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) throw conflict(project, 0, await currentRevision(trx, project));
        return 1;
      }
      const updated = await trx
        .updateTable('feature_projects')
        .set({ revision: opts.baseRevision + 1, definition: text, updated_at: now, updated_by: opts.actor })
        .where('project', '=', project)
        .where('revision', '=', opts.baseRevision)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw conflict(project, opts.baseRevision, await currentRevision(trx, project));
      if (opts.resetViews.length > 0) {
        await trx.deleteFrom('feature_view_state').where('project', '=', project).where('view', 'in', opts.resetViews).execute();
      }
      return opts.baseRevision + 1;
    });
  }

  /** Deletes a project with its state, history and dataset records; false when it did not exist. */
  async delete(project: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      // Children first: PostgreSQL enforces the cascade, SQLite only with foreign keys on.
      for (const table of ['feature_view_state', 'feature_materializations', 'feature_datasets'] as const) {
        await trx.deleteFrom(table).where('project', '=', project).execute();
      }
      const deleted = await trx.deleteFrom('feature_projects').where('project', '=', project).executeTakeFirst();
      return Number(deleted.numDeletedRows) === 1;
    });
  }
}

async function currentRevision(db: Kysely<FeatureTables>, project: string): Promise<number | undefined> {
  const row = await db.selectFrom('feature_projects').select('revision').where('project', '=', project).executeTakeFirst();
  return row ? Number(row.revision) : undefined;
}

function toProject(row: FeatureTables['feature_projects']): StoredProject {
  return {
    project: row.project,
    workspace: row.workspace,
    revision: Number(row.revision),
    updated_at: Number(row.updated_at),
    definition: JSON.parse(row.definition) as FeatureRepoDefinition,
    updatedBy: row.updated_by,
  };
}
