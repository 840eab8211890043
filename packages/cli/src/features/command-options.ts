import { InvalidArgumentError } from 'commander';
import { UsageError } from '../errors.js';

/** commander parser for START and END: an ISO 8601 time (UTC unless it says otherwise), or `now`. */
export function parseTime(value: string, what: string): Date {
  if (value === 'now') return new Date();
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(value) || /^\d{4}-\d{2}-\d{2}$/.test(value);
  const date = new Date(hasZone ? value : `${value}Z`);
  if (Number.isNaN(date.getTime())) throw new UsageError(`${what}: expected an ISO 8601 time such as 2024-05-01T00:00:00Z, or now; got '${value}'`);
  return date;
}

/** commander parser for `--features view:feature,...`. */
export function parseFeatureRefs(value: string): string[] {
  const refs = value.split(',').map((r) => r.trim()).filter((r) => r !== '');
  const bad = refs.filter((r) => !/^[^:]+:[^:]+$/.test(r));
  if (refs.length === 0 || bad.length) throw new InvalidArgumentError(`expected view:feature references separated by commas${bad.length ? `, got ${bad.join(', ')}` : ''}`);
  return refs;
}

/** Exactly one of `--service` and `--features`: what a lookup asks for. */
export function featuresWanted(opts: { service?: string; features?: string[] }): { service: string } | { features: string[] } {
  if (opts.service !== undefined && opts.features !== undefined) throw new UsageError('pass either --service or --features, not both');
  if (opts.service !== undefined) return { service: opts.service };
  if (opts.features !== undefined) return { features: opts.features };
  throw new UsageError('pass --service NAME or --features view:feature,...');
}
