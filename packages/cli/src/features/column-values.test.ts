import { describe, expect, it } from 'vitest';
import { collectEntity, columnsToCsv, parseCell, readEntityTable } from './column-values.js';
import { parseCsv } from './csv.js';

describe('parseCell', () => {
  it.each([
    ['1001', 1001],
    ['0.5', 0.5],
    ['true', true],
    ['null', null],
    ['', null],
    ['"02134"', '02134'],
    ['[1,2]', [1, 2]],
    ['2024-05-01T00:00:00Z', '2024-05-01T00:00:00Z'],
    ['abc', 'abc'],
  ])('reads %j as %j', (text, value) => {
    expect(parseCell(text)).toEqual(value);
  });
});

describe('collectEntity', () => {
  it('reads repeated key=values into columns, lists kept whole', () => {
    const columns = collectEntity('embedding=[1,2],[3]', collectEntity('driver_id=1001,1002'));
    expect(columns).toEqual({ driver_id: [1001, 1002], embedding: [[1, 2], [3]] });
  });

  it('refuses a value without a key, and a key given twice', () => {
    expect(() => collectEntity('1001')).toThrow("--entity: expected key=value,value..., got '1001'");
    expect(() => collectEntity('a=2', { a: [1] })).toThrow('--entity: a is given twice');
  });
});

describe('entity tables', () => {
  it('reads CSV with quoted fields, CRLF and a trailing newline', () => {
    expect(parseCsv('a,b\r\n"x, ""y""",2\n\n')).toEqual([
      ['a', 'b'],
      ['x, "y"', '2'],
    ]);
    expect(readEntityTable('driver_id,event_timestamp,label\n1001,2024-05-01T00:00:00Z,\n', 'e.csv')).toEqual({
      driver_id: [1001],
      event_timestamp: ['2024-05-01T00:00:00Z'],
      label: [null],
    });
    expect(() => readEntityTable('a,b\n1\n', 'e.csv')).toThrow('e.csv: line 2 has 1 fields, the header 2');
    expect(() => readEntityTable('a\n"open\n', 'e.csv')).toThrow('e.csv: a quoted field is not closed');
  });

  it('reads JSON columns or rows', () => {
    expect(readEntityTable('{"driver_id":[1,2]}', 'e.json')).toEqual({ driver_id: [1, 2] });
    expect(readEntityTable('[{"driver_id":1,"x":true},{"driver_id":2}]', 'e.json')).toEqual({ driver_id: [1, 2], x: [true, null] });
    expect(() => readEntityTable('{"a":[1],"b":[1,2]}', 'e.json')).toThrow('e.json: the columns have different lengths (a: 1, b: 2)');
    expect(() => readEntityTable('3', 'e.json')).toThrow(/e\.json: expected columns/);
  });

  it('writes columns as CSV, quoting where needed', () => {
    expect(columnsToCsv(['id', 'name', 'v'], { id: [1, 2], name: ['a,b', null], v: [[1, 2], 0.5] }, 2)).toBe('id,name,v\n1,"a,b","[1,2]"\n2,,0.5\n');
  });
});
