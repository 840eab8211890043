import type { MonitoringNumber } from '@capstan/contracts';

/**
 * A figure as monitoring answers carry it: JSON.stringify would turn NaN and ±Infinity into null,
 * which reads as "no value", so they are spelled out ("NaN", "Infinity", "-Infinity").
 */
export function wireNumber(x: number): MonitoringNumber {
  if (Number.isFinite(x)) return x;
  return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
}

/** wireNumber, keeping null (a figure that is undefined for the data). */
export const wireOrNull = (x: number | null): MonitoringNumber | null => (x === null ? null : wireNumber(x));
