import type { MonitoringCell } from '@capstan/contracts';

/** A segment value as the answer carries it (scalars as logged; anything else as its JSON). */
export function wireCell(value: unknown): MonitoringCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}
