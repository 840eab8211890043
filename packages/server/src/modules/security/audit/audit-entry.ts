import { invalidParameter } from '../../../core/errors.js';
import { canonicalJson, type AuditHashedFields } from './audit-chain.js';
import { AUDIT_OUTCOMES, type AuditOutcome } from './audit-tables.js';

/** One event to record. Optional fields default to '' (0 for status, `{}` for details, now for time). */
export interface AuditEntryInput {
  /** Epoch ms when it happened; defaults to the log's clock at append time. */
  time?: number;
  actor: string;
  authMethod: string;
  workspace?: string;
  action: string;
  target?: string;
  requestId?: string;
  sourceIp?: string;
  outcome: AuditOutcome;
  status?: number;
  details?: Record<string, unknown>;
}

/** An entry ready to be chained: everything but its seq, which the writer assigns. */
export type UnchainedEntry = Omit<AuditHashedFields, 'seq'>;

/**
 * Validates an entry and converts it to the stored form. Throws INVALID_PARAMETER_VALUE, before
 * anything is queued, so one bad entry can never fail the batch it would have been written with.
 */
export function toUnchainedEntry(input: AuditEntryInput, now: () => number): UnchainedEntry {
  const time = input.time ?? now();
  if (!Number.isSafeInteger(time) || time < 0) throw invalidParameter(`Audit entry time must be epoch milliseconds, got ${time}`);
  const status = input.status ?? 0;
  if (!Number.isSafeInteger(status) || status < 0) throw invalidParameter(`Audit entry status must be a non-negative integer, got ${status}`);
  if (!AUDIT_OUTCOMES.includes(input.outcome)) throw invalidParameter(`Audit entry outcome must be one of ${AUDIT_OUTCOMES.join(', ')}`);
  if (typeof input.action !== 'string' || input.action === '') throw invalidParameter('Audit entry action must be a non-empty string');
  const details = input.details ?? {};
  if (typeof details !== 'object' || details === null || Array.isArray(details)) throw invalidParameter('Audit entry details must be an object');
  let detailsJson: string;
  try {
    detailsJson = canonicalJson(details);
  } catch (err) {
    throw invalidParameter(`Audit entry details are not representable as JSON: ${(err as Error).message}`);
  }
  return {
    time,
    actor: storable(input.actor),
    auth_method: storable(input.authMethod),
    workspace: storable(input.workspace ?? ''),
    action: storable(input.action),
    target: storable(input.target ?? ''),
    request_id: storable(input.requestId ?? ''),
    source_ip: storable(input.sourceIp ?? ''),
    outcome: input.outcome,
    status,
    details: detailsJson,
  };
}

/**
 * The string as the database will hand it back, so the hash computed now still matches the row
 * later. Both drivers store UTF-8, turning a lone surrogate into U+FFFD, and PostgreSQL text
 * cannot hold NUL at all. Fields such as actor come from requests (a failed login's username), and
 * refusing them would drop exactly the events worth auditing, so they are replaced instead.
 * (details needs none of this: canonical JSON escapes both.)
 */
function storable(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value ?? '');
  return Buffer.from(text, 'utf8').toString('utf8').replaceAll('\u0000', '\uFFFD');
}
