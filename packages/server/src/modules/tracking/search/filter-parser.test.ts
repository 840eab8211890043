import { describe, expect, it } from 'vitest';
import { CapstanError } from '../../../core/errors.js';
import { parseFilter, type FilterComparison } from './filter-parser.js';
import { EXPERIMENT_SEARCH, LOGGED_MODEL_SEARCH, RUN_SEARCH, type SearchSpec } from './search-specs.js';
import { tokenize } from './tokenizer.js';

const runs = (filter: string) => parseFilter(filter, RUN_SEARCH);
const one = (filter: string, spec: SearchSpec = RUN_SEARCH): FilterComparison => {
  const parsed = parseFilter(filter, spec);
  expect(parsed).toHaveLength(1);
  return parsed[0]!;
};

function errorOf(run: () => unknown): CapstanError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CapstanError);
    return error as CapstanError;
  }
  throw new Error('expected an INVALID_PARAMETER_VALUE error');
}

describe('tokenize', () => {
  it('splits identifiers, operators, strings, numbers and punctuation', () => {
    const kinds = tokenize(`metrics.\`a b\` >= -1.5e3 AND params."x" IN ('a', "b")`, 'filter').map((t) => `${t.kind}:${t.text}`);
    expect(kinds).toEqual([
      'word:metrics', 'dot:.', 'backtick:a b', 'operator:>=', 'number:-1.5e3', 'word:AND', 'word:params', 'dot:.', 'double:x',
      'word:IN', 'lparen:(', 'single:a', 'comma:,', 'double:b', 'rparen:)', 'eof:',
    ]);
  });

  it('reads a digit-led key after a dot as a word, and .5 elsewhere as a number', () => {
    expect(tokenize('metrics.1st > .5', 'filter').map((t) => t.kind)).toEqual(['word', 'dot', 'word', 'operator', 'number', 'eof']);
  });

  it('unescapes doubled and backslashed quotes and keeps other backslashes verbatim', () => {
    const texts = tokenize(`'it''s' 'it\\'s' "say ""hi""" 'a\\\\' '100\\%'`, 'filter').map((t) => t.text);
    expect(texts).toEqual(["it's", "it's", 'say "hi"', 'a\\\\', '100\\%', '']);
  });
});

