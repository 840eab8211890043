import { CapstanError } from '../../../core/errors.js';
import type { SqlDatabase } from '../../../ports/sql.js';
import { entryHash } from './audit-chain.js';
import type { UnchainedEntry } from './audit-entry.js';
import type { AuditEventsTable, AuditTables } from './audit-tables.js';

/** Rows per INSERT statement: 14 parameters each stays well under both databases' parameter limits. */
const ROWS_PER_INSERT = 500;

/**
 * Appends entries to the chain in one transaction: lock the head, number the entries after it,
 * hash them in order, insert them, move the head. Either all of them become durable or none.
 *
 * The lock is what keeps the chain linear when several writers (server replicas) share the
 * database: each reads the head only once no other writer can move it until this transaction ends.
 * The seq primary key is a second line of defence: two writers claiming the same seq cannot both commit.
 */
export async function appendToChain(
  database: SqlDatabase<AuditTables>,
  entries: readonly UnchainedEntry[],
  key: string | undefined,
): Promise<{ firstSeq: number; lastSeq: number }> {
  return database.db.transaction().execute(async (trx) => {
    let headQuery = trx.selectFrom('audit_chain_head').select(['seq', 'hash']).where('id', '=', 1);
    // PostgreSQL: row lock, held to commit; a concurrent writer blocks here and then reads the head
    // this transaction wrote. SQLite has no FOR UPDATE and needs none: the sqlite adapter begins
    // every transaction with BEGIN IMMEDIATE, which already takes the database's single write lock.
    if (database.dialect === 'postgres') headQuery = headQuery.forUpdate();
    const head = await headQuery.executeTakeFirst();
    if (!head) throw new CapstanError('INVALID_STATE', 'The audit chain head row is missing; the audit log cannot be appended to');

    const rows: AuditEventsTable[] = [];
    let prevHash = head.hash;
    for (const [i, entry] of entries.entries()) {
      const chained = { ...entry, seq: head.seq + 1 + i };
      const hash = entryHash(prevHash, chained, key);
      rows.push({ ...chained, prev_hash: prevHash, hash });
      prevHash = hash;
    }
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      await trx.insertInto('audit_events').values(rows.slice(i, i + ROWS_PER_INSERT)).execute();
    }
    const lastSeq = head.seq + rows.length;
    await trx.updateTable('audit_chain_head').set({ seq: lastSeq, hash: prevHash }).where('id', '=', 1).execute();
    return { firstSeq: head.seq + 1, lastSeq };
  });
}
