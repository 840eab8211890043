import type { FastifyInstance } from 'fastify';
import { CAPSTAN_API_PREFIX, type LineageGraph } from '@capstan/contracts';
import type { AccessRule } from '../../security/index.js';
import { readInput, requestFields } from '../../tracking/index.js';
import type { RegistryContext } from '../registry-context.js';
import type { VersionStore } from '../version-store.js';
import { buildLineage, type LineageContributor, type LineageDeps } from './build-lineage.js';
import type { RunLookup } from './run-ancestry.js';

/** What the lineage route needs from the module factory (model cards need this plus their store). */
export interface LineageRouteDeps {
  ctx: RegistryContext;
  versions: VersionStore;
  /** The tracking module's `runLookup(database)`. */
  runs: RunLookup;
  contributors?: readonly LineageContributor[];
}

export function lineageDeps(deps: LineageRouteDeps): LineageDeps {
  return { db: deps.ctx.db, runs: deps.runs, ...(deps.contributors ? { contributors: deps.contributors } : {}) };
}

/** `GET /api/capstan/v1/model-versions/lineage?name=&version=`: where a model version came from. */
export function registerLineageRoutes(app: FastifyInstance, deps: LineageRouteDeps, rules: { read: AccessRule }): void {
  app.get(
    `${CAPSTAN_API_PREFIX}/model-versions/lineage`,
    { config: { access: rules.read, action: 'registry.getModelVersionLineage' }, schema: { tags: ['registry'] } },
    async (request): Promise<LineageGraph> => {
      const input = readInput(request);
      const v = await deps.versions.require(requestFields.optionalString(input, 'name'), requestFields.optionalString(input, 'version'));
      return buildLineage(lineageDeps(deps), v);
    },
  );
}
