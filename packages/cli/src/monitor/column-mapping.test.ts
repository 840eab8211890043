import { describe, expect, it } from 'vitest';
import { parseColumnMapping, selectColumns } from './column-mapping.js';
import type { ColumnKind } from '@capstan/server/table-files';

const kinds = new Map<string, ColumnKind>([
  ['id', 'integer'],
  ['ts', 'temporal'],
  ['age', 'integer'],
  ['income', 'float'],
  ['plan', 'text'],
  ['active', 'boolean'],
  ['label', 'integer'],
  ['proba', 'float'],
]);

describe("Evidently's ColumnMapping", () => {
  it('without a mapping compares every shared column but dates, and fixes float columns as numerical', () => {
    const s = selectColumns({}, kinds, kinds);
    expect(s.columns).toEqual(['id', 'age', 'income', 'plan', 'active', 'label', 'proba']);
    // Integers are left to the drift library (Evidently's <= 5-distinct rule); floats are float64, numerical.
    expect(s.columnTypes).toEqual({ income: 'numerical', proba: 'numerical' });
    expect(s.excluded).toEqual([{ column: 'ts', why: 'date/time type' }]);
  });

  it('leaves out id and datetime, compares target and prediction, and types listed features as listed', () => {
    const s = selectColumns({ id: 'id', datetime: 'ts', target: 'label', prediction: 'proba', numerical_features: ['age'], categorical_features: ['plan'] }, kinds, kinds);
    expect(s.columns).toEqual(['age', 'plan', 'label', 'proba']);
    expect(s.columnTypes).toEqual({ age: 'numerical', plan: 'categorical', proba: 'numerical' });
    expect(s.excluded.map((e) => `${e.column}: ${e.why}`)).toEqual(['id: id column', 'ts: datetime column', 'income: not in the mapped features', 'active: not in the mapped features']);
  });

  it('infers the list that is absent from the columns left, as process_columns does', () => {
    // Numerical listed: categorical features are the non-number columns that remain.
    expect(selectColumns({ numerical_features: ['income'], id: 'id' }, kinds, kinds).columns).toEqual(['income', 'plan', 'active']);
    // Categorical listed: numerical features are the number columns that remain, a listed one excepted.
    expect(selectColumns({ categorical_features: ['age', 'plan'], id: 'id' }, kinds, kinds)).toMatchObject({
      columns: ['age', 'income', 'plan', 'label', 'proba'],
      columnTypes: { age: 'categorical', plan: 'categorical', income: 'numerical', proba: 'numerical' },
    });
  });

  it('treats a column typed float on either side as numerical', () => {
    const current = new Map(kinds).set('age', 'float');
    expect(selectColumns({}, kinds, current).columnTypes.age).toBe('numerical');
  });

  it('refuses columns the files lack, a column listed twice, and keys it does not know, naming them', () => {
    expect(() => selectColumns({ target: 'churn' }, kinds, kinds)).toThrow("column mapping names 'churn', which the reference file does not have");
    const current = new Map(kinds);
    current.delete('plan');
    expect(() => selectColumns({ categorical_features: ['plan'] }, kinds, current)).toThrow("column mapping names 'plan', which the current file does not have");
    expect(() => selectColumns({ numerical_features: ['age'], categorical_features: ['age'] }, kinds, kinds)).toThrow("lists 'age' as both numerical and categorical");
    expect(() => parseColumnMapping({ numerical: ['age'] }, 'm.json')).toThrow("m.json: unknown key 'numerical'");
    expect(() => parseColumnMapping({ numerical_features: 'age' }, 'm.json')).toThrow('m.json: numerical_features: must be a list of column names');
    expect(() => parseColumnMapping([], 'm.json')).toThrow('m.json: a column mapping is a JSON object');
    expect(() => parseColumnMapping({ embeddings: {} }, 'm.json')).toThrow('embedding drift is not supported');
  });

  it("accepts Evidently's files as they are: null entries and keys a drift report has no use for", () => {
    expect(parseColumnMapping({ target: 'label', prediction: ['p0', 'p1'], task: 'classification', pos_label: 1, datetime: null, numerical_features: null }, 'm.json')).toEqual({
      target: 'label',
      prediction: ['p0', 'p1'],
    });
  });
});
