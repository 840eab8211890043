import { InvalidArgumentError } from 'commander';

type Int64 = number | string | undefined;

/** Epoch milliseconds (number or int64 string) as `2024-05-01T12:00:00Z`; empty when unset. */
export function formatTime(ms: Int64): string {
  if (ms === undefined || ms === '') return '';
  const date = new Date(Number(ms));
  return Number.isNaN(date.getTime()) ? String(ms) : `${date.toISOString().slice(0, 19)}Z`;
}

/** A run's wall time, e.g. `1h02m`, `3m05s`, `4.2s`; empty while it has no end. */
export function formatDuration(startMs: Int64, endMs: Int64): string {
  if (startMs === undefined || endMs === undefined || endMs === '') return '';
  const ms = Number(endMs) - Number(startMs);
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return hours > 0 ? `${hours}h${pad(minutes)}m` : `${minutes}m${pad(seconds)}s`;
}

/** commander parser for `--max-results`. */
export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

/** commander collector for repeatable `--tag key=value`. */
export function collectTag(value: string, previous: Array<{ key: string; value: string }> = []) {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected key=value, got '${value}'`);
  return [...previous, { key: value.slice(0, eq), value: value.slice(eq + 1) }];
}

/** commander collector for repeatable string options such as `--order-by`. */
export function collectString(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

const DURATION_UNITS_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** commander parser for `--expires-in`: `90m`, `12h`, `30d`, `2w`... into milliseconds. */
export function parseDuration(value: string): number {
  const match = /^(\d+)([smhdw])$/.exec(value.trim());
  const ms = match ? Number(match[1]) * DURATION_UNITS_MS[match[2]!]! : 0;
  if (!Number.isSafeInteger(ms) || ms <= 0) throw new InvalidArgumentError(`expected a duration such as 90m, 12h, 30d or 2w, got '${value}'`);
  return ms;
}

/** commander parser for comma-separated lists such as `--deployments a,b`. */
export function parseList(value: string): string[] {
  const items = value.split(',').map((item) => item.trim()).filter((item) => item !== '');
  if (items.length === 0) throw new InvalidArgumentError('expected a comma-separated list');
  return items;
}
