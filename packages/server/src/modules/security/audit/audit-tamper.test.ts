import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../adapters/sql/test-support/test-databases.js';
import { entryHash } from './audit-chain.js';
import { AuditLog } from './audit-log.js';
import type { AuditEventsTable } from './audit-tables.js';
import { createAuditTestDatabase, sampleEntry, type AuditTestDatabase } from './test-support/audit-test-database.js';

const KEY = 'operator-audit-key-7f3a9c';
const ENTRIES = 300;

/** Tampering is done with raw SQL, as someone with database access but no Capstan code would. */
describe.each(TEST_DIALECTS)('audit chain verification on %s', (dialect) => {
  let t: AuditTestDatabase;

  beforeEach(async () => {
    t = await createAuditTestDatabase(dialect);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  async function build(key?: string): Promise<AuditLog> {
    const log = new AuditLog({ database: t.database, key });
    await Promise.all(Array.from({ length: ENTRIES }, (_, k) => log.append(sampleEntry(k + 1))));
    return log;
  }

  const row = (seq: number) => t.database.db.selectFrom('audit_events').selectAll().where('seq', '=', seq).executeTakeFirstOrThrow();

  /** Rewrites an entry and recomputes its own hash, as a forger who knows the algorithm would. */
  async function forge(seq: number, change: Partial<AuditEventsTable>, forgerKey?: string): Promise<void> {
    const edited = { ...(await row(seq)), ...change };
    const hash = entryHash(edited.prev_hash, edited, forgerKey);
    await t.database.db.updateTable('audit_events').set({ ...change, hash }).where('seq', '=', seq).execute();
  }

  it('accepts an intact chain of a few hundred entries', async () => {
    const log = await build();
    const last = await row(ENTRIES);
    expect(await log.verify()).toEqual({ ok: true, checked: ENTRIES, headSeq: ENTRIES, headHash: last.hash });
    expect(await log.verify({ fromSeq: 251 })).toEqual({ ok: true, checked: 50, headSeq: ENTRIES, headHash: last.hash });
  });

  it('finds a field edited in a middle entry', async () => {
    const log = await build(KEY);
    await sql`update audit_events set actor = 'nobody' where seq = 150`.execute(t.database.db);
    expect(await log.verify()).toMatchObject({
      ok: false,
      checked: 149,
      firstBadSeq: 150,
      problem: 'entry 150 was edited: stored hash does not match its contents',
    });
  });

  it('finds edited details, even a change of spacing only', async () => {
    const log = await build();
    await sql`update audit_events set details = '{"i": 42}' where seq = 42`.execute(t.database.db);
    expect(await log.verify()).toMatchObject({ ok: false, firstBadSeq: 42, problem: expect.stringContaining('entry 42 was edited') });
  });

  it('finds an entry removed from the middle', async () => {
    const log = await build();
    await sql`delete from audit_events where seq = 100`.execute(t.database.db);
    expect(await log.verify()).toMatchObject({ ok: false, checked: 99, firstBadSeq: 100, problem: 'entry 100 is missing' });
    await sql`delete from audit_events where seq between 101 and 103`.execute(t.database.db);
    expect(await log.verify()).toMatchObject({ firstBadSeq: 100, problem: 'entries 100 to 103 are missing' });
  });

  it('finds the last entry removed, by the chain head', async () => {
    const log = await build();
    await sql`delete from audit_events where seq = ${ENTRIES}`.execute(t.database.db);
    const result = await log.verify();
    expect(result).toMatchObject({ ok: false, checked: ENTRIES - 1, headSeq: ENTRIES, firstBadSeq: ENTRIES });
    expect(result.problem).toMatch(/^entry 300 is missing: the chain head records 300 entries/);
  });

  it('cannot notice a removed tail when the head was rewritten too (the chain head is the only witness)', async () => {
    const log = await build();
    const before = await row(ENTRIES - 1);
    await sql`delete from audit_events where seq = ${ENTRIES}`.execute(t.database.db);
    await sql`update audit_chain_head set seq = ${ENTRIES - 1}, hash = ${before.hash}`.execute(t.database.db);
    expect(await log.verify()).toMatchObject({ ok: true, checked: ENTRIES - 1 });
  });

  it('finds two entries whose contents were swapped', async () => {
    const log = await build();
    const [a, b] = [await row(10), await row(20)];
    const { seq: _a, ...aContents } = a;
    const { seq: _b, ...bContents } = b;
    await t.database.db.updateTable('audit_events').set(bContents).where('seq', '=', 10).execute();
    await t.database.db.updateTable('audit_events').set(aContents).where('seq', '=', 20).execute();
    expect(await log.verify()).toMatchObject({ ok: false, firstBadSeq: 10, problem: expect.stringContaining('entry 10 was edited') });
  });

  it('without a key, finds an edited entry whose hash was recomputed through the next entry', async () => {
    const log = await build();
    await forge(200, { outcome: 'success', status: 200, actor: 'innocent' });
    expect(await log.verify()).toMatchObject({
      ok: false,
      firstBadSeq: 200,
      problem: 'entry 200 was rewritten: its hash no longer matches the prev_hash recorded by entry 201',
    });
  });

  it('without a key, finds the last entry rewritten with a recomputed hash, by the chain head', async () => {
    const log = await build();
    await forge(ENTRIES, { actor: 'innocent' });
    expect(await log.verify()).toMatchObject({ ok: false, firstBadSeq: ENTRIES, problem: expect.stringContaining('does not match the chain head') });
  });

  /** Rewrites entry 200, then relinks and rehashes every later entry and the head. */
  async function rewriteHistory(forgerKey?: string): Promise<void> {
    await forge(200, { actor: 'innocent' }, forgerKey);
    for (let seq = 201; seq <= ENTRIES; seq++) await forge(seq, { prev_hash: (await row(seq - 1)).hash }, forgerKey);
    await sql`update audit_chain_head set hash = ${(await row(ENTRIES)).hash}`.execute(t.database.db);
  }

  it('without a key, cannot notice history rewritten from an entry to the head (what the key is for)', async () => {
    const log = await build();
    await rewriteHistory();
    expect(await log.verify()).toMatchObject({ ok: true, checked: ENTRIES });
  });

  it('with a key, a forger who recomputes hashes without it is caught at the edited entry itself', async () => {
    const log = await build(KEY);
    await rewriteHistory();
    expect(await log.verify()).toMatchObject({
      ok: false,
      checked: 199,
      firstBadSeq: 200,
      problem: 'entry 200 was edited: stored hash does not match its contents',
    });
    await rewriteHistory('guessed-key');
    expect(await log.verify()).toMatchObject({ ok: false, firstBadSeq: 200 });
  });

  it('with a key, the chain only verifies with that key', async () => {
    await build(KEY);
    expect(await new AuditLog({ database: t.database, key: KEY }).verify()).toMatchObject({ ok: true, checked: ENTRIES });
    expect(await new AuditLog({ database: t.database, key: 'another-key' }).verify()).toMatchObject({ ok: false, firstBadSeq: 1 });
    expect(await new AuditLog({ database: t.database }).verify()).toMatchObject({ ok: false, firstBadSeq: 1 });
  });

  it('finds an entry inserted past the head, which would otherwise block the next append', async () => {
    const log = await build();
    const last = await row(ENTRIES);
    const extra = { ...last, seq: ENTRIES + 1, prev_hash: last.hash };
    await t.database.db.insertInto('audit_events').values({ ...extra, hash: entryHash(last.hash, extra) }).execute();
    expect(await log.verify()).toMatchObject({ ok: false, checked: ENTRIES, firstBadSeq: ENTRIES + 1, problem: expect.stringContaining('beyond the chain head') });
  });
});
