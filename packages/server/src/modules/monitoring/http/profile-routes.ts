import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CAPSTAN_API_PREFIX, MONITORING_PROFILE_ROUTES, type ProfileResponse } from '@capstan/contracts';
import { invalidParameter } from '../../../core/errors.js';
import { parseWith } from '../../../core/parse-body.js';
import { deserializeProfile, mergeProfiles, ProfileError, type DatasetProfile, type SerializedProfile } from '../profiles/index.js';
import { resolveProfileSource, type SourceDeps } from '../sources/resolve-source.js';
import { deploymentOfBody } from './deployment-access.js';
import { profileToWire } from './profile-wire.js';
import { sourceSchema } from './source-schema.js';

export interface ProfileRouteDeps extends SourceDeps {
  bodyLimitBytes: number;
}

/** Profiles merged in one call; the body limit bounds them too. */
const MAX_MERGED = 1000;

const profileRequestSchema = z.union(
  [sourceSchema, z.object({ profiles: z.array(z.record(z.string(), z.unknown())).min(1).max(MAX_MERGED) }).strict()],
  { error: 'must be {"columns": {"name": [values]}}, {"deployment", "from", "to", "part"} or {"profiles": [<serialised profile>, ...]}' },
);

/**
 * `POST /api/capstan/v1/monitoring/profile`: the profile of one source (inline columns, or a
 * deployment's logged `inputs` or `outputs` in [from, to), read page by page in constant memory),
 * or the merge of serialised profiles (`{"profiles": [...]}`, what replicas or clients made), as the
 * serialised profile and a readable summary per column. Reading a deployment's window needs READ
 * on it, as for drift.
 */
export function registerProfileRoutes(app: FastifyInstance, deps: ProfileRouteDeps): void {
  app.post(
    `${CAPSTAN_API_PREFIX}${MONITORING_PROFILE_ROUTES.profile.path}`,
    {
      config: { access: { kind: 'object', permission: 'READ', locate: deploymentOfBody(deps.deploymentWorkspace) }, action: 'monitoring.profile' },
      bodyLimit: deps.bodyLimitBytes,
      schema: { tags: ['monitoring'] },
    },
    async (request): Promise<ProfileResponse> => {
      const body = parseWith(profileRequestSchema, request.body, 'profile request');
      const profile = 'profiles' in body ? mergeAll(body.profiles) : await resolveProfileSource(body, deps, 'Invalid profile request: ');
      return profileToWire(profile);
    },
  );
}

function mergeAll(serialised: readonly Record<string, unknown>[]): DatasetProfile {
  let merged: DatasetProfile | undefined;
  serialised.forEach((item, i) => {
    try {
      const profile = deserializeProfile(item as unknown as SerializedProfile);
      merged = merged ? mergeProfiles(merged, profile) : profile;
    } catch (err) {
      if (err instanceof ProfileError) throw invalidParameter(`Invalid profile request: profiles.${i}: ${err.message}`);
      throw err;
    }
  });
  return merged!;
}
