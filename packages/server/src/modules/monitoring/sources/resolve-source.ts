import { invalidParameter, notFound } from '../../../core/errors.js';
import type { DriftColumns } from '../drift/index.js';
import type { DriftSourceInput, SourceInput } from '../http/source-schema.js';
import { deserializeProfile, ProfileError, profileColumns, type DatasetProfile, type SerializedProfile } from '../profiles/index.js';
import { normalizeColumn } from './cells.js';
import { readWindowColumns, WindowTooLarge, type ReadWindow } from './window-columns.js';
import { profileWindow } from './window-profile.js';

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

/**
 * A side as a profile: inline columns profiled as the exact method would read them, a deployment's
 * window profiled page by page (constant memory, so without the row limit), or a serialised profile
 * read and checked. `prefix` starts the message refusing a malformed one and names the side
 * (`Invalid drift request: reference.` gives `Invalid drift request: reference.profile: ...`).
 */
export async function resolveProfileSource(source: DriftSourceInput, deps: SourceDeps, prefix: string): Promise<DatasetProfile> {
  if ('profile' in source) {
    try {
      // Only its shape was checked so far: deserializeProfile checks every field.
      return deserializeProfile(source.profile as unknown as SerializedProfile);
    } catch (err) {
      if (err instanceof ProfileError) throw invalidParameter(`${prefix}profile: ${err.message}`);
      throw err;
    }
  }
  if ('columns' in source) return profileInline((await resolveSource(source, deps)).columns, prefix);
  if ((await deps.deploymentWorkspace(source.deployment)) === undefined) throw notFound(`Deployment '${source.deployment}' not found`);
  return profileWindow(deps.readWindow, { ...source, part: source.part ?? 'inputs' });
}

function profileInline(columns: DriftColumns, prefix: string): DatasetProfile {
  try {
    return profileColumns(columns);
  } catch (err) {
    if (err instanceof ProfileError) throw invalidParameter(`${prefix}columns: ${err.message}`);
    throw err;
  }
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
