import type { FastifyInstance } from 'fastify';
import { CAPSTAN_API_PREFIX } from '@capstan/contracts';
import type { AccessRule } from '../../security/index.js';
import { readInput, requestFields } from '../../tracking/index.js';
import type { RegistryContext } from '../registry-context.js';
import type { VersionStore } from '../version-store.js';

/**
 * `GET /api/capstan/v1/model-versions/package?name=&version=`: what registration learned from a
 * version's package (MLflow's ModelVersion has no place for it): the main flavor and the signature,
 * declared or read from the ONNX graph, as MLflow's MLmodel spells it.
 */
export function registerPackageRoutes(app: FastifyInstance, ctx: RegistryContext, versions: VersionStore, read: AccessRule): void {
  app.get(
    `${CAPSTAN_API_PREFIX}/model-versions/package`,
    { config: { access: read, action: 'registry.getModelVersionPackage' }, schema: { tags: ['registry'] } },
    async (request) => {
      const input = readInput(request);
      const v = await versions.require(requestFields.optionalString(input, 'name'), requestFields.optionalString(input, 'version'));
      const row = await ctx.db.selectFrom('model_versions').select(['flavor', 'signature']).where('model_id', '=', v.modelId).where('version', '=', v.version).executeTakeFirstOrThrow();
      const fields = row.signature ? (JSON.parse(row.signature) as { inputs?: string; outputs?: string; params?: string }) : undefined;
      return {
        name: v.name,
        version: String(v.version),
        flavor: row.flavor,
        signature: fields ? { inputs: parse(fields.inputs), outputs: parse(fields.outputs), ...(fields.params ? { params: parse(fields.params) } : {}) } : null,
      };
    },
  );
}

function parse(text: string | undefined | null): unknown {
  return text ? JSON.parse(text) : null;
}
