import type { Kysely } from 'kysely';
import { encodeColumns, type InferenceRecord } from './inference-record.js';
import type { InferenceLogSink } from './inference-log-writer.js';
import type { InferenceLogTables } from './tables.js';

/** 9 values a row keeps one statement well under SQLite's 32,766 and PostgreSQL's 65,535 bind parameters. */
const ROWS_PER_INSERT = 1000;

/** Writes the inference log's batches into the `inference_log` table, one multi-row insert per batch. */
export function sqlInferenceLogSink(db: Kysely<InferenceLogTables>): InferenceLogSink {
  return {
    async write(records) {
      for (let start = 0; start < records.length; start += ROWS_PER_INSERT) {
        const rows = records.slice(start, start + ROWS_PER_INSERT).map(toRow);
        await db.insertInto('inference_log').values(rows).execute();
      }
    },
  };
}

function toRow(r: InferenceRecord) {
  return {
    request_id: r.requestId,
    deployment: r.deployment,
    model_name: r.modelName,
    version: r.version,
    at: r.at,
    latency_ms: r.latencyMs,
    rows: r.rows,
    inputs: encodeColumns(r.inputs),
    outputs: encodeColumns(r.outputs),
  };
}
