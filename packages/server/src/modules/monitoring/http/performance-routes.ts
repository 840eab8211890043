import type { FastifyInstance } from 'fastify';
import { CAPSTAN_API_PREFIX, MONITORING_PERFORMANCE_ROUTE, type PerformanceReportResponse } from '@capstan/contracts';
import { invalidParameter } from '../../../core/errors.js';
import { parseWith } from '../../../core/parse-body.js';
import { PerformanceError } from '../performance/index.js';
import { buildPerformanceReport, scoreColumnsOf, type ReferenceInput } from '../performance-api/report.js';
import { LabelledWindowError, readLabelledWindow } from '../sources/labelled-window.js';
import type { SourceDeps } from '../sources/resolve-source.js';
import { deploymentsInBody } from './deployment-access.js';
import { performanceRequestSchema } from './performance-request.js';

export interface PerformanceRouteDeps extends SourceDeps {
  bodyLimitBytes: number;
}

/**
 * `POST /api/capstan/v1/monitoring/performance`: a deployment's logged predictions in a time window
 * joined with the labels posted for them, scored overall, per window and per segment (scikit-learn's
 * metrics), with label coverage, CBPE estimates against a labelled reference and Page-Hinkley /
 * ADWIN over the error stream. Reading a deployment's window needs READ on it (the current and the
 * reference deployment, as the drift report).
 */
export function registerPerformanceRoutes(app: FastifyInstance, deps: PerformanceRouteDeps): void {
  app.post(
    `${CAPSTAN_API_PREFIX}${MONITORING_PERFORMANCE_ROUTE.path}`,
    {
      config: { access: { kind: 'object', permission: 'READ', locate: deploymentsInBody(deps.deploymentWorkspace) }, action: 'monitoring.performance' },
      bodyLimit: deps.bodyLimitBytes,
      schema: { tags: ['monitoring'] },
    },
    async (request): Promise<PerformanceReportResponse> => {
      const body = parseWith(performanceRequestSchema, request.body, 'performance request');
      const columns = {
        prediction: body.prediction,
        scores: scoreColumnsOf(body),
        ...(body.segment_by !== undefined ? { segmentBy: body.segment_by } : {}),
      };
      try {
        const current = await readLabelledWindow(deps, body.current, columns, 'current');
        let reference: ReferenceInput | undefined;
        if (body.reference) {
          reference =
            'deployment' in body.reference
              ? { kind: 'window', window: await readLabelledWindow(deps, body.reference, { prediction: columns.prediction, scores: columns.scores }, 'reference') }
              : { kind: 'inline', data: body.reference };
        }
        return { performance: buildPerformanceReport(body, current, reference) };
      } catch (err) {
        if (err instanceof PerformanceError || err instanceof LabelledWindowError) throw invalidParameter(`Invalid performance request: ${err.message}`);
        throw err;
      }
    },
  );
}