describe('parseFilter for runs', () => {
  it('treats an empty or blank filter as no conditions', () => {
    expect(runs('')).toEqual([]);
    expect(runs('   ')).toEqual([]);
    expect(parseFilter(undefined, RUN_SEARCH)).toEqual([]);
  });

  it.each([
    ['metrics.acc > 0.5', 'metric', 'acc'],
    ['metric.acc > 0.5', 'metric', 'acc'],
    ['metrics.`a b` > 0.5', 'metric', 'a b'],
    ['metrics."a b" > 0.5', 'metric', 'a b'],
    ['`metrics`.acc > 0.5', 'metric', 'acc'],
    ['metrics.`val.loss` > 0.5', 'metric', 'val.loss'],
    ['metrics.1st > 0.5', 'metric', '1st'],
    ['metrics.准确率 > 0.5', 'metric', '准确率'],
    ["params.lr = '0.1'", 'param', 'lr'],
    ["param.lr = '0.1'", 'param', 'lr'],
    ["parameter.lr = '0.1'", 'param', 'lr'],
    ["parameters.lr = '0.1'", 'param', 'lr'],
    ["tags.team = 'a'", 'tag', 'team'],
    ["tag.team = 'a'", 'tag', 'team'],
    ["tags.mlflow.runName = 'a'", 'tag', 'mlflow.runName'],
    ["tags.\"mlflow.runName\" = 'a'", 'tag', 'mlflow.runName'],
    ["tags.`my tag` = 'a'", 'tag', 'my tag'],
    ["attributes.status = 'FINISHED'", 'attribute', 'status'],
    ["attribute.status = 'FINISHED'", 'attribute', 'status'],
    ["attr.status = 'FINISHED'", 'attribute', 'status'],
    ["run.status = 'FINISHED'", 'attribute', 'status'],
    ["status = 'FINISHED'", 'attribute', 'status'],
    ["run_id = 'abc'", 'attribute', 'run_id'],
    ["run_name = 'abc'", 'attribute', 'run_name'],
    ["\"run name\" = 'abc'", 'attribute', 'run_name'],
    ["`Run Name` = 'abc'", 'attribute', 'run_name'],
    ["user_id = 'u'", 'attribute', 'user_id'],
    ["artifact_uri = 'u'", 'attribute', 'artifact_uri'],
    ['start_time > 5', 'attribute', 'start_time'],
    ['end_time > 5', 'attribute', 'end_time'],
    ['created > 5', 'attribute', 'start_time'],
    ['Created > 5', 'attribute', 'start_time'],
    ["datasets.name = 'train'", 'dataset', 'name'],
    ["dataset.digest = 'abc'", 'dataset', 'digest'],
    ["datasets.context = 'training'", 'dataset', 'context'],
  ])('%s -> %s %s', (filter, entity, key) => {
    expect(one(filter)).toMatchObject({ entity, key });
  });

  it.each(['=', '!=', '>', '>=', '<', '<='])('accepts metric comparator %s with numeric values', (op) => {
    expect(one(`metrics.acc ${op} 1`)).toEqual({ kind: 'number', entity: 'metric', key: 'acc', comparator: op, value: 1 });
    expect(one(`start_time ${op} 2`)).toEqual({ kind: 'number', entity: 'attribute', key: 'start_time', comparator: op, value: 2 });
  });

  it.each([
    ['1', 1],
    ['-1', -1],
    ['+1', 1],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['1.', 1],
    ['1e3', 1000],
    ['1E-3', 0.001],
    ['-2.5e+2', -250],
  ])('reads the number %s', (text, value) => {
    expect(one(`metrics.acc > ${text}`)).toMatchObject({ value });
  });

  it.each(['=', '!=', 'LIKE', 'ILIKE'])('accepts string comparator %s for params, tags, string attributes and datasets', (op) => {
    for (const id of ['params.p', 'tags.t', 'status', 'datasets.name']) {
      expect(one(`${id} ${op} 'v'`)).toMatchObject({ kind: 'string', comparator: op, value: 'v' });
    }
  });

  it('takes single- or double-quoted strings, with escapes, and the empty string', () => {
    expect(one(`params.p = "it's"`)).toMatchObject({ value: "it's" });
    expect(one(`params.p = 'it''s'`)).toMatchObject({ value: "it's" });
    expect(one(`params.p = ''`)).toMatchObject({ value: '' });
    expect(one(`params.p LIKE '100\\%'`)).toMatchObject({ value: '100\\%' });
  });

  it('parses IN and NOT IN lists for run_id and datasets', () => {
    expect(one(`run_id IN ('a', "b")`)).toEqual({ kind: 'list', entity: 'attribute', key: 'run_id', comparator: 'IN', value: ['a', 'b'] });
    expect(one(`attributes.run_id not in ('a',)`)).toMatchObject({ comparator: 'NOT IN', value: ['a'] });
    expect(one(`datasets.digest NOT IN ('x')`)).toMatchObject({ entity: 'dataset', comparator: 'NOT IN', value: ['x'] });
    expect(one(`datasets.context in ('training', 'eval')`)).toMatchObject({ comparator: 'IN', value: ['training', 'eval'] });
  });

  it('accepts keywords in any case and any whitespace', () => {
    const parsed = runs("metrics.acc>0.5\n\tand params.lr like 'a%'  AnD\ttags.t ILike 'b' And run_id Not In ('x')");
    expect(parsed.map((c) => c.comparator)).toEqual(['>', 'LIKE', 'ILIKE', 'NOT IN']);
  });

  it('keeps injected SQL as plain data', () => {
    expect(one("params.`x' OR 1=1 --` = 'a'")).toMatchObject({ key: "x' OR 1=1 --", value: 'a' });
    expect(one("params.x = 'a'' OR ''1''=''1'")).toMatchObject({ value: "a' OR '1'='1" });
    expect(one("tags.t = 'x''; DROP TABLE runs; --'")).toMatchObject({ value: "x'; DROP TABLE runs; --" });
  });
});

