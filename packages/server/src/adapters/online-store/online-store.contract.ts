import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CapstanError } from '../../core/errors.js';
import type { OnlineRecord, OnlineStore } from '../../ports/online-store.js';

export interface OnlineStoreFixture {
  /** Opens a store over the fixture's data; every store it opens sees the same data (a restart, a replica). */
  open(): OnlineStore;
  /** Deletes the data; the suite has closed every store it opened by then. */
  cleanup(): Promise<void>;
}

const T0 = 1_700_000_000_000;

const rec = (entityKey: string, eventTime: number, createdTime: number, payload: string): OnlineRecord => ({
  entityKey,
  eventTime,
  createdTime,
  payload,
});

const payloadsOf = (rows: (OnlineRecord | undefined)[][]): (string | undefined)[][] => rows.map((row) => row.map((r) => r?.payload));

/**
 * The behaviour every OnlineStore adapter must share. `name` should end in the backend
 * (`online store on redis`) so CI can check that the real-server cases ran.
 */
export function describeOnlineStoreContract(name: string, factory: () => Promise<OnlineStoreFixture>): void {
  describe(`${name} (OnlineStore contract)`, () => {
    let fixture: OnlineStoreFixture | undefined;
    let opened: OnlineStore[] = [];
    const open = (): OnlineStore => {
      if (fixture === undefined) throw new Error('the online store fixture was not created');
      const store = fixture.open();
      opened.push(store);
      return store;
    };
    let store: OnlineStore;

    beforeEach(async () => {
      fixture = await factory();
      store = open();
    });

    afterEach(async () => {
      await Promise.all(opened.map((s) => s.close()));
      opened = [];
      await fixture?.cleanup();
      fixture = undefined;
    });

    it('reads back a written record exactly', async () => {
      const record = rec('driver_id=1001', T0, T0 + 5, '{"trips_today":3,"rating":4.5}');
      await expect(store.write('shop', 'driver_stats', [record])).resolves.toEqual({ written: 1, skipped: 0 });
      await expect(store.read('shop', ['driver_stats'], ['driver_id=1001'])).resolves.toEqual([[record]]);
    });

    it('answers undefined in the slots of absent keys and views, and empty lists for empty requests', async () => {
      const a = rec('a', T0, T0, 'A');
      const b = rec('b', T0, T0, 'B');
      await store.write('p', 'v1', [a]);
      await store.write('p', 'v2', [b]);
      await expect(store.read('p', ['v1', 'absent', 'v2'], ['a', 'absent', 'b'])).resolves.toEqual([
        [a, undefined, undefined],
        [undefined, undefined, undefined],
        [undefined, undefined, b],
      ]);
      await expect(store.read('p', [], ['a'])).resolves.toEqual([]);
      await expect(store.read('p', ['v1', 'v2'], [])).resolves.toEqual([[], []]);
    });

    it('keeps the [view][key] order of the request, repeated views and keys included', async () => {
      await store.write('p', 'v1', [rec('a', T0, T0, 'v1/a'), rec('b', T0, T0, 'v1/b')]);
      await store.write('p', 'v2', [rec('b', T0, T0, 'v2/b'), rec('c', T0, T0, 'v2/c')]);
      const rows = await store.read('p', ['v2', 'v1', 'v2'], ['b', 'a', 'b', 'zz', 'c']);
      expect(payloadsOf(rows)).toEqual([
        ['v2/b', undefined, 'v2/b', undefined, 'v2/c'],
        ['v1/b', 'v1/a', 'v1/b', undefined, undefined],
        ['v2/b', undefined, 'v2/b', undefined, 'v2/c'],
      ]);
      expect(rows[0]![0]).toEqual(rec('b', T0, T0, 'v2/b'));
    });

    it('skips and counts a record with an older event time, comparing times as numbers', async () => {
      await store.write('p', 'v', [rec('k', 1000, 0, 'stored')]);
      // 999 sorts after 1000 as text; and a newer created time does not rescue an older event.
      await expect(store.write('p', 'v', [rec('k', 999, T0, 'older')])).resolves.toEqual({ written: 0, skipped: 1 });
      await expect(store.read('p', ['v'], ['k'])).resolves.toEqual([[rec('k', 1000, 0, 'stored')]]);
    });

    it('replaces a record with one of a newer event time, even with an older created time', async () => {
      await store.write('p', 'v', [rec('k', 999, T0, 'stored')]);
      await expect(store.write('p', 'v', [rec('k', 1000, 0, 'newer')])).resolves.toEqual({ written: 1, skipped: 0 });
      await expect(store.read('p', ['v'], ['k'])).resolves.toEqual([[rec('k', 1000, 0, 'newer')]]);
    });

    it('breaks equal event times by created time', async () => {
      await store.write('p', 'v', [rec('k', T0, 50, 'stored')]);
      await expect(store.write('p', 'v', [rec('k', T0, 49, 'created earlier')])).resolves.toEqual({ written: 0, skipped: 1 });
      expect(payloadsOf(await store.read('p', ['v'], ['k']))).toEqual([['stored']]);
      await expect(store.write('p', 'v', [rec('k', T0, 51, 'created later')])).resolves.toEqual({ written: 1, skipped: 0 });
      expect(payloadsOf(await store.read('p', ['v'], ['k']))).toEqual([['created later']]);
    });

    it('lets the later write win a full tie', async () => {
      await store.write('p', 'v', [rec('k', T0, 50, 'first')]);
      await expect(store.write('p', 'v', [rec('k', T0, 50, 'second')])).resolves.toEqual({ written: 1, skipped: 0 });
      expect(payloadsOf(await store.read('p', ['v'], ['k']))).toEqual([['second']]);
    });

    it('keeps the newest of one key within one call, whatever the order, and counts the rest as skipped', async () => {
      const call = [
        rec('a', T0 + 1, 0, 'a newer'),
        rec('a', T0, 9, 'a older'),
        rec('b', T0, 9, 'b older'),
        rec('b', T0 + 1, 0, 'b newer'),
        rec('c', T0, 5, 'c first of a tie'),
        rec('c', T0, 5, 'c second of a tie'),
      ];
      await expect(store.write('p', 'v', call)).resolves.toEqual({ written: 3, skipped: 3 });
      expect(payloadsOf(await store.read('p', ['v'], ['a', 'b', 'c']))).toEqual([['a newer', 'b newer', 'c second of a tie']]);
      // Against a stored record: only the call's newest counts, and it must still beat what is stored.
      const next = [rec('a', T0 + 2, 0, 'a newest'), rec('a', T0, 0, 'a oldest'), rec('b', T0, 0, 'b old'), rec('b', T0 - 1, 0, 'b older')];
      await expect(store.write('p', 'v', next)).resolves.toEqual({ written: 1, skipped: 3 });
      expect(payloadsOf(await store.read('p', ['v'], ['a', 'b']))).toEqual([['a newest', 'b newer']]);
    });

    it('keeps projects and views apart when they share an entity key', async () => {
      await store.write('p', 'v', [rec('k', T0, T0, 'p/v')]);
      await store.write('p', 'w', [rec('k', T0, T0, 'p/w')]);
      await store.write('q', 'v', [rec('k', T0, T0, 'q/v')]);
      expect(payloadsOf(await store.read('p', ['v', 'w'], ['k']))).toEqual([['p/v'], ['p/w']]);
      expect(payloadsOf(await store.read('q', ['v', 'w'], ['k']))).toEqual([['q/v'], [undefined]]);
      // An older record in one place is not compared with a newer one elsewhere.
      await expect(store.write('q', 'w', [rec('k', 1, 1, 'q/w')])).resolves.toEqual({ written: 1, skipped: 0 });
    });

    it('never confuses names and keys holding separators, wildcards, unicode or empty parts', async () => {
      // Joined naively with ':' the first three would be one key, as would several of the others.
      const triples: [project: string, view: string, entityKey: string][] = [
        ['a:b', 'c', 'k'],
        ['a', 'b:c', 'k'],
        ['a', 'b', 'c:k'],
        ['', 'v', 'k'],
        ['v', '', 'k'],
        ['', '', 'v:k'],
        ['p', 'v', ''],
        ['p', 'v', ':'],
        ['p', '', 'v:'],
        ['%3A', 'v', 'k'],
        [':', 'v', 'k'],
        ['p*', 'v', 'k'],
        ['p', 'v', '*'],
        ['p', 'v', 'ключ 🔑 ü'],
        ['p', 'v', '"id":1,"x":"y"'],
      ];
      for (const [index, [project, view, key]] of triples.entries()) {
        await store.write(project, view, [rec(key, T0, T0, `#${index}`)]);
      }
      for (const [index, [project, view, key]] of triples.entries()) {
        expect(payloadsOf(await store.read(project, [view], [key])), JSON.stringify(triples[index])).toEqual([[`#${index}`]]);
      }
      const keysOfPV = triples.filter(([p, v]) => p === 'p' && v === 'v').map(([, , k]) => k);
      expect(payloadsOf(await store.read('p', ['v'], keysOfPV))).toEqual([['#6', '#7', '#12', '#13', '#14']]);
    });

    it('deletes one view and nothing else, and takes new writes into it afterwards', async () => {
      const views: [string, string][] = [['p', 'v'], ['p', 'vv'], ['p', 'v*'], ['p', 'w'], ['q', 'v'], ['p:v', 'x']];
      for (const [project, view] of views) await store.write(project, view, [rec('k', T0, T0, `${project}/${view}`)]);
      const remaining = async () => Promise.all(views.map(async ([p, v]) => (await store.read(p, [v], ['k']))[0]![0]?.payload));
      await store.deleteView('p', 'v*');
      expect(await remaining()).toEqual(['p/v', 'p/vv', undefined, 'p/w', 'q/v', 'p:v/x']);
      await store.deleteView('p', 'v');
      expect(await remaining()).toEqual([undefined, 'p/vv', undefined, 'p/w', 'q/v', 'p:v/x']);
      await expect(store.deleteView('p', 'never-written')).resolves.toBeUndefined();
      // Gone, not hidden: an older record than the deleted one is now written.
      await expect(store.write('p', 'v', [rec('k', 1, 1, 'again')])).resolves.toEqual({ written: 1, skipped: 0 });
      expect(payloadsOf(await store.read('p', ['v'], ['k']))).toEqual([['again']]);
    });

    it('round-trips payloads exactly, from empty to 100 KB', async () => {
      const features = Object.fromEntries(Array.from({ length: 6_000 }, (_, i) => [`f${i}`, i % 3 === 0 ? `ü🔑"${i}"\n` : i * 1.25]));
      const large = JSON.stringify(features);
      expect(large.length).toBeGreaterThan(100_000);
      const payloads = ['', ':', '12:34:x', ' leading and trailing ', 'ünïcødé 🚗 "quoted" \\ \t\r\n', large];
      const records = payloads.map((payload, i) => rec(`k${i}`, T0, T0, payload));
      await store.write('p', 'v', records);
      await expect(store.read('p', ['v'], records.map((r) => r.entityKey))).resolves.toEqual([records]);
    });

    it('writes a call of large payloads, 6 MB in all', async () => {
      const records = Array.from({ length: 60 }, (_, i) => rec(`k${i}`, T0, T0, `${i}:`.padEnd(100_000, String.fromCharCode(97 + (i % 26)))));
      await expect(store.write('p', 'v', records)).resolves.toEqual({ written: 60, skipped: 0 });
      await expect(store.read('p', ['v'], records.map((r) => r.entityKey))).resolves.toEqual([records]);
    });

    it('writes 10,000 records in one call, and skips them all when they come again older', async () => {
      const records = Array.from({ length: 10_000 }, (_, i) => rec(`customer_id=${i}`, T0 + i, T0, `{"i":${i}}`));
      await expect(store.write('p', 'v', records)).resolves.toEqual({ written: 10_000, skipped: 0 });
      const keys = records.map((r) => r.entityKey);
      await expect(store.read('p', ['v'], keys)).resolves.toEqual([records]);
      const older = records.map((r) => ({ ...r, eventTime: r.eventTime - 1, payload: 'older' }));
      await expect(store.write('p', 'v', older)).resolves.toEqual({ written: 0, skipped: 10_000 });
      const sample = keys.filter((_, i) => i % 997 === 0);
      expect(payloadsOf(await store.read('p', ['v'], sample))[0]).toEqual(sample.map((k) => `{"i":${k.slice('customer_id='.length)}}`));
    });

    it('keeps its data, and its ordering, when closed and opened again', async () => {
      await store.write('p', 'v', [rec('k', T0, T0, 'kept')]);
      await store.close();
      opened = opened.filter((s) => s !== store);
      const reopened = open();
      await expect(reopened.read('p', ['v'], ['k'])).resolves.toEqual([[rec('k', T0, T0, 'kept')]]);
      await expect(reopened.write('p', 'v', [rec('k', T0 - 1, T0, 'older')])).resolves.toEqual({ written: 0, skipped: 1 });
    });

    it('keeps the newest when two stores over the same data write at once', async () => {
      const other = open();
      const times = [7, 3, 9, 1, 8, 2, 10, 4, 6, 5].map((t) => T0 + t);
      await Promise.all(times.map((t, i) => (i % 2 === 0 ? store : other).write('p', 'v', [rec('k', t, t, `t${t - T0}`)])));
      expect(payloadsOf(await other.read('p', ['v'], ['k']))).toEqual([['t10']]);
    });

    it('rejects a call holding a record without integer times, writing none of it', async () => {
      for (const bad of [rec('bad', Number.NaN, T0, 'x'), rec('bad', T0, 1.5, 'x'), rec('bad', T0, Number.MAX_SAFE_INTEGER + 2, 'x')]) {
        const error = await store.write('p', 'v', [rec('good', T0, T0, 'x'), bad]).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(CapstanError);
        expect((error as CapstanError).code).toBe('INVALID_PARAMETER_VALUE');
      }
      expect(payloadsOf(await store.read('p', ['v'], ['good', 'bad']))).toEqual([[undefined, undefined]]);
    });
  });
}
