import type { FeatureDtype, FeatureViewSpec, FieldSpec } from '@capstan/contracts';
import type { LatestRowsBatch } from '../../../ports/offline-store.js';
import type { OnlineRecord } from '../../../ports/online-store.js';
import { cellToJson, type Cell } from '../values/cells.js';
import { entityKeyOf } from '../values/entity-key.js';

export interface RowsToWrite {
  count: number;
  joinKeys: Readonly<Record<string, readonly Cell[]>>;
  features: Readonly<Record<string, readonly Cell[]>>;
  eventTimes: readonly number[];
  createdTimes: readonly number[];
}

/**
 * Rows of a view as online records: the canonical entity key, the times, and the features as the
 * wire's JSON object (what an online read returns, so reads only parse). Materialization encodes
 * millions of these: each payload is assembled from precomputed `"name":` fragments, finite numbers
 * are printed directly, and only other values go through the general JSON conversion.
 */
export function onlineRecords(view: FeatureViewSpec, joinKeys: readonly FieldSpec[], rows: RowsToWrite): OnlineRecord[] {
  const keyColumns = joinKeys.map((k) => rows.joinKeys[k.name]!);
  const singleKey = joinKeys.length === 1 ? joinKeys[0]! : undefined;
  const fields = view.schema.map((f, i) => ({ prefix: `${i === 0 ? '{' : ','}${JSON.stringify(f.name)}:`, dtype: f.dtype, cells: rows.features[f.name] }));
  const records = new Array<OnlineRecord>(rows.count);
  const keyValues = new Array<Cell>(keyColumns.length);
  for (let r = 0; r < rows.count; r++) {
    let payload = '';
    for (const field of fields) payload += field.prefix + jsonValue(field.cells?.[r] ?? null, field.dtype);
    let entityKey: string;
    if (singleKey) entityKey = entityKeyOf(joinKeys, [keyColumns[0]![r]!]);
    else {
      for (let k = 0; k < keyColumns.length; k++) keyValues[k] = keyColumns[k]![r]!;
      entityKey = entityKeyOf(joinKeys, keyValues);
    }
    records[r] = { entityKey, eventTime: rows.eventTimes[r]!, createdTime: rows.createdTimes[r]!, payload: fields.length === 0 ? '{}' : `${payload}}` };
  }
  return records;
}

function jsonValue(cell: Cell, dtype: FeatureDtype): string {
  if (typeof cell === 'number' && Number.isFinite(cell) && dtype !== 'unix_timestamp') return String(cell);
  return JSON.stringify(cellToJson(cell, dtype));
}

export const fromLatestBatch = (batch: LatestRowsBatch): RowsToWrite => ({
  count: batch.rows,
  joinKeys: batch.joinKeys,
  features: batch.features,
  eventTimes: batch.eventTimes,
  createdTimes: batch.createdTimes,
});
