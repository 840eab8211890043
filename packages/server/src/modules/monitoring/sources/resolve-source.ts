import { invalidParameter, notFound } from '../../../core/errors.js';
import type { DriftColumns } from '../drift/index.js';
import type { SourceInput } from '../http/source-schema.js';
import { normalizeColumn } from './cells.js';
import { readWindowColumns, WindowTooLarge, type ReadWindow } from './window-columns.js';

export interface SourceDeps {
  readWindow: ReadWindow;
  deploymentWorkspace(name: string): Promise<string | undefined>;
  /** Logged rows a window may hold; beyond it the request is refused. */
  maxWindowRows: number;
}

/** The columns a request's source names (404 for an unknown deployment, 400 for a window too large). */
export async function resolveSource(source: SourceInput, deps: SourceDeps): Promise<{ columns: DriftColumns; rows: number }> {
  const { columns, rows } = 'columns' in source ? { columns: source.columns, rows: Math.max(0, ...Object.values(source.columns).map((c) => c.length)) } : await readWindow(source, deps);
  return { columns: Object.fromEntries(Object.entries(columns).map(([name, values]) => [name, normalizeColumn(values)])), rows };
}

async function readWindow(source: Exclude<SourceInput, { columns: unknown }>, deps: SourceDeps) {
  if ((await deps.deploymentWorkspace(source.deployment)) === undefined) throw notFound(`Deployment '${source.deployment}' not found`);
  try {
    return await readWindowColumns(deps.readWindow, { ...source, part: source.part ?? 'inputs' }, deps.maxWindowRows);
  } catch (err) {
    if (err instanceof WindowTooLarge) throw invalidParameter(err.message);
    throw err;
  }
}
