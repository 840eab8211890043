import type { ServedVersion } from './served-version.js';

/** Chooses the version for a request that names none. */
export interface VersionPicker {
  pick(request: { stickyKey?: string }): string;
}

/**
 * What a deployment serves at one moment. Immutable: a change (hot swap, new weights, a canary
 * step) builds a new table and replaces the old one in one assignment, so every request sees
 * either the old table or the new one, never a mix.
 */
export interface TrafficTable {
  readonly revision: number;
  /** Versions that take traffic, including weight-0 ones (a blue-green standby), by version string. */
  readonly versions: ReadonlyMap<string, ServedVersion>;
  readonly picker: VersionPicker;
  readonly stickyHeader: string | undefined;
  /** The version with the highest weight: what metadata describes. */
  readonly primary: ServedVersion;
  readonly shadow: { readonly served: ServedVersion; readonly percent: number } | undefined;
}

/** Everything a table holds, each session once (a version can be both in traffic and the shadow). */
export function servedIn(table: TrafficTable): ServedVersion[] {
  const all = new Set(table.versions.values());
  if (table.shadow) all.add(table.shadow.served);
  return [...all];
}
