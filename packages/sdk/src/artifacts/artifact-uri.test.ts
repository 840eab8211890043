import { describe, expect, it } from 'vitest';
import { assertSafeArtifactPath, joinArtifactPath, proxyRootFromArtifactUri } from './artifact-uri.js';

describe('proxyRootFromArtifactUri', () => {
  it('strips the scheme and any authority', () => {
    expect(proxyRootFromArtifactUri('mlflow-artifacts:/1/abc/artifacts')).toBe('1/abc/artifacts');
    expect(proxyRootFromArtifactUri('mlflow-artifacts://host:5000/1/abc/artifacts/')).toBe('1/abc/artifacts');
    expect(proxyRootFromArtifactUri('mlflow-artifacts:///1/abc/artifacts')).toBe('1/abc/artifacts');
  });

  it('accepts an http URL of the proxy', () => {
    expect(proxyRootFromArtifactUri('http://h:5000/prefix/api/2.0/mlflow-artifacts/artifacts/1/a%20b/artifacts')).toBe('1/a b/artifacts');
  });

  it('refuses roots the proxy does not serve', () => {
    expect(() => proxyRootFromArtifactUri('s3://bucket/1/abc/artifacts')).toThrow(/mlflow-artifacts/);
    expect(() => proxyRootFromArtifactUri('https://bucket.example/1/abc')).toThrow(/mlflow-artifacts/);
  });
});

describe('joinArtifactPath', () => {
  it('joins pieces and skips empty ones', () => {
    expect(joinArtifactPath('1/abc/artifacts', undefined, '/models/', 'a\\b.txt')).toBe('1/abc/artifacts/models/a/b.txt');
    expect(joinArtifactPath('', '')).toBe('');
  });
});

describe('assertSafeArtifactPath', () => {
  it('rejects dot segments', () => {
    expect(() => assertSafeArtifactPath('a/../b')).toThrow();
    expect(() => assertSafeArtifactPath('a/b..c')).not.toThrow();
  });
});
