/** Seconds per unit of a duration string. */
const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3_600, d: 86_400, w: 604_800 };

/** A duration as users write it: whole seconds, or `90s`, `15m`, `2h`, `1d`, `1w`. */
export type Duration = number | `${number}${'s' | 'm' | 'h' | 'd' | 'w'}`;

/**
 * Whole seconds from a number of seconds or a string such as `15m`; `what` names the field in the
 * error. Zero is allowed (a ttl of 0 means forever); callers that need a positive value check it.
 */
export function durationSeconds(value: unknown, what: string): number {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return value;
    throw new TypeError(`${what}: expected whole seconds (0 or more), got ${value}`);
  }
  const match = typeof value === 'string' ? /^\s*(\d+)\s*([smhdw])\s*$/.exec(value) : null;
  const seconds = match ? Number(match[1]) * UNIT_SECONDS[match[2]!]! : NaN;
  if (!Number.isSafeInteger(seconds)) {
    throw new TypeError(`${what}: expected seconds or a duration such as 90s, 15m, 2h, 1d or 1w, got ${JSON.stringify(value)}`);
  }
  return seconds;
}
