import { sql, type SelectQueryBuilder } from 'kysely';
import type { AuditEvent as WireAuditEvent } from '@capstan/contracts';
import { invalidParameter } from '../../../core/errors.js';
import type { SqlDatabase } from '../../../ports/sql.js';
import { decodeAuditPageToken, encodeAuditPageToken } from './audit-page-token.js';
import type { AuditEventsTable, AuditOutcome, AuditTables } from './audit-tables.js';

/** An audit entry as APIs return it: the wire type, so server and clients cannot drift apart. */
export type AuditEvent = WireAuditEvent & { outcome: AuditOutcome };

export interface AuditQueryFilter {
  actor?: string;
  /** Exact match, or a prefix when it ends with '*' ('auth.*'). */
  action?: string;
  target?: string;
  workspace?: string;
  outcome?: string;
  /** Epoch ms, inclusive. */
  since?: number;
  /** Epoch ms, exclusive. */
  until?: number;
  /** Only entries after this seq: lets a consumer tail the log. */
  afterSeq?: number;
  /** Page size: default 100, at most 1000. */
  limit?: number;
  /** By seq; default 'desc' (newest first). */
  order?: 'asc' | 'desc';
  /** The nextPageToken of the previous page of the same query. */
  pageToken?: string;
}

export interface AuditPage {
  events: AuditEvent[];
  /** Present when more events match. */
  nextPageToken?: string;
}

export const DEFAULT_QUERY_LIMIT = 100;
export const MAX_QUERY_LIMIT = 1000;

type AuditSelect = SelectQueryBuilder<AuditTables, 'audit_events', AuditEventsTable>;

/**
 * One page of matching events. Pages continue from the last seq seen (keyset paging), so events
 * appended meanwhile neither shift nor repeat entries across pages. A writer commits its seqs
 * in order under the head lock, so a reader paging ascending never skips one committed later.
 */
export async function queryAuditEvents(database: SqlDatabase<AuditTables>, filter: AuditQueryFilter): Promise<AuditPage> {
  const limit = filter.limit ?? DEFAULT_QUERY_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_QUERY_LIMIT) {
    throw invalidParameter(`limit must be an integer from 1 to ${MAX_QUERY_LIMIT}, got ${limit}`);
  }
  const order = filter.order ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw invalidParameter(`order must be 'asc' or 'desc', got ${String(order)}`);
  let query = applyFilter(database.db.selectFrom('audit_events').selectAll(), filter);
  if (filter.pageToken !== undefined && filter.pageToken !== '') {
    const lastSeq = decodeAuditPageToken(filter.pageToken, order);
    query = query.where('seq', order === 'asc' ? '>' : '<', lastSeq);
  }
  const rows = await query.orderBy('seq', order).limit(limit + 1).execute();
  const events = rows.slice(0, limit).map(toAuditEvent);
  const last = events.at(-1);
  return rows.length > limit && last ? { events, nextPageToken: encodeAuditPageToken(last.seq, order) } : { events };
}

/**
 * Writes every matching event, oldest first, as one JSON object per line, a page at a time so the
 * table is never held in memory; waits for each `write` so a slow consumer slows the export down.
 * Returns the number of lines written.
 */
export async function exportAuditEvents(
  database: SqlDatabase<AuditTables>,
  filter: Omit<AuditQueryFilter, 'order' | 'limit' | 'pageToken'>,
  write: (line: string) => Promise<void> | void,
): Promise<number> {
  let count = 0;
  let pageToken: string | undefined;
  do {
    const page = await queryAuditEvents(database, { ...filter, order: 'asc', limit: MAX_QUERY_LIMIT, pageToken });
    for (const event of page.events) {
      await write(JSON.stringify(event));
      count++;
    }
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined);
  return count;
}

function applyFilter(query: AuditSelect, filter: AuditQueryFilter): AuditSelect {
  for (const column of ['actor', 'target', 'workspace', 'outcome'] as const) {
    const value = filter[column];
    if (value !== undefined) query = query.where(column, '=', value);
  }
  if (filter.action !== undefined) {
    if (filter.action.endsWith('*')) {
      const prefix = filter.action.slice(0, -1);
      // Not LIKE: SQLite's LIKE ignores ASCII case and PostgreSQL's does not. substr counts
      // characters (code points) on both, hence the code-point length.
      if (prefix !== '') query = query.where(sql<string>`substr(action, 1, ${[...prefix].length})`, '=', prefix);
    } else {
      query = query.where('action', '=', filter.action);
    }
  }
  if (filter.since !== undefined) query = query.where('time', '>=', requireMs('since', filter.since));
  if (filter.until !== undefined) query = query.where('time', '<', requireMs('until', filter.until));
  if (filter.afterSeq !== undefined) {
    if (!Number.isSafeInteger(filter.afterSeq)) throw invalidParameter(`afterSeq must be an integer, got ${filter.afterSeq}`);
    query = query.where('seq', '>', filter.afterSeq);
  }
  return query;
}

function requireMs(name: string, value: number): number {
  if (!Number.isSafeInteger(value)) throw invalidParameter(`${name} must be epoch milliseconds, got ${value}`);
  return value;
}

export function toAuditEvent(row: AuditEventsTable): AuditEvent {
  return {
    seq: row.seq,
    time: row.time,
    actor: row.actor,
    authMethod: row.auth_method,
    workspace: row.workspace,
    action: row.action,
    target: row.target,
    requestId: row.request_id,
    sourceIp: row.source_ip,
    outcome: row.outcome,
    status: row.status,
    details: parseDetails(row.details),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * The writer only stores canonical JSON objects, but a tampered row may hold anything; it must
 * still be listable (that is when someone looks), so unreadable details come back verbatim.
 */
function parseDetails(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Falls through to the verbatim form below.
  }
  return { unparsedDetails: text };
}
