/**
 * The push API's offline write: rows become one new file in the source's folder, named to sort
 * after the files already there (so later pushes win ties on position) and published whole.
 */
import { randomBytes } from 'node:crypto';
import { OfflineStoreError, type OfflineCell, type OfflineField, type OfflineSourceLocation } from '../../../ports/offline-store.js';
import { cellToDuckdb, duckdbType } from './cells.js';
import type { OfflineContext } from './offline-context.js';
import { loadColumns } from './load-columns.js';
import { quoteIdentifier, quoteString } from './sql.js';

const PUSHED = /^push-(\d{15})-/;

export async function appendRows(
  context: OfflineContext,
  location: Extract<OfflineSourceLocation, { kind: 'files' }>,
  columns: readonly OfflineField[],
  rows: Readonly<Record<string, readonly OfflineCell[]>>,
): Promise<void> {
  const unknown = Object.keys(rows).find((name) => !columns.some((c) => c.name === name));
  if (unknown !== undefined) throw new OfflineStoreError(`Rows to append have a column ${unknown} that is not declared.`);
  const existing = await context.root.folderNames(location.path, location.format);
  const name = pushFileName(existing, location.format, Date.now());
  const connection = await context.engine.connect();
  const table = context.engine.tableName('append');
  try {
    const load = columns.map((c) => ({ name: c.name, type: duckdbType(c.dtype), convert: cellToDuckdb(c.dtype) }));
    await loadColumns(connection, table, '__row', load, [rows], `rows for ${location.path}`);
    const select = columns.map((c) => quoteIdentifier(c.name)).join(', ');
    const options = location.format === 'parquet' ? 'FORMAT parquet' : 'FORMAT csv, HEADER true';
    await context.root.publish(location.path, name, async (file) => {
      await connection.run(`COPY (SELECT ${select} FROM ${quoteIdentifier(table)} ORDER BY __row) TO ${quoteString(file)} (${options})`);
    });
  } finally {
    await connection.run(`DROP TABLE IF EXISTS ${quoteIdentifier(table)}`).catch(() => undefined);
    connection.closeSync();
  }
}

/**
 * `push-<epoch ms, 15 digits>-<random>.<ext>`: after every earlier push in byte order even when
 * this machine's clock is behind the one that wrote the last push. (Files not written by pushes
 * should be named to sort before `push-`, e.g. by date.)
 */
export function pushFileName(existing: readonly string[], format: 'parquet' | 'csv', nowMs: number): string {
  let ms = nowMs;
  for (const name of existing) {
    const earlier = PUSHED.exec(name);
    if (earlier !== null) ms = Math.max(ms, Number(earlier[1]) + 1);
  }
  return `push-${String(ms).padStart(15, '0')}-${randomBytes(4).toString('hex')}.${format}`;
}
