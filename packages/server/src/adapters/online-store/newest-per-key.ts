import { invalidParameter } from '../../core/errors.js';
import type { OnlineRecord } from '../../ports/online-store.js';

export interface NewestRecords {
  /** One record per entity key, in the order the keys first appeared. */
  records: OnlineRecord[];
  /** Records dropped because the same call holds a newer one for their key. */
  superseded: number;
}

/**
 * What one write() call has to apply: per entity key, the newest record by (eventTime,
 * createdTime), the later one in the list winning a full tie, as if the records were written one
 * after another. Both adapters start here, so a call's counts do not depend on the order of its
 * records, and a store never does the work of writing a record the same call overwrites.
 *
 * Checks every record first, so a bad one rejects the whole call before anything is written.
 */
export function newestPerKey(records: readonly OnlineRecord[]): NewestRecords {
  const newest = new Map<string, OnlineRecord>();
  for (const record of records) {
    checkRecord(record);
    const seen = newest.get(record.entityKey);
    if (seen === undefined || !isOlder(record, seen)) newest.set(record.entityKey, record);
  }
  return { records: [...newest.values()], superseded: records.length - newest.size };
}

/** Whether `a` is strictly older than `b`; a full tie is not older, so a later write replaces. */
function isOlder(a: OnlineRecord, b: OnlineRecord): boolean {
  return a.eventTime < b.eventTime || (a.eventTime === b.eventTime && a.createdTime < b.createdTime);
}

/**
 * Times must be integers of milliseconds: both stores compare them as numbers (SQLite INTEGER,
 * Lua doubles), where NaN or a fraction would make "newer" meaningless or inexact.
 */
function checkRecord(record: OnlineRecord): void {
  if (typeof record.entityKey !== 'string' || typeof record.payload !== 'string') {
    throw invalidParameter('An online record needs a string entityKey and a string payload.');
  }
  if (!Number.isSafeInteger(record.eventTime) || !Number.isSafeInteger(record.createdTime)) {
    throw invalidParameter(
      `The online record of entity key ${JSON.stringify(record.entityKey)} needs integer eventTime and createdTime (epoch ms), ` +
        `got ${String(record.eventTime)} and ${String(record.createdTime)}.`,
    );
  }
}
