import type { MonitoringCell, MonitoringNumber } from '@capstan/contracts';

/** JSON.stringify would turn a non-finite figure into null; it is spelled out instead (as the drift route does). */
export function wireNumber(x: number): MonitoringNumber {
  if (Number.isFinite(x)) return x;
  return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
}

export const wireOrNull = (x: number | null): MonitoringNumber | null => (x === null ? null : wireNumber(x));

/** A segment value as the answer carries it (scalars as logged; anything else as its JSON). */
export function wireCell(value: unknown): MonitoringCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}
