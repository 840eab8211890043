import { describe, expect, it } from 'vitest';
import { compareVersions, createRouter, type TrafficRouter } from './router.js';
import { stableHashPercent } from './stable-hash.js';
import { seededRandom } from '../../../core/test-support/seeded-random.js';

const never = () => {
  throw new Error('random must not be drawn');
};

function shares(router: TrafficRouter, picks: number, request: (i: number) => Parameters<TrafficRouter['pick']>[0] = () => ({})) {
  const counts = new Map<string, number>();
  for (let i = 0; i < picks; i++) {
    const version = router.pick(request(i));
    counts.set(version, (counts.get(version) ?? 0) + 1);
  }
  return Object.fromEntries([...counts].map(([v, n]) => [v, n / picks]));
}

const keys = Array.from({ length: 20_000 }, (_, i) => `user-${i}`);

describe('createRouter: random picks', () => {
  it('splits traffic by weight', () => {
    const router = createRouter({ weights: { '1': 70, '2': 20, '3': 10 }, random: seededRandom(42) });
    const got = shares(router, 100_000);
    // Five standard deviations of a share over 100,000 picks is under 0.75 points.
    expect(Math.abs((got['1'] as number) - 0.7)).toBeLessThan(0.0075);
    expect(Math.abs((got['2'] as number) - 0.2)).toBeLessThan(0.0075);
    expect(Math.abs((got['3'] as number) - 0.1)).toBeLessThan(0.0075);
  });

  it('accepts weights that do not sum to 100', () => {
    const got = shares(createRouter({ weights: { a: 1, b: 3 }, random: seededRandom(7) }), 50_000);
    expect(Math.abs((got['a'] as number) - 0.25)).toBeLessThan(0.01);
    expect(Math.abs((got['b'] as number) - 0.75)).toBeLessThan(0.01);
  });

  it('maps the random line onto cumulative weights, skipping zero weights', () => {
    const at = (r: number) => createRouter({ weights: { '1': 30, '2': 0, '3': 70 }, random: () => r }).pick({});
    expect(at(0)).toBe('1');
    expect(at(0.2999)).toBe('1');
    expect(at(0.3)).toBe('3');
    expect(at(0.999999)).toBe('3');
  });

  it('never picks a zero-weight version, yet serves it', () => {
    const router = createRouter({ weights: { '1': 0, '2': 100, '3': 0 }, random: seededRandom(1) });
    expect(shares(router, 10_000)).toEqual({ '2': 1 });
    expect(router.hasVersion('1')).toBe(true);
    expect(router.hasVersion('3')).toBe(true);
    expect(router.hasVersion('4')).toBe(false);
  });

  it('refuses weights it cannot route with', () => {
    expect(() => createRouter({ weights: {} })).toThrow(/no version/);
    expect(() => createRouter({ weights: { '1': 0, '2': 0 } })).toThrow(/at least one version a positive weight/);
    expect(() => createRouter({ weights: { '1': -5, '2': 105 } })).toThrow(/non-negative/);
    expect(() => createRouter({ weights: { '1': Number.NaN } })).toThrow(/non-negative/);
    expect(() => createRouter({ weights: { '1': Infinity } })).toThrow(/non-negative/);
  });
});

describe('createRouter: overrides', () => {
  it('sends a request naming a served version there, whatever the weights', () => {
    const router = createRouter({ weights: { '1': 100, '2': 0 }, sticky: true, random: never });
    expect(router.pick({ versionOverride: '2' })).toBe('2');
    expect(router.pick({ versionOverride: '2', stickyKey: 'user-1' })).toBe('2');
    expect(router.pick({ versionOverride: '1' })).toBe('1');
  });

  it('throws for a version the caller should have answered with 404', () => {
    const router = createRouter({ weights: { '1': 100 } });
    expect(() => router.pick({ versionOverride: '9' })).toThrow(/hasVersion/);
  });
});

