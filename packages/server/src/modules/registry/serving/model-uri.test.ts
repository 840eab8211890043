import { describe, expect, it } from 'vitest';
import { formatModelUri, parseModelUri } from './model-uri.js';

describe('parseModelUri', () => {
  it('reads versions, aliases and stages', () => {
    expect(parseModelUri('models:/fraud/3')).toEqual({ name: 'fraud', kind: 'version', version: 3 });
    expect(parseModelUri('models:/fraud@champion')).toEqual({ name: 'fraud', kind: 'alias', alias: 'champion' });
    expect(parseModelUri('models:/fraud/production')).toEqual({ name: 'fraud', kind: 'stage', stage: 'Production' });
    expect(parseModelUri('models:/fraud/latest')).toEqual({ name: 'fraud', kind: 'latest' });
  });

  it('keeps slashes and @ inside the model name', () => {
    expect(parseModelUri('models:/team/fraud/12')).toEqual({ name: 'team/fraud', kind: 'version', version: 12 });
    expect(parseModelUri('models:/a@b/7')).toEqual({ name: 'a@b', kind: 'version', version: 7 });
    expect(parseModelUri('models:/team/fraud@prod')).toEqual({ name: 'team/fraud', kind: 'alias', alias: 'prod' });
  });

  it('refuses what is not a model URI, naming the problem', () => {
    expect(() => parseModelUri('runs:/abc/model')).toThrow(/not a model URI/);
    expect(() => parseModelUri('models:/fraud')).toThrow(/must name a version/);
    expect(() => parseModelUri('models:/fraud@')).toThrow(/no alias/);
    expect(() => parseModelUri('models:/fraud/newest')).toThrow(/neither a version number nor a stage/);
  });

  it('formats what it parses', () => {
    for (const uri of ['models:/fraud/3', 'models:/fraud@champion', 'models:/fraud/Staging', 'models:/fraud/latest']) expect(formatModelUri(parseModelUri(uri))).toBe(uri);
  });
});
