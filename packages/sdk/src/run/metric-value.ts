import type { Metric } from '@capstan/contracts';

/**
 * JSON has no NaN or Infinity (`JSON.stringify` would send `null`); proto-JSON spells them as
 * strings, which MLflow's server parses back into doubles.
 */
export function toWireDouble(value: number): Metric['value'] {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return value;
}

/** `JSON.stringify` replacer applying {@link toWireDouble} to every number. */
export function wireJsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'number' ? toWireDouble(value) : value;
}
