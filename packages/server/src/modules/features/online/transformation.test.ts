import { describe, expect, it } from 'vitest';
import { compileTransformation } from './transformation.js';

describe('on-demand transformations', () => {
  it('runs a function expression over rows', () => {
    const t = compileTransformation('v', '(row) => ({ total: row.a + row.b })');
    expect(t.apply([{ a: 1, b: 2 }, { a: 3, b: 4 }])).toEqual([{ total: 3 }, { total: 7 }]);
  });

  it('refuses what is not a function expression, or does not compile', () => {
    expect(() => compileTransformation('v', '42')).toThrow("On-demand feature view 'v': the transformation must be a function expression");
    expect(() => compileTransformation('v', '(row) => {')).toThrow('does not compile');
  });

  it('gives the function no Node globals, no code generation and no objects of the server realm', () => {
    expect(compileTransformation('v', '() => ({ out: typeof process + typeof require })').apply([{}])).toEqual([{ out: 'undefinedundefined' }]);
    expect(() => compileTransformation('v', '() => ({ out: eval("1") })').apply([{}])).toThrow('the transformation failed');
    // The row is parsed inside the context: its constructor is that realm's, which cannot compile code.
    expect(() => compileTransformation('v', '(row) => ({ out: row.constructor.constructor("return process")() })').apply([{}])).toThrow('the transformation failed');
  });

  it('stops a function that runs too long, and one that returns no object', () => {
    expect(() => compileTransformation('v', '() => { for (;;) {} }').apply([{}])).toThrow('the transformation failed');
    expect(() => compileTransformation('v', '() => 1').apply([{}])).toThrow('must return an object of outputs');
  });
});
