import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { ObjectRef } from '../../security/index.js';
import { parseArtifactPath } from '../artifacts/artifact-path.js';
import { blobKeyForArtifactUri } from '../artifacts/artifact-uri.js';
import { readInput } from '../http/mlflow-route.js';
import { optionalString } from '../http/request-fields.js';
import type { TrackingTables } from '../tables.js';
import type { TrackingLocators } from './access-types.js';

const DIGITS = /^\d{1,18}$/;

const experimentRef = (row: { experiment_id: number; workspace: string } | undefined): ObjectRef | undefined =>
  row && { objectType: 'experiment', objectId: String(row.experiment_id), workspace: row.workspace };

/** The experiments (with their workspaces) that hold the given runs; unknown runs name none. */
export function experimentsOfRuns(db: Kysely<TrackingTables>): (runIds: readonly string[]) => Promise<ObjectRef[]> {
  return async (runIds) => {
    if (runIds.length === 0) return [];
    const rows = await db
      .selectFrom('runs')
      .innerJoin('experiments', 'experiments.experiment_id', 'runs.experiment_id')
      .select(['experiments.experiment_id', 'experiments.workspace'])
      .where('runs.run_uuid', 'in', [...runIds])
      .distinct()
      .execute();
    return rows.map((r) => experimentRef(r)!);
  };
}

export function trackingLocators(db: Kysely<TrackingTables>): TrackingLocators {
  const byId = async (id: string | undefined) => {
    if (id === undefined || !DIGITS.test(id)) return undefined;
    return experimentRef(await db.selectFrom('experiments').select(['experiment_id', 'workspace']).where('experiment_id', '=', Number(id)).executeTakeFirst());
  };

  const byRuns = experimentsOfRuns(db);

  const artifactRef = async (path: string): Promise<ObjectRef> => {
    const key = parseArtifactPath(path);
    const first = key.split('/')[0] ?? '';
    const row = DIGITS.test(first)
      ? await db.selectFrom('experiments').select(['experiment_id', 'workspace', 'artifact_location']).where('experiment_id', '=', Number(first)).executeTakeFirst()
      : undefined;
    const root = row ? blobKeyForArtifactUri(row.artifact_location) : undefined;
    const inside = root !== undefined && root !== '' && (key === root || key.startsWith(`${root}/`));
    // Paths outside every experiment's proxied root (the store's top level, foreign folders) belong to no workspace: admins only.
    return row && inside ? experimentRef(row)! : { objectType: 'experiment', objectId: first || '(root)', workspace: null };
  };

  return {
    byExperimentId: async (request) => byId(optionalString(readInput(request), 'experiment_id')),
    byExperimentName: async (request) => {
      const name = optionalString(readInput(request), 'experiment_name');
      if (name === undefined) return undefined;
      return experimentRef(await db.selectFrom('experiments').select(['experiment_id', 'workspace']).where('name', '=', name).executeTakeFirst());
    },
    byRunId: async (request) => {
      const input = readInput(request);
      const runId = optionalString(input, 'run_id') || optionalString(input, 'run_uuid');
      const ref = runId ? (await byRuns([runId]))[0] : undefined;
      return ref && { ...ref, target: `run:${runId}` };
    },
    byRunIds: async (request) => {
      const value = readInput(request).run_ids;
      const ids = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
      const refs = await byRuns(ids);
      return refs.length ? refs : undefined;
    },
    byModelId: async (request) => {
      const modelId = optionalString(readInput(request), 'model_id');
      if (!modelId) return undefined;
      const ref = experimentRef(
        await db
          .selectFrom('logged_models')
          .innerJoin('experiments', 'experiments.experiment_id', 'logged_models.experiment_id')
          .select(['experiments.experiment_id', 'experiments.workspace'])
          .where('logged_models.model_id', '=', modelId)
          .executeTakeFirst(),
      );
      return ref && { ...ref, target: `logged_model:${modelId}` };
    },
    byArtifactPath: async (request) => artifactRef(artifactPathOf(request)),
    workspaceOf: async (experimentId) => (await byId(experimentId))?.workspace ?? undefined,
  };
}

/** The wildcard path of an artifact-proxy URL, or the `path` query of its listing route. */
function artifactPathOf(request: FastifyRequest): string {
  const params = request.params as Record<string, string | undefined>;
  if (params['*'] !== undefined) return params['*'];
  const query = request.query as Record<string, unknown>;
  return typeof query.path === 'string' ? query.path : '';
}
