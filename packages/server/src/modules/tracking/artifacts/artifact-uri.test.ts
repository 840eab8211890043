import { describe, expect, it } from 'vitest';
import { blobKeyForArtifactUri } from './artifact-uri.js';

describe('blobKeyForArtifactUri', () => {
  it.each([
    ['mlflow-artifacts:/1/abc/artifacts', '1/abc/artifacts'],
    ['mlflow-artifacts:///1/abc/artifacts', '1/abc/artifacts'],
    ['mlflow-artifacts://tracking.example.com:5000/1/abc/artifacts', '1/abc/artifacts'],
    ['MLFLOW-ARTIFACTS:/1/abc/artifacts/', '1/abc/artifacts'],
    ['mlflow-artifacts:/0/models/m-123/artifacts?x=1#frag', '0/models/m-123/artifacts'],
    ['mlflow-artifacts:/', ''],
    ['mlflow-artifacts:', ''],
    ['mlflow-artifacts://host', ''],
    ['mlflow-artifacts:/with space/a%20b', 'with space/a%20b'],
    ['http://localhost:5000/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts', '1/abc/artifacts'],
    ['https://proxy.example.com/mlflow/api/2.0/mlflow-artifacts/artifacts/2/def/artifacts', '2/def/artifacts'],
    ['https://proxy.example.com/api/2.0/mlflow-artifacts/artifacts', ''],
  ])('maps %s to %j', (uri, key) => {
    expect(blobKeyForArtifactUri(uri)).toBe(key);
  });

  it.each([
    's3://bucket/mlruns/1/abc/artifacts',
    'file:///tmp/mlruns/1/abc/artifacts',
    '/tmp/mlruns/1/abc/artifacts',
    'C:\\mlruns\\1',
    'gs://bucket/x',
    'https://example.com/files/1/abc/artifacts',
    'https://example.com/api/2.0/mlflow-artifacts/artifactsX/1',
  ])('does not proxy %s', (uri) => {
    expect(blobKeyForArtifactUri(uri)).toBeUndefined();
  });

  it('refuses roots that would leave the store', () => {
    expect(() => blobKeyForArtifactUri('mlflow-artifacts:/../../etc')).toThrow(/Invalid path/);
    expect(() => blobKeyForArtifactUri('http://h/api/2.0/mlflow-artifacts/artifacts/a/../../b')).toThrow(/Invalid path/);
  });
});
