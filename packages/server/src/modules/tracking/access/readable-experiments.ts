import type { FastifyRequest } from 'fastify';
import type { RawBuilder, SqlBool } from 'kysely';
import type { TrackingContext } from '../tracking-context.js';

/** The caller's read filter over the `experiments` table; undefined when they may read everything. */
export function visibleExperiments(ctx: TrackingContext, request: FastifyRequest): RawBuilder<SqlBool> | undefined {
  return ctx.access.readableCondition(request, 'experiment', 'experiments.experiment_id', 'experiments.workspace');
}

/**
 * The requested experiment ids the caller may read, in the order given. Searches over a list of
 * experiments (runs, logged models, datasets) silently leave out the others, as MLflow's
 * permission plugin filters its search results, so paging stays correct.
 */
export async function readableExperimentIds(ctx: TrackingContext, request: FastifyRequest, ids: readonly number[]): Promise<number[]> {
  const visible = visibleExperiments(ctx, request);
  if (!visible || ids.length === 0) return [...ids];
  const rows = await ctx.db.selectFrom('experiments').select('experiment_id').where('experiment_id', 'in', [...ids]).where(visible).execute();
  const allowed = new Set(rows.map((r) => Number(r.experiment_id)));
  return ids.filter((id) => allowed.has(id));
}
