import type { FastifyInstance } from 'fastify';
import { CAPSTAN_API_PREFIX, MONITORING_ROUTES, type DriftReportResponse } from '@capstan/contracts';
import { invalidParameter } from '../../../core/errors.js';
import { parseWith } from '../../../core/parse-body.js';
import { detectDatasetDrift, DriftError, type DatasetDriftOptions } from '../drift/index.js';
import { driftReportToWire } from './drift-wire.js';
import { resolveSource, type SourceDeps } from '../sources/resolve-source.js';
import { deploymentsInBody } from './deployment-access.js';
import { driftRequestSchema, type DriftRequest } from './drift-request.js';

export interface DriftRouteDeps extends SourceDeps {
  bodyLimitBytes: number;
}

/**
 * `POST /api/capstan/v1/monitoring/drift`: per-column and dataset drift between a reference and a
 * current sample, each given inline as columns or as a deployment's logged traffic in a time
 * window (inputs for data drift, outputs for prediction drift), with Evidently's default tests or
 * the ones named. Reading a deployment's window needs READ on it.
 */
export function registerDriftRoutes(app: FastifyInstance, deps: DriftRouteDeps): void {
  app.post(
    `${CAPSTAN_API_PREFIX}${MONITORING_ROUTES.drift.path}`,
    {
      config: { access: { kind: 'object', permission: 'READ', locate: deploymentsInBody(deps.deploymentWorkspace) }, action: 'monitoring.drift' },
      bodyLimit: deps.bodyLimitBytes,
      schema: { tags: ['monitoring'] },
    },
    async (request): Promise<DriftReportResponse> => {
      const body = parseWith(driftRequestSchema, request.body, 'drift request');
      const reference = await resolveSource(body.reference, deps);
      const current = await resolveSource(body.current, deps);
      let result;
      try {
        result = detectDatasetDrift(reference.columns, current.columns, optionsOf(body));
      } catch (err) {
        if (err instanceof DriftError) throw invalidParameter(err.message);
        throw err;
      }
      return { drift: driftReportToWire(result, { reference: reference.rows, current: current.rows }) };
    },
  );
}

export function optionsOf(body: DriftRequest): DatasetDriftOptions {
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
