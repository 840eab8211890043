/**
 * Worker thread that writes inference log batches into a SQLite store through its own connection.
 * better-sqlite3 runs every statement synchronously, and a batch insert (with the WAL checkpoints
 * SQLite does along the way) held the event loop for milliseconds: on this thread it holds no
 * request. Messages: `{ id, records }` in, `{ id }` or `{ id, error }` out.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../../adapters/sql/open-database.js';
import { tablesOf } from '../../ports/sql.js';
import { sqlInferenceLogSink, type InferenceLogTables, type InferenceRecord } from '../../modules/serving/inference-log.api.js';

const { uri } = workerData as { uri: string };
const database = openDatabase<unknown>(uri);
const sink = sqlInferenceLogSink(tablesOf<InferenceLogTables>(database).db);
const port = parentPort!;

port.on('message', (message: { id: number; records: InferenceRecord[] } | { close: true }) => {
  if ('close' in message) {
    void database.close().then(() => port.close());
    return;
  }
  sink.write(message.records).then(
    () => port.postMessage({ id: message.id }),
    (err: unknown) => port.postMessage({ id: message.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
