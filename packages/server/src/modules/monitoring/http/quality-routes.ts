import type { FastifyInstance } from 'fastify';
import { CAPSTAN_API_PREFIX } from '@capstan/contracts';
import { invalidParameter } from '../../../core/errors.js';
import { parseWith } from '../../../core/parse-body.js';
import { approx, QualityError, runQualityChecks, type ChecksOptions, type Condition, type QualityInput, type Threshold } from '../quality/index.js';
import { resolveSource, type SourceDeps } from '../sources/resolve-source.js';
import { deploymentsInBody } from './deployment-access.js';
import { qualityRequestSchema, type ConditionInput, type QualityRequest } from './quality-request.js';

export interface QualityRouteDeps extends SourceDeps {
  bodyLimitBytes: number;
}

/**
 * `POST /api/capstan/v1/monitoring/data-quality`: the data-quality checks of a current sample
 * (inline columns or a deployment's logged traffic in a window), with conditions derived from a
 * reference when one is given, or stated per check. Each test answers SUCCESS, FAIL, WARNING,
 * ERROR or SKIPPED with a sentence. Reading a deployment's window needs READ on it.
 */
export function registerQualityRoutes(app: FastifyInstance, deps: QualityRouteDeps): void {
  app.post(
    `${CAPSTAN_API_PREFIX}/monitoring/data-quality`,
    {
      config: { access: { kind: 'object', permission: 'READ', locate: deploymentsInBody(deps.deploymentWorkspace) }, action: 'monitoring.dataQuality' },
      bodyLimit: deps.bodyLimitBytes,
      schema: { tags: ['monitoring'] },
    },
    async (request) => {
      const body = parseWith(qualityRequestSchema, request.body, 'data-quality request');
      const current = await resolveSource(body.current, deps);
      const reference = body.reference ? await resolveSource(body.reference, deps) : undefined;
      let report;
      try {
        report = runQualityChecks(inputOf(body, current.columns, reference?.columns));
      } catch (err) {
        if (err instanceof QualityError) throw invalidParameter(err.message);
        throw err;
      }
      const counts: Record<string, number> = { SUCCESS: 0, FAIL: 0, WARNING: 0, ERROR: 0, SKIPPED: 0 };
      for (const test of report.tests) counts[test.status]! += 1;
      return {
        data_quality: {
          tests: report.tests.map((t) => ({ ...t, parameters: { value: t.parameters.value, condition: t.parameters.condition && conditionToWire(t.parameters.condition) } })),
          status_counts: counts,
          summary: snakeKeys(report.summary),
        },
      };
    },
  );
}

function inputOf(body: QualityRequest, current: QualityInput['current'], reference: QualityInput['reference']): QualityInput {
  const checksOf = (c: NonNullable<QualityRequest['checks']>): ChecksOptions =>
    Object.fromEntries(Object.entries(c).map(([id, o]) => [id, { ...o, ...(o?.condition ? { condition: conditionFromWire(o.condition) } : {}) }]));
  return {
    current,
    ...(reference ? { reference } : {}),
    ...(body.column_types ? { columnTypes: body.column_types } : {}),
    ...(body.signature ? { signature: body.signature } : {}),
    ...(body.missing_values ? { missingValues: body.missing_values } : {}),
    ...(body.almost_constant_share !== undefined ? { almostConstantShare: body.almost_constant_share } : {}),
    ...(body.n_sigmas !== undefined ? { nSigmas: body.n_sigmas } : {}),
    ...(body.checks ? { checks: checksOf(body.checks) } : {}),
    ...(body.column_checks ? { columnChecks: Object.fromEntries(Object.entries(body.column_checks).map(([column, c]) => [column, checksOf(c)])) } : {}),
  };
}

const THRESHOLD_KEYS = ['eq', 'not_eq', 'gt', 'gte', 'lt', 'lte'] as const;

function conditionFromWire(c: ConditionInput): Condition {
  const out: Record<string, unknown> = { ...c };
  for (const key of THRESHOLD_KEYS) {
    const t = c[key];
    if (t !== undefined && typeof t !== 'number') out[key] = approx(t.approx, t.relative, t.absolute);
  }
  return out as Condition;
}

function conditionToWire(c: Condition): Record<string, unknown> {
  const out: Record<string, unknown> = { ...c };
  for (const key of THRESHOLD_KEYS) {
    const t: Threshold | undefined = c[key];
    if (t !== undefined && typeof t !== 'number') out[key] = { approx: t.value, relative: t.relative, absolute: t.absolute };
  }
  return out;
}

/** The summaries' camelCase keys in the API's snake_case (their values hold no user-named keys). */
function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snakeKeys(v)]));
}
