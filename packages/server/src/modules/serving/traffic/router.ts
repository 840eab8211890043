import { invalidParameter } from '../../../core/errors.js';
import type { RandomSource } from './random-source.js';
import { stableHashPercent } from './stable-hash.js';

/**
 * How a deployment splits its traffic. A version with weight 0 is still served: a request naming
 * it reaches it (a blue-green standby, a candidate before its first canary step), but routing
 * never picks it.
 */
export interface RouterConfig {
  /** Non-negative weights per version; they need not sum to 100, but at least one is positive. */
  readonly weights: Readonly<Record<string, number>>;
  /**
   * Whether requests that carry a sticky key (the value of the deployment's sticky header, read
   * by the caller) keep landing on the same version. Default false.
   */
  readonly sticky?: boolean;
  /** Default `Math.random`. */
  readonly random?: RandomSource;
}

export interface RouteRequest {
  /** A version the caller named (the `x-capstan-version` header); the caller checked `hasVersion`. */
  readonly versionOverride?: string;
  /** The request's sticky key; used only when the router is sticky. */
  readonly stickyKey?: string;
}

export interface TrafficRouter {
  /** The version that serves this request. Called on every request: allocates nothing. */
  pick(request: RouteRequest): string;
  /** Whether the deployment serves this version (weight 0 included): else the caller's 404. */
  hasVersion(version: string): boolean;
  /** Served versions in routing order (see `compareVersions`). */
  readonly versions: readonly string[];
}

/**
 * Builds a router for one weight configuration; a new configuration means a new router.
 *
 * The weights divide the line [0, 100) into consecutive ranges, one per version in version order.
 * A request lands at a point on that line and gets the version whose range holds the point: a
 * random point, or for a sticky request the point its key hashes to (`stableHashPercent`).
 *
 * Stickiness is per weight configuration: a key stays on its version as long as the weights stay.
 * When they change, only keys whose point a range boundary crossed change version. With two
 * versions that is exactly the share that moved (stable 95/candidate 5 -> 75/25 moves the 20% of
 * keys in [75, 95) from stable to candidate, and none back), which is why canary steps never
 * bounce a caller between versions.
 */
export function createRouter(config: RouterConfig): TrafficRouter {
  const versions = Object.keys(config.weights).sort(compareVersions);
  validate(config.weights, versions);
  const served = new Set(versions);
  const random = config.random ?? Math.random;
  const sticky = config.sticky ?? false;

  // Upper ends of each version's range on [0, 100), computed once so `pick` only compares.
  const total = versions.reduce((sum, v) => sum + (config.weights[v] as number), 0);
  const upperBounds = new Float64Array(versions.length);
  let cumulative = 0;
  versions.forEach((v, i) => {
    cumulative += config.weights[v] as number;
    upperBounds[i] = (cumulative / total) * 100;
  });
  // The last positive range must close the line exactly, whatever rounding did to the sum.
  const lastPositive = versions.findLastIndex((v) => (config.weights[v] as number) > 0);
  upperBounds.fill(100, lastPositive);

  const versionAt = (point: number): string => {
    for (let i = 0; i < upperBounds.length; i++) {
      // A zero-weight version's range is empty: its bound equals the previous one, already passed.
      if (point < (upperBounds[i] as number)) return versions[i] as string;
    }
    return versions[lastPositive] as string;
  };

  return {
    versions,
    hasVersion: (version) => served.has(version),
    pick(request) {
      const override = request.versionOverride;
      if (override !== undefined) {
        if (!served.has(override)) {
          throw new Error(`version ${JSON.stringify(override)} is not served here; the caller must check hasVersion first`);
        }
        return override;
      }
      const key = request.stickyKey;
      if (sticky && key !== undefined && key !== '') return versionAt(stableHashPercent(key));
      return versionAt(random() * 100);
    },
  };
}

/**
 * Routing order: registry version numbers ascending as numbers ('2' before '10'), then any other
 * names as strings. The order must not depend on how the weights object was built, or a restart
 * would reshuffle sticky callers.
 */
export function compareVersions(a: string, b: string): number {
  const aNumeric = /^\d+$/.test(a);
  const bNumeric = /^\d+$/.test(b);
  if (aNumeric && bNumeric) {
    const byValue = Number(BigInt(a) - BigInt(b));
    if (byValue !== 0) return Math.sign(byValue);
  } else if (aNumeric !== bNumeric) {
    return aNumeric ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

function validate(weights: Readonly<Record<string, number>>, versions: readonly string[]): void {
  if (versions.length === 0) throw invalidParameter('Traffic weights name no version');
  for (const version of versions) {
    if (version === '') throw invalidParameter('Traffic weights name an empty version');
    const weight = weights[version];
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
      throw invalidParameter(`Traffic weight for version ${version} must be a non-negative number, got ${String(weight)}`);
    }
  }
  if (!versions.some((v) => (weights[v] as number) > 0)) {
    throw invalidParameter('Traffic weights must give at least one version a positive weight');
  }
}
