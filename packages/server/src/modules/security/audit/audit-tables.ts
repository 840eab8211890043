/**
 * The audit log as Kysely sees it. `audit_events` is append-only: each row carries the hash of the
 * row before it (`prev_hash`) and its own `hash`, so editing, removing or reordering rows breaks the
 * chain. `audit_chain_head` holds the last entry's seq and hash in one row (id = 1): appenders lock
 * it to serialise, and it lets `verify` notice entries removed from the end.
 */
export interface AuditTables {
  audit_events: AuditEventsTable;
  audit_chain_head: AuditChainHeadTable;
}

export type AuditOutcome = 'success' | 'failure' | 'denied';

export const AUDIT_OUTCOMES: readonly AuditOutcome[] = ['success', 'failure', 'denied'];

export interface AuditEventsTable {
  /** 1, 2, 3, ... with no gaps: assigned by the appender under the head lock, never by the database. */
  seq: number;
  /** Epoch milliseconds when the event happened (not when it was written). */
  time: number;
  /** Username, or 'anonymous'. */
  actor: string;
  /** 'none' | 'token' | 'basic' | 'jwt', or '' when not applicable. */
  auth_method: string;
  /** '' when the event concerns no workspace. */
  workspace: string;
  /** e.g. 'mlflow.createExperiment', 'auth.login_failed', 'security.token.create'. */
  action: string;
  /** e.g. 'experiment:12', 'run:abc', 'user:bob'; '' when none. */
  target: string;
  request_id: string;
  source_ip: string;
  outcome: AuditOutcome;
  /** HTTP status of the request, 0 when none. */
  status: number;
  /** Canonical JSON of an object, e.g. `{"after":{...},"before":{...}}` or `{}`. */
  details: string;
  /** Hex hash of the previous entry; 64 zeros for entry 1. */
  prev_hash: string;
  /** Hex SHA-256 (or HMAC-SHA256 with the audit key) of prev_hash and this entry's fields. */
  hash: string;
}

export interface AuditChainHeadTable {
  /** Always 1: the table has exactly one row. */
  id: number;
  /** Seq of the last entry, 0 while the log is empty. */
  seq: number;
  /** Hash of the last entry, the genesis hash while the log is empty. */
  hash: string;
}
