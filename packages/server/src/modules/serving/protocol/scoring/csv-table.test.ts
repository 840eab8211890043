import { describe, expect, it } from 'vitest';
import { tableFromCsv } from './csv-table.js';
import { expectBadRequest } from './test-support/expect-bad-request.js';

const columnsOf = (csv: string) => Object.fromEntries(tableFromCsv(csv).columns);

describe('tableFromCsv', () => {
  it('reads a header and rows as text columns', () => {
    const table = tableFromCsv('amount,country,hour\n12.5,US,3\n7,FR,23\n');
    expect(table.rowCount).toBe(2);
    expect(table.textCells).toBe(true);
    expect(Object.fromEntries(table.columns)).toEqual({ amount: ['12.5', '7'], country: ['US', 'FR'], hour: ['3', '23'] });
  });

  it('follows RFC 4180 quoting: commas, doubled quotes and newlines inside quotes', () => {
    expect(columnsOf('name,note\n"Smith, J.","said ""hi""\nthen left"\n')).toEqual({
      name: ['Smith, J.'],
      note: ['said "hi"\nthen left'],
    });
  });

  it('takes CRLF and lone CR line ends, a BOM, and skips blank lines', () => {
    expect(columnsOf('\uFEFFa,b\r\n1,2\r\n\r\n3,4\r5,6')).toEqual({ a: ['1', '3', '5'], b: ['2', '4', '6'] });
  });

  it('reads empty fields and the cells a short row lacks as missing', () => {
    expect(columnsOf('a,b,c\n1,,3\n4\n,,\n')).toEqual({ a: ['1', '4', null], b: [null, null, null], c: ['3', null, null] });
  });

  it('counts a header-only body as zero rows', () => {
    const table = tableFromCsv('a,b\n');
    expect(table.rowCount).toBe(0);
    expect([...table.columns.keys()]).toEqual(['a', 'b']);
  });

  it('rejects what pandas cannot read as a table', () => {
    expectBadRequest(() => tableFromCsv(''), 'the CSV body is empty; it needs a header row naming the columns');
    expectBadRequest(() => tableFromCsv('\n\n'), /the CSV body is empty/);
    expectBadRequest(() => tableFromCsv('a,b\n1,2,3\n'), 'CSV line 2 has 3 fields; the header names 2 columns');
    expectBadRequest(() => tableFromCsv('a,a\n1,2\n'), "the CSV header names column 'a' more than once");
    expectBadRequest(() => tableFromCsv('a,,c\n1,2,3\n'), "the CSV header's column 2 has no name");
    expectBadRequest(() => tableFromCsv('a,b\n1,"open\n'), 'CSV line 2: a quoted field is never closed');
    expectBadRequest(() => tableFromCsv('a,b\n"x"y,2\n'), 'CSV line 2: a closing quote must end its field; found "y" after it');
  });
});
