import type { FastifyInstance } from 'fastify';
import { CAPSTAN_API_PREFIX, MONITORING_ROUTES, type DriftResponseWithMethod } from '@capstan/contracts';
import { invalidParameter } from '../../../core/errors.js';
import { parseWith } from '../../../core/parse-body.js';
import { detectDatasetDrift, DriftError, type DatasetDriftOptions } from '../drift/index.js';
import { detectDatasetDriftOnProfiles } from '../profiles/index.js';
import { resolveProfileSource, resolveSource, type SourceDeps } from '../sources/resolve-source.js';
import { deploymentsInBody } from './deployment-access.js';
import { driftMethodRequestSchema, type DriftRequest } from './drift-request.js';
import { exactDriftToWire, profileDriftToWire } from './profile-wire.js';
import type { SourceInput } from './source-schema.js';

export interface DriftRouteDeps extends SourceDeps {
  bodyLimitBytes: number;
}

/**
 * `POST /api/capstan/v1/monitoring/drift`: per-column and dataset drift between a reference and a
 * current sample, each given inline as columns or as a deployment's logged traffic in a time
 * window (inputs for data drift, outputs for prediction drift), with Evidently's default tests or
 * the ones named. Reading a deployment's window needs READ on it.
 *
 * `"method": "profiles"` profiles both sides first (a window page by page, in constant memory) and
 * compares the profiles; a side may then also be a serialised profile. The answer is the same
 * report with `method`, and per column `exact` and `rank_error`.
 */
export function registerDriftRoutes(app: FastifyInstance, deps: DriftRouteDeps): void {
  app.post(
    `${CAPSTAN_API_PREFIX}${MONITORING_ROUTES.drift.path}`,
    {
      config: { access: { kind: 'object', permission: 'READ', locate: deploymentsInBody(deps.deploymentWorkspace) }, action: 'monitoring.drift' },
      bodyLimit: deps.bodyLimitBytes,
      schema: { tags: ['monitoring'] },
    },
    async (request): Promise<DriftResponseWithMethod> => {
      const body = parseWith(driftMethodRequestSchema, request.body, 'drift request');
      try {
        if (body.method === 'profiles') {
          const reference = await resolveProfileSource(body.reference, deps, 'Invalid drift request: reference.');
          const current = await resolveProfileSource(body.current, deps, 'Invalid drift request: current.');
          const result = detectDatasetDriftOnProfiles(reference, current, optionsOf(body));
          return { drift: profileDriftToWire(result, { reference: reference.rowCount, current: current.rowCount }) };
        }
        // The schema admits a profile side only with method profiles.
        const reference = await resolveSource(body.reference as SourceInput, deps);
        const current = await resolveSource(body.current as SourceInput, deps);
        const result = detectDatasetDrift(reference.columns, current.columns, optionsOf(body));
        return { drift: exactDriftToWire(result, { reference: reference.rows, current: current.rows }) };
      } catch (err) {
        if (err instanceof DriftError) throw invalidParameter(err.message);
        throw err;
      }
    },
  );
}

export function optionsOf(body: Omit<DriftRequest, 'reference' | 'current'>): DatasetDriftOptions {
  const o = {
    columns: body.columns,
    columnTypes: body.column_types,
    stattest: body.stattest,
    numericalStattest: body.numerical_stattest,
    categoricalStattest: body.categorical_stattest,
    perColumnStattest: body.per_column_stattest,
    threshold: body.stattest_threshold,
    numericalThreshold: body.numerical_stattest_threshold,
    categoricalThreshold: body.categorical_stattest_threshold,
    perColumnThreshold: body.per_column_stattest_threshold,
    driftShare: body.drift_share,
  };
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as DatasetDriftOptions;
}
