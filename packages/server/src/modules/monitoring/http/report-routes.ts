import type { FastifyInstance, FastifyReply } from 'fastify';
import { CAPSTAN_API_PREFIX, MONITORING_REPORT_ROUTES, type DriftReportDocument } from '@capstan/contracts';
import { invalidParameter } from '../../../core/errors.js';
import { parseWith } from '../../../core/parse-body.js';
import { DriftError } from '../drift/index.js';
import { buildDriftReport, evidentlyReport, htmlReport, type DriftReport } from '../report/index.js';
import { resolveSource, type SourceDeps } from '../sources/resolve-source.js';
import { deploymentsInBody } from './deployment-access.js';
import { driftRequestSchema } from './drift-request.js';
import { optionsOf as driftOptionsOf } from './drift-routes.js';
import { prefersHtml } from './accept.js';

export interface ReportRouteDeps extends SourceDeps {
  bodyLimitBytes: number;
}

const MAX_TITLE = 200;

/**
 * The page is built only from escaped text and carries no script; this policy is a second lock in
 * case escaping ever misses, since the report is served from the API's own origin.
 */
const HTML_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  'x-content-type-options': 'nosniff',
} as const;

/**
 * `POST /api/capstan/v1/monitoring/drift/report`: the drift request's body (sources, tests,
 * thresholds, drift share), answered as a report: Evidently-shaped JSON by default, or one
 * self-contained HTML file when the client prefers `text/html`. `?title=` names the report.
 * Access is the drift route's: READ on every deployment a side reads.
 */
export function registerDriftReportRoutes(app: FastifyInstance, deps: ReportRouteDeps): void {
  app.post(
    `${CAPSTAN_API_PREFIX}${MONITORING_REPORT_ROUTES.driftReport.path}`,
    {
      config: { access: { kind: 'object', permission: 'READ', locate: deploymentsInBody(deps.deploymentWorkspace) }, action: 'monitoring.driftReport' },
      bodyLimit: deps.bodyLimitBytes,
      schema: { tags: ['monitoring'] },
    },
    async (request, reply: FastifyReply): Promise<DriftReportDocument | string> => {
      const body = parseWith(driftRequestSchema, request.body, 'drift report request');
      const title = titleOf(request.query);
      const reference = await resolveSource(body.reference, deps);
      const current = await resolveSource(body.current, deps);
      let report: DriftReport;
      try {
        report = buildDriftReport(reference.columns, current.columns, {
          ...driftOptionsOf(body),
          generatedAt: new Date(),
          referenceRows: reference.rows,
          currentRows: current.rows,
          ...(title !== undefined ? { title } : {}),
        });
      } catch (err) {
        if (err instanceof DriftError) throw invalidParameter(err.message);
        throw err;
      }
      // Caches must not hand the HTML to a client that asked for JSON, or the reverse.
      void reply.header('vary', 'accept');
      if (!prefersHtml(request.headers.accept)) return evidentlyReport(report);
      void reply.headers(HTML_HEADERS);
      return htmlReport(report);
    },
  );
}

function titleOf(query: unknown): string | undefined {
  const title = (query as { title?: unknown } | undefined)?.title;
  if (title === undefined) return undefined;
  if (typeof title !== 'string' || title.length === 0 || title.length > MAX_TITLE) {
    throw invalidParameter(`Invalid drift report request: title: must be one text of 1 to ${MAX_TITLE} characters`);
  }
  return title;
}
