/** Table functions reading a list of local files, with each row's position for tie-breaking. */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { OfflineFileFormat } from './offline-root.js';
import { fileListSql } from './sql.js';

export interface FileScan {
  /** A FROM item. */
  from: string;
  /** BIGINT ordering rows by file (in list order), then by row within the file. */
  position: string;
}

/**
 * `union_by_name`: files of one folder may differ in column order or carry a subset of the columns
 * (missing ones read as NULL). CSV `asText` reads every column as text, to be cast to declared
 * dtypes afterwards instead of trusting the sniffer (which would turn '007' into 7).
 */
export function fileScan(files: readonly string[], format: OfflineFileFormat, options: { asText: boolean }): FileScan {
  const list = fileListSql(files);
  if (format === 'parquet') {
    return { from: `read_parquet(${list}, union_by_name = true)`, position: '(file_index::BIGINT << 40) + file_row_number' };
  }
  const text = options.asText ? ', all_varchar = true' : '';
  // read_csv has no file_row_number; ordinality counts rows across the files in list order.
  return { from: `read_csv(${list}, union_by_name = true, header = true${text}) WITH ORDINALITY`, position: 'ordinality' };
}

/** Column name -> DuckDB type name of what `from` yields (WITH ORDINALITY's own column left out). */
export async function describeScan(connection: DuckDBConnection, scan: FileScan): Promise<Map<string, string>> {
  const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${scan.from}`);
  const columns = described.getRowObjectsJS().map((row) => [String(row.column_name), String(row.column_type)] as const);
  return new Map(columns.filter(([name]) => !(scan.position === 'ordinality' && name === 'ordinality')));
}
