/**
 * A text/csv scoring body read as pandas' `read_csv` reads it with MLflow's defaults: the first
 * row names the columns, fields are comma-separated with RFC 4180 quoting ("" escapes a quote,
 * quoted fields may hold commas and newlines), blank lines are skipped, an empty field is missing,
 * and a row shorter than the header is missing its last cells. Cells stay text: what they mean
 * (number, boolean, string) depends on the input they feed (convert-elements.ts).
 */
import { badRequest } from './bad-request.js';
import type { ColumnsPayload } from './scoring-payload.js';

interface CsvRecord {
  /** 1-based line the record starts on, for messages. */
  line: number;
  /** null for an empty field. */
  fields: Array<string | null>;
}

function parseRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = 0;
  let line = 1;
  while (i < text.length) {
    const record: CsvRecord = { line, fields: [] };
    let blank = true;
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        blank = false;
        const opened = line;
        i += 1;
        for (;;) {
          if (i >= text.length) badRequest(`CSV line ${opened}: a quoted field is never closed`);
          const ch = text[i];
          if (ch === '"') {
            if (text[i + 1] !== '"') break;
            field += '"';
            i += 2;
            continue;
          }
          if (ch === '\n') line += 1;
          field += ch;
          i += 1;
        }
        i += 1; // the closing quote
        if (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          badRequest(`CSV line ${line}: a closing quote must end its field; found ${JSON.stringify(text[i])} after it`);
        }
      } else {
        const start = i;
        while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') i += 1;
        field = text.slice(start, i);
        if (field !== '' || text[i] === ',') blank = false;
      }
      record.fields.push(field === '' ? null : field);
      if (text[i] === ',') {
        i += 1;
        continue;
      }
      // End of the record: \n, \r\n, \r or the end of the text.
      if (text[i] === '\r' && text[i + 1] === '\n') i += 1;
      if (i < text.length) {
        i += 1;
        line += 1;
      }
      break;
    }
    if (!blank) records.push(record);
  }
  return records;
}

export function tableFromCsv(body: string): ColumnsPayload {
  const text = body.startsWith('\uFEFF') ? body.slice(1) : body;
  const [header, ...rows] = parseRecords(text);
  if (header === undefined) return badRequest('the CSV body is empty; it needs a header row naming the columns');

  const names = header.fields.map((name, c) => name ?? badRequest(`the CSV header's column ${c + 1} has no name`));
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) badRequest(`the CSV header names column '${name}' more than once`);
    seen.add(name);
  }

  const columns = new Map<string, Array<string | null>>(names.map((n) => [n, new Array<string | null>(rows.length).fill(null)]));
  rows.forEach((row, r) => {
    if (row.fields.length > names.length) {
      badRequest(`CSV line ${row.line} has ${row.fields.length} fields; the header names ${names.length} columns`);
    }
    row.fields.forEach((cell, c) => {
      (columns.get(names[c]) as Array<string | null>)[r] = cell;
    });
  });
  return { kind: 'columns', columns, rowCount: rows.length, textCells: true };
}
