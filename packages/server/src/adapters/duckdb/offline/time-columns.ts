/**
 * Event and created time columns: TIMESTAMP, TIMESTAMPTZ, DATE (and Parquet's TIMESTAMP_S/MS/NS),
 * or ISO 8601 text (CSV). Everything becomes a UTC TIMESTAMP; text with an offset is converted,
 * text without one is read as UTC.
 */
import { quoteIdentifier } from './sql.js';

const AS_IS = 'TIMESTAMP';
const CASTABLE = new Set(['TIMESTAMP WITH TIME ZONE', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS', 'DATE']);

/** The expression reading `column` (of DuckDB type `type`) as a TIMESTAMP, or undefined when it cannot be a time. */
export function timestampExpression(column: string, type: string): string | undefined {
  const quoted = quoteIdentifier(column);
  if (type === AS_IS) return quoted;
  if (CASTABLE.has(type)) return `CAST(${quoted} AS TIMESTAMP)`;
  // Through TIMESTAMPTZ so that '...Z' and '...+02:00' are honoured rather than refused.
  if (type === 'VARCHAR') return `CAST(CAST(${quoted} AS TIMESTAMPTZ) AS TIMESTAMP)`;
  return undefined;
}

export const TIME_TYPES_HINT = 'a TIMESTAMP, TIMESTAMPTZ or DATE column, or ISO 8601 text';
