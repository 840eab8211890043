import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CAPSTAN_API_PREFIX, MONITORING_ROUTES, type ColumnDrift, type DriftReportResponse } from '@capstan/contracts';
import { invalidParameter, notFound } from '../../../core/errors.js';
import { parseWith } from '../../../core/parse-body.js';
import type { ObjectLocator, ObjectRef } from '../../security/index.js';
import { detectDatasetDrift, DriftError, type ColumnDriftResult, type DatasetDriftOptions, type DriftColumns } from '../drift/index.js';
import { normalizeColumn } from '../sources/cells.js';
import { readWindowColumns, WindowTooLarge, type ReadWindow } from '../sources/window-columns.js';
import { driftRequestSchema, type DriftRequest, type DriftSourceInput } from './drift-request.js';

export interface DriftRouteDeps {
  readWindow: ReadWindow;
  deploymentWorkspace(name: string): Promise<string | undefined>;
  /** Logged rows a window may hold; beyond it the request is refused. */
  maxWindowRows: number;
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
      config: { access: { kind: 'object', permission: 'READ', locate: deploymentsInBody(deps) }, action: 'monitoring.drift' },
      bodyLimit: deps.bodyLimitBytes,
      schema: { tags: ['monitoring'] },
    },
    async (request): Promise<DriftReportResponse> => {
      const body = parseWith(driftRequestSchema, request.body, 'drift request');
      const reference = await columnsOf(body.reference, deps);
      const current = await columnsOf(body.current, deps);
      let result;
      try {
        result = detectDatasetDrift(reference.columns, current.columns, optionsOf(body));
      } catch (err) {
        if (err instanceof DriftError) throw invalidParameter(err.message);
        throw err;
      }
      return {
        drift: {
          columns: result.columns.map(toWire),
          number_of_columns: result.numberOfColumns,
          number_of_drifted_columns: result.numberOfDriftedColumns,
          share_of_drifted_columns: result.shareOfDriftedColumns,
          drift_share: result.driftShare,
          dataset_drift: result.datasetDrift,
          reference_rows: reference.rows,
          current_rows: current.rows,
        },
      };
    },
  );
}

async function columnsOf(source: DriftSourceInput, deps: DriftRouteDeps): Promise<{ columns: DriftColumns; rows: number }> {
  if ('columns' in source) {
    const columns = Object.fromEntries(Object.entries(source.columns).map(([name, values]) => [name, normalizeColumn(values)]));
    return { columns, rows: Math.max(0, ...Object.values(source.columns).map((c) => c.length)) };
  }
  if ((await deps.deploymentWorkspace(source.deployment)) === undefined) throw notFound(`Deployment '${source.deployment}' not found`);
  try {
    const window = await readWindowColumns(deps.readWindow, { ...source, part: source.part ?? 'inputs' }, deps.maxWindowRows);
    const columns = Object.fromEntries(Object.entries(window.columns).map(([name, values]) => [name, normalizeColumn(values)]));
    return { columns, rows: window.rows };
  } catch (err) {
    if (err instanceof WindowTooLarge) throw invalidParameter(err.message);
    throw err;
  }
}

function optionsOf(body: DriftRequest): DatasetDriftOptions {
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

function toWire(c: ColumnDriftResult): ColumnDrift {
  return {
    column: c.column,
    column_type: c.columnType,
    stattest: c.stattest,
    stattest_name: c.stattestDisplayName,
    threshold: c.threshold,
    score_kind: c.scoreKind,
    drift_score: c.score,
    ...(c.statistic === undefined ? {} : { statistic: c.statistic }),
    drift_detected: c.drifted,
    reference_size: c.referenceSize,
    current_size: c.currentSize,
    ...(c.warning === undefined ? {} : { warning: c.warning }),
  };
}

/** The deployments whose logs the body reads; a name that does not exist is left to the handler's 404. */
function deploymentsInBody(deps: DriftRouteDeps): ObjectLocator {
  return async (request: FastifyRequest) => {
    const body = request.body as { reference?: { deployment?: unknown }; current?: { deployment?: unknown } } | undefined;
    const refs: ObjectRef[] = [];
    for (const side of [body?.reference, body?.current]) {
      const name = side?.deployment;
      if (typeof name !== 'string') continue;
      const workspace = await deps.deploymentWorkspace(name);
      if (workspace !== undefined) refs.push({ objectType: 'deployment', objectId: name, workspace });
    }
    return refs;
  };
}
