import { CapstanError, invalidParameter } from '../../../core/errors.js';
import type { Logger } from '../../../core/logger.js';
import type { SqlDatabase } from '../../../ports/sql.js';
import { toUnchainedEntry, type AuditEntryInput, type UnchainedEntry } from './audit-entry.js';
import { exportAuditEvents, queryAuditEvents, type AuditPage, type AuditQueryFilter } from './audit-query.js';
import type { AuditTables } from './audit-tables.js';
import { verifyChain, type AuditVerification } from './audit-verify.js';
import { appendToChain } from './audit-writer.js';

export type { AuditEntryInput } from './audit-entry.js';
export type { AuditEvent, AuditPage, AuditQueryFilter } from './audit-query.js';
export type { AuditVerification } from './audit-verify.js';

export type AuditExportFilter = Omit<AuditQueryFilter, 'order' | 'limit' | 'pageToken'>;

export interface AuditLogOptions {
  database: SqlDatabase<AuditTables>;
  /** Operator-supplied secret: entries are chained with HMAC-SHA256 instead of plain SHA-256. */
  key?: string;
  now?: () => number;
  logger?: Logger;
  /** How long an append may wait for others to share its transaction; default 25 ms. */
  flushIntervalMs?: number;
  /** Most entries written in one transaction; default 500. */
  maxBatch?: number;
}

interface Pending {
  entry: UnchainedEntry;
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * The append-only, tamper-evident audit log. Appends are queued and written in batches: one
 * transaction per batch instead of one per event, so auditing every request costs little even
 * under load. Entries are written in the order `append` was called; several AuditLog instances
 * (replicas) may share one database, each batch taking the chain head's lock in turn.
 */
export class AuditLog {
  private readonly database: SqlDatabase<AuditTables>;
  private readonly key: string | undefined;
  private readonly now: () => number;
  private readonly logger: Logger | undefined;
  private readonly flushIntervalMs: number;
  private readonly maxBatch: number;
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  /** Settles once the most recently appended entry has been written or has failed. */
  private lastSettled: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(options: AuditLogOptions) {
    // An empty key would look configured while giving no more protection than none.
    if (options.key === '') throw invalidParameter('The audit key must not be empty; leave it unset to chain with plain SHA-256');
    const maxBatch = options.maxBatch ?? 500;
    const flushIntervalMs = options.flushIntervalMs ?? 25;
    if (!Number.isSafeInteger(maxBatch) || maxBatch < 1) throw invalidParameter(`maxBatch must be a positive integer, got ${maxBatch}`);
    if (!Number.isFinite(flushIntervalMs) || flushIntervalMs < 0) throw invalidParameter(`flushIntervalMs must be >= 0, got ${flushIntervalMs}`);
    this.database = options.database;
    this.key = options.key;
    this.now = options.now ?? Date.now;
    this.logger = options.logger;
    this.flushIntervalMs = flushIntervalMs;
    this.maxBatch = maxBatch;
  }

  /**
   * Records an event. Resolves once it is committed; rejects if it is invalid, the log is closed,
   * or the write failed (the caller decides whether the audited operation may proceed).
   */
  append(input: AuditEntryInput): Promise<void> {
    if (this.closed) return Promise.reject(new CapstanError('INVALID_STATE', 'The audit log is closed'));
    let entry: UnchainedEntry;
    try {
      entry = toUnchainedEntry(input, this.now);
    } catch (err) {
      return Promise.reject(err);
    }
    const written = new Promise<void>((resolve, reject) => this.queue.push({ entry, resolve, reject }));
    this.lastSettled = written.then(
      () => undefined,
      () => undefined,
    );
    this.schedule();
    return written;
  }

  /** Writes everything appended so far; resolves when each of those entries is committed or has failed. */
  async flush(): Promise<void> {
    const target = this.lastSettled;
    if (this.queue.length > 0) this.startDrain();
    await target;
  }

  /** Flushes, after refusing further appends. Does not close the database, which the caller owns. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  query(filter: AuditQueryFilter = {}): Promise<AuditPage> {
    return queryAuditEvents(this.database, filter);
  }

  exportJsonLines(filter: AuditExportFilter, write: (line: string) => Promise<void> | void): Promise<number> {
    return exportAuditEvents(this.database, filter, write);
  }

  verify(options: { fromSeq?: number } = {}): Promise<AuditVerification> {
    return verifyChain(this.database, this.key, options);
  }

  private schedule(): void {
    // A running drain picks up whatever is queued when its current batch commits.
    if (this.draining) return;
    if (this.queue.length >= this.maxBatch) this.startDrain();
    else this.timer ??= setTimeout(() => this.startDrain(), this.flushIntervalMs);
  }

  private startDrain(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
      // Entries appended after the loop saw an empty queue but before this ran.
      if (this.queue.length > 0) this.schedule();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const { firstSeq, lastSeq } = await appendToChain(
          this.database,
          batch.map((p) => p.entry),
          this.key,
        );
        this.logger?.debug({ count: batch.length, firstSeq, lastSeq }, 'audit entries written');
        for (const p of batch) p.resolve();
      } catch (err) {
        this.logger?.error({ err, count: batch.length }, 'writing audit entries failed; they were not recorded');
        for (const p of batch) p.reject(err);
      }
    }
  }
}
