import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../adapters/sql/test-support/test-databases.js';
import { GENESIS_HASH } from './audit-chain.js';
import { AuditLog, type AuditEvent, type AuditQueryFilter } from './audit-log.js';
import { createAuditTestDatabase, sampleEntry, type AuditTestDatabase } from './test-support/audit-test-database.js';

const KEY = 'test-audit-key-0123456789';

describe.each(TEST_DIALECTS)('audit log on %s', (dialect) => {
  let t: AuditTestDatabase;
  let log: AuditLog;

  beforeEach(async () => {
    t = await createAuditTestDatabase(dialect);
    log = new AuditLog({ database: t.database, key: KEY, now: () => 1_800_000_000_000 });
  });
  afterEach(async () => {
    await log.close();
    await t.cleanup();
  });

  async function appendAll(count: number, from = 1): Promise<void> {
    await Promise.all(Array.from({ length: count }, (_, k) => log.append(sampleEntry(from + k))));
  }

  async function allPages(filter: AuditQueryFilter): Promise<AuditEvent[]> {
    const events: AuditEvent[] = [];
    let pageToken = filter.pageToken;
    do {
      const page = await log.query({ ...filter, pageToken });
      expect(page.events.length).toBeLessThanOrEqual(filter.limit ?? 100);
      events.push(...page.events);
      pageToken = page.nextPageToken;
    } while (pageToken !== undefined);
    return events;
  }

  it('numbers entries 1, 2, 3 and links each to the hash of the one before', async () => {
    await log.append({ actor: 'anonymous', authMethod: 'none', action: 'auth.login_failed', outcome: 'failure', status: 401 });
    await log.append({ actor: 'bob', authMethod: 'basic', action: 'security.token.create', target: 'user:bob', outcome: 'success' });
    await log.append({ actor: 'bob', authMethod: 'jwt', action: 'mlflow.deleteRun', target: 'run:abc', outcome: 'denied', status: 403 });
    const { events, nextPageToken } = await log.query({ order: 'asc' });
    expect(nextPageToken).toBeUndefined();
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(events[0]).toMatchObject({
      time: 1_800_000_000_000,
      actor: 'anonymous',
      authMethod: 'none',
      workspace: '',
      target: '',
      requestId: '',
      sourceIp: '',
      outcome: 'failure',
      status: 401,
      details: {},
      prevHash: GENESIS_HASH,
    });
    expect(events[1]?.prevHash).toBe(events[0]?.hash);
    expect(events[2]?.prevHash).toBe(events[1]?.hash);
    expect(await log.verify()).toEqual({ ok: true, checked: 3, headSeq: 3, headHash: events[2]?.hash });
  });

  it('filters by actor, action (exact or prefix), target, workspace, outcome and time range', async () => {
    await appendAll(30);
    await log.append(sampleEntry(31, { action: 'auth.login_failed', outcome: 'failure', actor: 'mallory', workspace: 'team-a' }));
    await log.append(sampleEntry(32, { action: 'auth.login', actor: 'mallory', workspace: 'team-a' }));
    await log.append(sampleEntry(33, { action: 'Auth.login', actor: 'mallory', outcome: 'denied' }));
    const seqs = async (filter: AuditQueryFilter) => (await log.query({ ...filter, order: 'asc', limit: 1000 })).events.map((e) => e.seq);

    expect(await seqs({ actor: 'alice' })).toEqual([3, 6, 9, 12, 15, 18, 21, 24, 27, 30]);
    expect(await seqs({ action: 'auth.login' })).toEqual([32]);
    // Prefix matching is case-sensitive on both dialects (SQLite's LIKE would not be).
    expect(await seqs({ action: 'auth.*' })).toEqual([31, 32]);
    expect(await seqs({ action: 'mlflow.update*' })).toHaveLength(15);
    expect(await seqs({ action: '*' })).toHaveLength(33);
    expect(await seqs({ target: 'experiment:7' })).toEqual([7]);
    expect(await seqs({ workspace: 'team-a' })).toEqual([31, 32]);
    expect(await seqs({ outcome: 'denied' })).toEqual([33]);
    expect(await seqs({ outcome: 'failure', actor: 'mallory' })).toEqual([31]);
    // since is inclusive, until exclusive.
    expect(await seqs({ since: 1_700_000_005_000, until: 1_700_000_008_000 })).toEqual([5, 6, 7]);
    expect(await seqs({ afterSeq: 30, actor: 'mallory' })).toEqual([31, 32, 33]);
  });

  it('pages by seq without duplicates or gaps, newest first by default and oldest first on request', async () => {
    await appendAll(57);
    const desc = await allPages({ limit: 10 });
    expect(desc.map((e) => e.seq)).toEqual(Array.from({ length: 57 }, (_, k) => 57 - k));
    const asc = await allPages({ limit: 10, order: 'asc' });
    expect(asc.map((e) => e.seq)).toEqual(Array.from({ length: 57 }, (_, k) => k + 1));
    const bobs = await allPages({ limit: 7, order: 'asc', actor: 'bob' });
    expect(bobs.map((e) => e.seq)).toEqual(asc.filter((e) => e.actor === 'bob').map((e) => e.seq));
    // An exact multiple of the page size ends without a dangling empty page.
    const exact = await log.query({ limit: 57 });
    expect(exact.events).toHaveLength(57);
    expect(exact.nextPageToken).toBeUndefined();
  });

  it('keeps paging stable while entries are appended between pages', async () => {
    await appendAll(20);
    const first = await log.query({ limit: 8 });
    await appendAll(5, 21);
    const rest = await allPages({ limit: 8, pageToken: first.nextPageToken });
    expect([...first.events, ...rest].map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, k) => 20 - k));
  });

  it('rejects page tokens it did not issue and limits outside 1..1000', async () => {
    await appendAll(3);
    const { nextPageToken } = await log.query({ limit: 1, order: 'asc' });
    const bad = ['not a token!', Buffer.from('{"x":1}').toString('base64url'), Buffer.from('[1').toString('base64url')];
    for (const pageToken of [...bad, nextPageToken]) {
      await expect(log.query({ pageToken, order: 'desc' })).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    }
    for (const limit of [0, 1001, 2.5]) {
      await expect(log.query({ limit })).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    }
  });

  it('stores details as canonical JSON and returns them as an object', async () => {
    const details = {
      before: { name: 'old', tags: ['a', 'b'], nested: { z: 1, a: null } },
      after: { name: 'nouveau ✓ 😀', tags: [], quote: 'say "hi"\n', ratio: 0.25 },
    };
    await log.append(sampleEntry(1, { details }));
    const [event] = (await log.query({})).events;
    expect(event?.details).toEqual(details);
    const { rows } = await sql<{ details: string }>`select details from audit_events`.execute(t.database.db);
    expect(rows[0]?.details).toBe(
      '{"after":{"name":"nouveau ✓ 😀","quote":"say \\"hi\\"\\n","ratio":0.25,"tags":[]},"before":{"name":"old","nested":{"a":null,"z":1},"tags":["a","b"]}}',
    );
  });

  it('stores strings the database would alter (NUL, lone surrogates) so that they still verify', async () => {
    await log.append(sampleEntry(1, { actor: 'eve\u0000admin', target: 'user:\ud800', details: { raw: 'x\u0000\udc00' } }));
    const [event] = (await log.query({})).events;
    expect(event?.actor).toBe('eve\uFFFDadmin');
    expect(event?.target).toBe('user:\uFFFD');
    expect(event?.details).toEqual({ raw: 'x\u0000\udc00' });
    expect((await log.verify()).ok).toBe(true);
  });

  it('rejects invalid entries up front without failing the others', async () => {
    const good = log.append(sampleEntry(1));
    await expect(log.append(sampleEntry(2, { time: Number.NaN }))).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    await expect(log.append(sampleEntry(3, { details: { loss: Number.POSITIVE_INFINITY } }))).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
    });
    await expect(log.append(sampleEntry(4, { outcome: 'maybe' as 'success' }))).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    await good;
    expect((await log.query({})).events.map((e) => e.seq)).toEqual([1]);
  });

  it('rejects appends whose transaction fails, and verify reports the broken head', async () => {
    await log.append(sampleEntry(1));
    await sql`delete from audit_chain_head`.execute(t.database.db);
    await expect(log.append(sampleEntry(2))).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect(await log.verify()).toMatchObject({ ok: false, problem: 'the chain head row is missing' });
  });

  it('exportJsonLines writes every matching event as one JSON line, oldest first, across pages', async () => {
    await appendAll(2100);
    const lines: string[] = [];
    const count = await log.exportJsonLines({}, async (line) => {
      lines.push(line);
    });
    expect(count).toBe(2100);
    const events = lines.map((line) => JSON.parse(line) as AuditEvent);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 2100 }, (_, k) => k + 1));
    expect(lines.every((line) => !line.includes('\n'))).toBe(true);
    expect(events[41]).toMatchObject({ seq: 42, actor: 'alice', details: { i: 42 }, target: 'experiment:42' });
    const alice: string[] = [];
    expect(await log.exportJsonLines({ actor: 'alice', since: 1_700_000_100_000 }, (line) => void alice.push(line))).toBe(667);
  });

  it('close writes pending entries, and later appends are refused', async () => {
    const slow = new AuditLog({ database: t.database, flushIntervalMs: 60_000 });
    const pending = Array.from({ length: 5 }, (_, k) => slow.append(sampleEntry(k + 1)));
    await slow.close();
    await Promise.all(pending);
    expect((await slow.query({})).events).toHaveLength(5);
    await expect(slow.append(sampleEntry(6))).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await slow.close();
  });

  it('flush writes what was appended without waiting for the interval', async () => {
    const slow = new AuditLog({ database: t.database, flushIntervalMs: 60_000 });
    const appended = slow.append(sampleEntry(1));
    await slow.flush();
    await appended;
    expect((await slow.query({})).events).toHaveLength(1);
    await slow.close();
  });
});
