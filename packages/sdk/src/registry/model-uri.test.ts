import { describe, expect, it } from 'vitest';
import { formatRunsUri, parseModelUri, parseRunsUri } from './model-uri.js';

describe('parseModelUri', () => {
  it('reads versions, aliases, latest and stages', () => {
    expect(parseModelUri('models:/iris/3')).toEqual({ name: 'iris', kind: 'version', version: '3' });
    expect(parseModelUri('models:/iris/007')).toEqual({ name: 'iris', kind: 'version', version: '7' });
    expect(parseModelUri('models:/iris@champion')).toEqual({ name: 'iris', kind: 'alias', alias: 'champion' });
    expect(parseModelUri('models:/fraud model@prod-2')).toEqual({ name: 'fraud model', kind: 'alias', alias: 'prod-2' });
    expect(parseModelUri('models:/iris/latest')).toEqual({ name: 'iris', kind: 'latest' });
    expect(parseModelUri('models:/iris/LATEST/')).toEqual({ name: 'iris', kind: 'latest' });
    expect(parseModelUri('models:/iris/production')).toEqual({ name: 'iris', kind: 'stage', stage: 'Production' });
    expect(parseModelUri('models:/iris/Staging')).toEqual({ name: 'iris', kind: 'stage', stage: 'Staging' });
  });

  it('explains what is wrong with a malformed URI', () => {
    expect(() => parseModelUri('runs:/abc/model')).toThrow(/Not a model URI: 'runs:\/abc\/model'; expected models:\/<name>\/<version>/);
    expect(() => parseModelUri('models:/iris')).toThrow(/Malformed model URI 'models:\/iris': no version, stage or alias/);
    expect(() => parseModelUri('models:/')).toThrow(/no version, stage or alias/);
    expect(() => parseModelUri('models:/@champion')).toThrow(/the model name is empty/);
    expect(() => parseModelUri('models:/iris@')).toThrow(/the alias is empty/);
    expect(() => parseModelUri('models:/iris/3/extra')).toThrow(/too many path segments/);
    expect(() => parseModelUri('models:/iris/0')).toThrow(/versions start at 1/);
    expect(() => parseModelUri('models:/iris/v3')).toThrow(/'v3' is neither a version number, 'latest', nor a stage/);
    expect(() => parseModelUri('models:/iris@a/3')).toThrow(/not both/);
    expect(() => parseModelUri('models://host/iris/3')).toThrow(/names a registry host/);
  });
});

describe('runs URIs', () => {
  it('splits run ID and artifact path', () => {
    expect(parseRunsUri('runs:/abc123/model')).toEqual({ runId: 'abc123', artifactPath: 'model' });
    expect(parseRunsUri('runs:/abc123/nested/model/')).toEqual({ runId: 'abc123', artifactPath: 'nested/model' });
    expect(parseRunsUri('runs:/abc123')).toEqual({ runId: 'abc123', artifactPath: '' });
    expect(formatRunsUri('abc123', 'model')).toBe('runs:/abc123/model');
  });

  it('refuses other schemes and an empty run ID', () => {
    expect(() => parseRunsUri('models:/iris/1')).toThrow(/Not a runs URI/);
    expect(() => parseRunsUri('runs://host/abc/model')).toThrow(/Not a runs URI/);
    expect(() => parseRunsUri('runs://model')).toThrow(/Not a runs URI/);
    expect(() => parseRunsUri('runs:/')).toThrow(/the run ID is empty/);
  });
});
