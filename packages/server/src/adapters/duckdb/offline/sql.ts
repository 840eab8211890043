/** SQL text helpers shared by the offline engine's query builders. */

export const quoteIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;

export const quoteString = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** A TIMESTAMP literal for epoch milliseconds; DuckDB keeps microseconds, so sub-ms parts survive. */
export function timestampSql(epochMs: number): string {
  if (!Number.isFinite(epochMs)) throw new RangeError(`not a time: ${epochMs}`);
  return `make_timestamp(${Math.round(epochMs * 1000)}::BIGINT)`;
}

/** A list of file paths as a DuckDB list literal, for read_parquet / read_csv. */
export const fileListSql = (files: readonly string[]): string => `[${files.map(quoteString).join(', ')}]`;