describe('parseFilter errors', () => {
  it.each([
    ['metrics.acc', "expected a comparator after 'metrics.acc', found 'end of input'"],
    ['metrics.acc >', "Expected numeric value type for metrics 'acc'. Found end of input"],
    ["metrics.acc > 'x'", "Expected numeric value type for metrics 'acc'. Found 'x'"],
    ['metrics.acc LIKE 1', "Invalid comparator 'LIKE' for metrics 'acc'"],
    ["metrics.acc IN ('1')", "Invalid comparator 'IN' for metrics 'acc'"],
    ['params.x = 1', "Expected a quoted string value for params 'x'"],
    ['params.x = `a`', "Expected a quoted string value for params 'x'"],
    ["param.lr > '1'", "Invalid comparator '>' for param 'lr'"],
    ["params.lr IN ('1')", "Invalid comparator 'IN' for params 'lr'"],
    ["tags.t <= 'a'", "Invalid comparator '<=' for tags 't'"],
    ["params.x == 'a'", "Invalid comparator '=='"],
    ["params.x <> 'a'", "Invalid comparator '<>'"],
    ["params.x NOT LIKE 'a'", "Invalid comparator 'NOT LIKE'"],
    ["foo = 'x'", "Invalid attribute key 'foo'"],
    ["attributes.foo = 'x'", "Invalid attribute key 'foo'"],
    ["attributes.lifecycle_stage = 'x'", "Invalid attribute key 'lifecycle_stage'"],
    ["bogus.x = 'a'", "Invalid entity type 'bogus'"],
    ["Metrics.x > 1", "Invalid entity type 'Metrics'"],
    ["datasets.foo = 'x'", "Invalid dataset key 'foo'"],
    ["status IN ('A')", "Invalid comparator 'IN' for attribute 'status'"],
    ["start_time > '5'", "Expected numeric value type for attribute 'start_time'"],
    ['start_time LIKE 5', "Invalid comparator 'LIKE' for attribute 'start_time'"],
    ["run_id = ('a')", "Expected a quoted string value for attribute 'run_id'"],
    ["run_id IN 'a'", 'Expected a parenthesised list of quoted strings'],
    ['run_id IN ()', 'expected a non-empty list of string values'],
    ["run_id IN ('a' 'b')", "expected ',' or ')', but got 'b'"],
    ["run_id IN ('a', 1)", 'expected a quoted string value, but got 1'],
    ['metrics.a > 1 OR metrics.b > 1', 'Only AND is supported'],
    ['metrics.a > 1 metrics.b > 1', "expected AND or the end of the filter, found 'metrics'"],
    ['metrics.a > 1 AND', "expected an identifier such as metrics.acc, found 'end of input'"],
    ['(metrics.a > 1)', "found '('"],
    ['metrics.a > 1 AND (metrics.b > 2 OR metrics.c > 3)', "found '('"],
    ["params.x = 'abc", 'unterminated quoted text starting at position 11'],
    ['metrics. > 1', "expected a key after '.'"],
    ['metrics.`` > 1', "Invalid identifier 'metrics.``': the key is empty"],
    ['metrics.a > 1abc', "malformed number '1abc'"],
    ["params.x = 'a'; DROP TABLE runs; --'", "unexpected character ';' at position 14"],
    ["params.x = 'a' -- comment", "unexpected character '-'"],
    ["params.x = 'a' /* c */", "unexpected character '/'"],
  ])('%s', (filter, fragment) => {
    const error = errorOf(() => runs(filter));
    expect(error.code).toBe('INVALID_PARAMETER_VALUE');
    expect(error.message).toContain(fragment);
  });
});

describe('parseFilter for experiments', () => {
  const exp = (filter: string) => one(filter, EXPERIMENT_SEARCH);

  it('reads attributes with or without a prefix, and tags', () => {
    expect(exp("name LIKE 'a%'")).toMatchObject({ entity: 'attribute', key: 'name', comparator: 'LIKE' });
    expect(exp("attributes.name = 'a'")).toMatchObject({ entity: 'attribute', key: 'name' });
    expect(exp('attribute.creation_time > 5')).toMatchObject({ kind: 'number', key: 'creation_time' });
    expect(exp('last_update_time <= 5')).toMatchObject({ kind: 'number', key: 'last_update_time' });
    expect(exp("tags.team ILIKE 'v%'")).toMatchObject({ entity: 'tag', key: 'team' });
    expect(exp("tag.`a b` != 'v'")).toMatchObject({ entity: 'tag', key: 'a b' });
  });

  it.each([
    ['metrics.a > 1', "Invalid entity type 'metrics'"],
    ["params.a = 'x'", "Invalid entity type 'params'"],
    ["run_id = 'x'", "Invalid attribute key 'run_id'"],
    ["name IN ('a')", "Invalid comparator 'IN' for attribute 'name'"],
    ["creation_time > '5'", "Expected numeric value type for attribute 'creation_time'"],
  ])('rejects %s', (filter, fragment) => {
    expect(errorOf(() => parseFilter(filter, EXPERIMENT_SEARCH)).message).toContain(fragment);
  });
});

describe('parseFilter for logged models', () => {
  const model = (filter: string) => one(filter, LOGGED_MODEL_SEARCH);

  it('reads attributes (with aliases), metrics, params and tags', () => {
    expect(model("name = 'm'")).toMatchObject({ entity: 'attribute', key: 'name' });
    expect(model("attributes.model_type ILIKE 'c%'")).toMatchObject({ key: 'model_type' });
    expect(model("status IN ('LOGGED_MODEL_READY')")).toMatchObject({ kind: 'list', key: 'status' });
    expect(model("source_run_id NOT IN ('r')")).toMatchObject({ comparator: 'NOT IN', key: 'source_run_id' });
    expect(model('creation_time > 5')).toMatchObject({ kind: 'number', key: 'creation_timestamp' });
    expect(model('last_updated_time > 5')).toMatchObject({ kind: 'number', key: 'last_updated_timestamp' });
    expect(model('metrics.acc >= 0.9')).toMatchObject({ entity: 'metric', key: 'acc', value: 0.9 });
    expect(model("params.lr = '0.1'")).toMatchObject({ entity: 'param', key: 'lr' });
    expect(model("tags.t != 'v'")).toMatchObject({ entity: 'tag', key: 't' });
  });

  it.each([
    ["datasets.name = 'x'", "Invalid entity type 'datasets'"],
    ["run_id = 'x'", "Invalid attribute key 'run_id'"],
    ["metrics.acc LIKE 'x'", "Invalid comparator 'LIKE' for metrics 'acc'"],
  ])('rejects %s', (filter, fragment) => {
    expect(errorOf(() => parseFilter(filter, LOGGED_MODEL_SEARCH)).message).toContain(fragment);
  });
});