describe('createRouter: stickiness', () => {
  it('sends a key to the same version every time, in any router with the same weights', () => {
    // Names that are not numbers keep their insertion order in an object: the router must not.
    const first = createRouter({ weights: { blue: 50, green: 50 }, sticky: true, random: never });
    const second = createRouter({ weights: { green: 50, blue: 50 }, sticky: true, random: never });
    for (const key of keys.slice(0, 2_000)) {
      const version = first.pick({ stickyKey: key });
      expect(first.pick({ stickyKey: key })).toBe(version);
      expect(second.pick({ stickyKey: key })).toBe(version);
    }
  });

  it('spreads keys by weight', () => {
    const router = createRouter({ weights: { '1': 70, '2': 30 }, sticky: true, random: never });
    const got = shares(router, keys.length, (i) => ({ stickyKey: keys[i] as string }));
    expect(Math.abs((got['1'] as number) - 0.7)).toBeLessThan(0.015);
  });

  it('moves only the share that changed, and only towards the version that gained it', () => {
    const before = createRouter({ weights: { '1': 95, '2': 5 }, sticky: true, random: never });
    const after = createRouter({ weights: { '1': 75, '2': 25 }, sticky: true, random: never });
    let moved = 0;
    for (const key of keys) {
      const [from, to] = [before.pick({ stickyKey: key }), after.pick({ stickyKey: key })];
      if (from === to) continue;
      moved++;
      expect([from, to]).toEqual(['1', '2']);
    }
    expect(Math.abs(moved / keys.length - 0.2)).toBeLessThan(0.015);
  });

  it('keeps a key on the candidate once a canary step put it there', () => {
    const routers = [5, 25, 50, 100].map((w) => createRouter({ weights: { '3': 100 - w, '4': w }, sticky: true, random: never }));
    for (const key of keys.slice(0, 5_000)) {
      const path = routers.map((r) => r.pick({ stickyKey: key })).join('');
      expect(path).toMatch(/^3*4*$/);
    }
  });

  it('orders versions by number, so a weight edit never reshuffles keys', () => {
    const numeric = createRouter({ weights: { '10': 50, '9': 50 }, sticky: true, random: never });
    expect(numeric.versions).toEqual(['9', '10']);
    // '9' comes first, so it holds [0, 50) of the hash line.
    const low = keys.find((k) => stableHashPercent(k) < 50) as string;
    const high = keys.find((k) => stableHashPercent(k) >= 50) as string;
    expect(numeric.pick({ stickyKey: low })).toBe('9');
    expect(numeric.pick({ stickyKey: high })).toBe('10');
    expect(['b', '10', 'a', '2'].sort(compareVersions)).toEqual(['2', '10', 'a', 'b']);
  });

  it('draws at random for requests without a key, or when the deployment is not sticky', () => {
    const sticky = createRouter({ weights: { '1': 50, '2': 50 }, sticky: true, random: () => 0.9 });
    expect(sticky.pick({})).toBe('2');
    expect(sticky.pick({ stickyKey: '' })).toBe('2');
    const plain = createRouter({ weights: { '1': 50, '2': 50 }, random: () => 0.1 });
    const key = keys.find((k) => sticky.pick({ stickyKey: k }) === '2') as string;
    expect(plain.pick({ stickyKey: key })).toBe('1');
  });
});

describe('createRouter: blue-green', () => {
  it('switches every request and every key in one weight change, and keeps the old colour reachable', () => {
    const blue = createRouter({ weights: { '1': 100, '2': 0 }, sticky: true, random: seededRandom(3) });
    const green = createRouter({ weights: { '1': 0, '2': 100 }, sticky: true, random: seededRandom(3) });
    expect(shares(blue, 5_000)).toEqual({ '1': 1 });
    expect(shares(green, 5_000)).toEqual({ '2': 1 });
    expect(shares(blue, 5_000, (i) => ({ stickyKey: keys[i] as string }))).toEqual({ '1': 1 });
    expect(shares(green, 5_000, (i) => ({ stickyKey: keys[i] as string }))).toEqual({ '2': 1 });
    expect(green.pick({ versionOverride: '1' })).toBe('1');
  });
});
