/**
 * CSV and Parquet reading (DuckDB) for `capstan monitor report`, apart from the index and from
 * the report entry, so the CLI loads DuckDB only when a command reads files.
 */
export { duckdbTableFiles } from './adapters/duckdb/duckdb-table-files.js';
export { TableFileError, type ColumnKind, type Table, type TableCell, type TableFiles } from './ports/table-files.js';
