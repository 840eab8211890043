/**
 * CSV for entity tables and retrieval results (RFC 4180: commas, double quotes doubled inside
 * quoted fields, CRLF or LF). Small on purpose: entity tables are what a user writes by hand or
 * exports from a notebook, and the results are written back the same way.
 */

/** Rows of fields; a quoted field may hold commas and newlines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (quoted) throw new Error('a quoted field is not closed');
  if (field !== '' || row.length) rows.push([...row, field]);
  // A blank line is no row (a trailing newline leaves none either).
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

const quote = (field: string) => (/[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field);

export function formatCsv(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return [header, ...rows].map((r) => r.map(quote).join(',')).join('\n') + '\n';
}
