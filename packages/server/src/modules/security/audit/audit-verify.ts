import type { AuditVerifyResult } from '@capstan/contracts';
import { invalidParameter } from '../../../core/errors.js';
import type { SqlDatabase } from '../../../ports/sql.js';
import { entryHash, GENESIS_HASH } from './audit-chain.js';
import type { AuditTables } from './audit-tables.js';

/** The result of walking the chain (the wire type `AuditVerifyResult`). */
export type AuditVerification = AuditVerifyResult;

const PAGE_SIZE = 1000;

/**
 * Walks the chain in seq order, a page at a time, and stops at the first problem. Each entry must
 * come right after the one before (a gap is a removed entry), hash to its stored hash (else it was
 * edited) and record the previous entry's hash as prev_hash (else the previous entry was rewritten
 * with a recomputed hash, or entries were moved). The last entry must be the one the chain head
 * records, which exposes entries removed from the end unless the head was rewritten as well. With
 * `fromSeq`, entry fromSeq - 1 is trusted as the anchor and earlier entries are not read.
 *
 * The head is read first and only entries up to it are checked, so appends made while verifying
 * are neither reported as problems nor awaited.
 */
export async function verifyChain(
  database: SqlDatabase<AuditTables>,
  key: string | undefined,
  options: { fromSeq?: number } = {},
): Promise<AuditVerification> {
  const fromSeq = options.fromSeq ?? 1;
  if (!Number.isSafeInteger(fromSeq) || fromSeq < 1) throw invalidParameter(`fromSeq must be a positive integer, got ${fromSeq}`);
  const { db } = database;
  const head = await db.selectFrom('audit_chain_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  if (!head) return { ok: false, checked: 0, headSeq: 0, headHash: '', problem: 'the chain head row is missing' };
  const result = (checked: number, firstBadSeq?: number, problem?: string): AuditVerification =>
    problem === undefined
      ? { ok: true, checked, headSeq: head.seq, headHash: head.hash }
      : { ok: false, checked, headSeq: head.seq, headHash: head.hash, firstBadSeq, problem };

  let prevHash = GENESIS_HASH;
  if (fromSeq > 1 && fromSeq <= head.seq) {
    const anchor = await db.selectFrom('audit_events').select('hash').where('seq', '=', fromSeq - 1).executeTakeFirst();
    if (!anchor) return result(0, fromSeq - 1, `entry ${fromSeq - 1} is missing`);
    prevHash = anchor.hash;
  }

  let checked = 0;
  let expected = fromSeq;
  while (expected <= head.seq) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>=', expected)
      .where('seq', '<=', head.seq)
      .orderBy('seq', 'asc')
      .limit(PAGE_SIZE)
      .execute();
    if (rows.length === 0) {
      const missing = expected === head.seq ? `entry ${expected} is missing` : `entries ${expected} to ${head.seq} are missing`;
      return result(checked, expected, `${missing}: the chain head records ${head.seq} entries (removed from the end)`);
    }
    for (const row of rows) {
      if (row.seq !== expected) return result(checked, expected, gapProblem(expected, row.seq));
      if (entryHash(row.prev_hash, row, key) !== row.hash) {
        return result(checked, row.seq, `entry ${row.seq} was edited: stored hash does not match its contents`);
      }
      if (row.prev_hash !== prevHash) {
        // Entry seq is consistent in itself, so what changed is the entry before it: rewritten with
        // a recomputed hash, or replaced by another entry (e.g. moved there).
        const before = row.seq - 1;
        const problem =
          before === 0
            ? 'entry 1 does not start the chain: its prev_hash is not the genesis hash'
            : `entry ${before} was rewritten: its hash no longer matches the prev_hash recorded by entry ${row.seq}`;
        return result(checked, Math.max(before, 1), problem);
      }
      prevHash = row.hash;
      expected++;
      checked++;
    }
  }
  if (head.seq >= fromSeq && prevHash !== head.hash) {
    return result(checked, head.seq, `entry ${head.seq} does not match the chain head: it was rewritten or the head was altered`);
  }
  // One statement, so both tables are read from the same snapshot even while others append.
  const beyond = await db
    .selectFrom('audit_events')
    .select('seq')
    .where('seq', '>', (eb) => eb.selectFrom('audit_chain_head').select('seq').where('id', '=', 1))
    .orderBy('seq', 'asc')
    .limit(1)
    .executeTakeFirst();
  if (beyond) return result(checked, beyond.seq, `entry ${beyond.seq} lies beyond the chain head: it was not written by the audit log`);
  return result(checked);
}

function gapProblem(expected: number, found: number): string {
  return found === expected + 1 ? `entry ${expected} is missing` : `entries ${expected} to ${found - 1} are missing`;
}
