import { tablesOf, type SqlDatabase } from '../../../ports/sql.js';
import type { RegistryTables } from '../tables.js';

/** The run that produced a model version (undefined for an unknown or deleted version, or one registered without a run). */
export function versionRunLookup(database: SqlDatabase<unknown>): (model: string, version: string) => Promise<string | undefined> {
  const { db } = tablesOf<RegistryTables>(database);
  return async (model, version) => {
    const number = Number(version);
    if (!Number.isSafeInteger(number)) return undefined;
    const row = await db
      .selectFrom('model_versions as v')
      .innerJoin('registered_models as m', 'm.model_id', 'v.model_id')
      .select('v.run_id')
      .where('m.name', '=', model)
      .where('v.version', '=', number)
      .where('v.deleted', '=', 0)
      .executeTakeFirst();
    return row?.run_id ?? undefined;
  };
}
