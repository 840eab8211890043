import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CapstanError } from '../../core/errors.js';
import type { WindowCounterStore } from '../../ports/window-counter.js';

export interface WindowCounterFixture {
  store: WindowCounterStore;
  /** Lets `ms` pass for the store: a fake clock's advance, or a real sleep for a server. */
  wait(ms: number): Promise<void>;
  cleanup(): Promise<void>;
}

/** Short enough to keep the real waits small, long enough that a slow machine stays inside a window. */
const WINDOW_MS = 300;
const LONG_MS = 60_000;

/**
 * The behaviour every WindowCounterStore adapter must share. `name` should end in the backend
 * (`window counter on redis`) so CI can check that the real-server cases ran.
 */
export function describeWindowCounterContract(name: string, factory: () => Promise<WindowCounterFixture>): void {
  describe(`${name} (WindowCounterStore contract)`, () => {
    let fixture: WindowCounterFixture | undefined;
    const current = (): WindowCounterFixture => {
      if (fixture === undefined) throw new Error('the counter fixture was not created');
      return fixture;
    };
    const store = (): WindowCounterStore => current().store;

    beforeEach(async () => {
      fixture = await factory();
    });

    afterEach(async () => {
      await fixture?.cleanup();
      fixture = undefined;
    });

    it('counts 1, 2, 3 within one window, reporting time left within (0, windowMs]', async () => {
      for (const expected of [1, 2, 3]) {
        const { count, resetInMs } = await store().increment('login:alice', LONG_MS);
        expect(count).toBe(expected);
        expect(resetInMs).toBeGreaterThan(0);
        expect(resetInMs).toBeLessThanOrEqual(LONG_MS);
      }
    });

    it('keeps keys independent, including keys that are prefixes of each other', async () => {
      await store().increment('a', LONG_MS);
      await store().increment('a', LONG_MS);
      await expect(store().increment('a:b', LONG_MS)).resolves.toMatchObject({ count: 1 });
      await expect(store().increment('b', LONG_MS)).resolves.toMatchObject({ count: 1 });
      await expect(store().peek('a')).resolves.toMatchObject({ count: 2 });
    });

    it('starts a new count once the window has ended', async () => {
      await store().increment('k', WINDOW_MS);
      await expect(store().increment('k', WINDOW_MS)).resolves.toMatchObject({ count: 2 });
      await current().wait(WINDOW_MS + 100);
      await expect(store().peek('k')).resolves.toEqual({ count: 0, resetInMs: 0 });
      await expect(store().increment('k', WINDOW_MS)).resolves.toMatchObject({ count: 1 });
    });

    it('does not extend the window on later increments (fixed window)', async () => {
      await store().increment('k', WINDOW_MS);
      await current().wait(WINDOW_MS - 100);
      await expect(store().increment('k', WINDOW_MS)).resolves.toMatchObject({ count: 2 });
      // Past the first window's end but inside what a sliding window would have become.
      await current().wait(200);
      await expect(store().peek('k')).resolves.toEqual({ count: 0, resetInMs: 0 });
      await expect(store().increment('k', WINDOW_MS)).resolves.toMatchObject({ count: 1 });
    });

    it('keeps the open window when a later increment asks for a longer one', async () => {
      await store().increment('k', WINDOW_MS);
      const { count, resetInMs } = await store().increment('k', LONG_MS);
      expect(count).toBe(2);
      expect(resetInMs).toBeLessThanOrEqual(WINDOW_MS);
    });

    it('peeks without counting', async () => {
      await expect(store().peek('k')).resolves.toEqual({ count: 0, resetInMs: 0 });
      await store().increment('k', LONG_MS);
      await store().increment('k', LONG_MS);
      for (let i = 0; i < 3; i++) {
        const { count, resetInMs } = await store().peek('k');
        expect(count).toBe(2);
        expect(resetInMs).toBeGreaterThan(0);
        expect(resetInMs).toBeLessThanOrEqual(LONG_MS);
      }
      await expect(store().increment('k', LONG_MS)).resolves.toMatchObject({ count: 3 });
    });

    it('forgets a key on reset, and resetting an absent key is not an error', async () => {
      await store().increment('k', LONG_MS);
      await store().increment('k', LONG_MS);
      await store().increment('other', LONG_MS);
      await store().reset('k');
      await expect(store().peek('k')).resolves.toEqual({ count: 0, resetInMs: 0 });
      await expect(store().increment('k', LONG_MS)).resolves.toMatchObject({ count: 1 });
      await expect(store().peek('other')).resolves.toMatchObject({ count: 1 });
      await expect(store().reset('never-seen')).resolves.toBeUndefined();
    });

    it('gives 50 concurrent increments the distinct counts 1..50', async () => {
      const results = await Promise.all(Array.from({ length: 50 }, () => store().increment('busy', LONG_MS)));
      expect(results.map((r) => r.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      await expect(store().peek('busy')).resolves.toMatchObject({ count: 50 });
    });

    it('accepts keys with separators, spaces, unicode and 300 characters', async () => {
      const keys = ['user:alice:login', 'with  spaces ', 'ünïcødé 🔑 ключ', 'x'.repeat(300), '*?[]{}\\"\n'];
      for (const [index, key] of keys.entries()) {
        for (let i = 0; i <= index; i++) await store().increment(key, LONG_MS);
      }
      for (const [index, key] of keys.entries()) {
        await expect(store().peek(key)).resolves.toMatchObject({ count: index + 1 });
      }
      await store().reset('x'.repeat(300));
      await expect(store().peek('x'.repeat(300))).resolves.toMatchObject({ count: 0 });
    });

    it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects a window of %s ms', async (windowMs) => {
      const error = await store().increment('k', windowMs).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(CapstanError);
      expect((error as CapstanError).code).toBe('INVALID_PARAMETER_VALUE');
      await expect(store().peek('k')).resolves.toEqual({ count: 0, resetInMs: 0 });
    });
  });
}
