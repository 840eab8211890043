import { describe, expect, it } from 'vitest';
import { formatTable } from './table.js';

describe('formatTable', () => {
  it('aligns columns and trims trailing space', () => {
    expect(formatTable(['ID', 'NAME'], [['1', 'alpha'], ['10', 'b']])).toBe('ID  NAME\n1   alpha\n10  b\n');
  });

  it('keeps each row on one line', () => {
    expect(formatTable(['A', 'B'], [['x\ny', 'z']])).toBe('A    B\nx y  z\n');
  });

  it('prints only headers for no rows', () => {
    expect(formatTable(['ID', 'NAME'], [])).toBe('ID  NAME\n');
  });
});
