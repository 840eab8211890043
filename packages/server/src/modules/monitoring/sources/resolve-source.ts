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
