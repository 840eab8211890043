import { describe, expect, it } from 'vitest';
import { parseExperimentOrderBy, parseLoggedModelOrderBy, parseOrderByClause, parseRunOrderBy, type LoggedModelOrderBy } from './order-by.js';
import { RUN_SEARCH } from './search-specs.js';

describe('order_by for runs', () => {
  it.each([
    ['metrics.acc DESC', { entity: 'metric', key: 'acc', ascending: false }],
    ['metrics.`a b` desc', { entity: 'metric', key: 'a b', ascending: false }],
    ['metrics."a.b"', { entity: 'metric', key: 'a.b', ascending: true }],
    ['params.lr ASC', { entity: 'param', key: 'lr', ascending: true }],
    ['param.lr', { entity: 'param', key: 'lr', ascending: true }],
    ['tags.x', { entity: 'tag', key: 'x', ascending: true }],
    ['tags.mlflow.runName Desc', { entity: 'tag', key: 'mlflow.runName', ascending: false }],
    ['attributes.start_time', { entity: 'attribute', key: 'start_time', ascending: true }],
    ['attr.end_time DESC', { entity: 'attribute', key: 'end_time', ascending: false }],
    ['start_time DESC', { entity: 'attribute', key: 'start_time', ascending: false }],
    ['created', { entity: 'attribute', key: 'start_time', ascending: true }],
    ['run_name', { entity: 'attribute', key: 'run_name', ascending: true }],
    ['  status   desc  ', { entity: 'attribute', key: 'status', ascending: false }],
  ])('%s', (clause, expected) => {
    expect(parseOrderByClause(clause, RUN_SEARCH)).toEqual(expected);
  });

  it.each([
    ['', "Invalid order_by clause ''. Could not be parsed."],
    ['metrics.acc DESCENDING', "Invalid ordering key in order_by clause 'metrics.acc DESCENDING'."],
    ['metrics.acc DESC extra', "Invalid order_by clause 'metrics.acc DESC extra'. Could not be parsed."],
    ['metrics.acc, params.x', "Invalid order_by clause 'metrics.acc, params.x'. Could not be parsed."],
    ['foo', "Invalid attribute key 'foo' specified"],
    ['"run name"', "Invalid attribute key 'run name' specified"],
    ['bogus.x', "Invalid entity type 'bogus'"],
    ['datasets.name', "Invalid order_by entity 'datasets'"],
    ['metrics.acc; DROP TABLE runs', "unexpected character ';'"],
  ])('rejects %j', (clause, fragment) => {
    expect(() => parseOrderByClause(clause, RUN_SEARCH)).toThrow(fragment);
  });

  it('rejects a field given twice, including run_name spelled as its tag', () => {
    expect(() => parseRunOrderBy(['metrics.a', 'metric.a DESC'])).toThrow('`order_by` contains duplicate fields');
    expect(() => parseRunOrderBy(['run_name', 'tags.mlflow.runName'])).toThrow('`order_by` contains duplicate fields');
    expect(parseRunOrderBy(['metrics.a', 'params.a'])).toHaveLength(2);
    expect(parseRunOrderBy(undefined)).toEqual([]);
  });
});

describe('order_by for experiments', () => {
  it('defaults to creation_time DESC then experiment_id ASC', () => {
    expect(parseExperimentOrderBy([])).toEqual([
      { entity: 'attribute', key: 'creation_time', ascending: false },
      { entity: 'attribute', key: 'experiment_id', ascending: true },
    ]);
  });

  it('adds experiment_id DESC as the tie-breaker unless given', () => {
    expect(parseExperimentOrderBy(['name'])).toEqual([
      { entity: 'attribute', key: 'name', ascending: true },
      { entity: 'attribute', key: 'experiment_id', ascending: false },
    ]);
    expect(parseExperimentOrderBy(['attributes.experiment_id ASC', 'last_update_time DESC'])).toEqual([
      { entity: 'attribute', key: 'experiment_id', ascending: true },
      { entity: 'attribute', key: 'last_update_time', ascending: false },
    ]);
  });

  it('rejects tags and unknown attributes', () => {
    expect(() => parseExperimentOrderBy(['tags.x'])).toThrow('Invalid order_by entity: tag');
    expect(() => parseExperimentOrderBy(['start_time'])).toThrow("Invalid attribute key 'start_time'");
  });
});

describe('order_by for logged models', () => {
  it('reads metrics with datasets, attributes with aliases, and adds MLflow tie-breakers', () => {
    expect(
      parseLoggedModelOrderBy([
        { field_name: 'metrics.acc', ascending: false, dataset_name: 'eval', dataset_digest: 'd' },
        { field_name: 'creation_time' },
      ]),
    ).toEqual([
      { entity: 'metric', key: 'acc', ascending: false, datasetName: 'eval', datasetDigest: 'd' },
      { entity: 'attribute', key: 'creation_timestamp', ascending: true },
      { entity: 'attribute', key: 'model_id', ascending: true },
    ]);
    expect(parseLoggedModelOrderBy(undefined)).toEqual([
      { entity: 'attribute', key: 'creation_timestamp', ascending: false },
      { entity: 'attribute', key: 'model_id', ascending: true },
    ]);
  });

  it.each<[LoggedModelOrderBy, string]>([
    [{ field_name: 'params.lr' }, 'Invalid order by field name: params, only `metrics.<name>` is allowed.'],
    [{ field_name: 'bogus' }, 'Invalid order by field name: bogus.'],
    [{ field_name: '' }, '`field_name` in the `order_by` clause must be specified.'],
    [{ field_name: 'name', dataset_digest: 'd' }, '`dataset_digest` can only be specified if `dataset_name` is also specified.'],
    [{ field_name: 'name', ascending: 'yes' as unknown as boolean }, 'Value of `ascending` in the `order_by` clause must be a boolean'],
  ])('rejects %j', (entry, fragment) => {
    expect(() => parseLoggedModelOrderBy([entry])).toThrow(fragment);
  });
});
