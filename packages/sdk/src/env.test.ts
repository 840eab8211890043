import { describe, expect, it } from 'vitest';
import { DEFAULT_TRACKING_URL, resolveAuthorization, resolveConnection, resolveUrl, resolveWorkspace } from './env.js';

const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;

describe('resolveUrl', () => {
  it('prefers the option, then CAPSTAN_URL, then an http MLFLOW_TRACKING_URI', () => {
    const env = { CAPSTAN_URL: 'http://capstan:1', MLFLOW_TRACKING_URI: 'http://mlflow:2' };
    expect(resolveUrl('http://opt:3/', env)).toBe('http://opt:3');
    expect(resolveUrl(undefined, env)).toBe('http://capstan:1');
    expect(resolveUrl(undefined, { MLFLOW_TRACKING_URI: 'https://mlflow:2/' })).toBe('https://mlflow:2');
  });

  it('ignores non-http tracking URIs and empty values', () => {
    expect(resolveUrl(undefined, { MLFLOW_TRACKING_URI: 'sqlite:///mlflow.db' })).toBe(DEFAULT_TRACKING_URL);
    expect(resolveUrl('', { CAPSTAN_URL: '' })).toBe(DEFAULT_TRACKING_URL);
  });
});

describe('resolveAuthorization', () => {
  it('uses CAPSTAN_TOKEN as a bearer token before MLflow variables', () => {
    const env = { CAPSTAN_TOKEN: 'cap', MLFLOW_TRACKING_TOKEN: 'ml', MLFLOW_TRACKING_USERNAME: 'u', MLFLOW_TRACKING_PASSWORD: 'p' };
    expect(resolveAuthorization({}, env)).toBe('Bearer cap');
  });

  it('follows MLflow: basic auth before MLFLOW_TRACKING_TOKEN', () => {
    expect(resolveAuthorization({}, { MLFLOW_TRACKING_TOKEN: 'ml', MLFLOW_TRACKING_USERNAME: 'u', MLFLOW_TRACKING_PASSWORD: 'p' })).toBe(basic('u:p'));
    expect(resolveAuthorization({}, { MLFLOW_TRACKING_TOKEN: 'ml', MLFLOW_TRACKING_USERNAME: 'u' })).toBe('Bearer ml');
  });

  it('prefers CAPSTAN_TOKEN to MLflow basic auth alone', () => {
    expect(resolveAuthorization({}, { CAPSTAN_TOKEN: 'cap', MLFLOW_TRACKING_USERNAME: 'u', MLFLOW_TRACKING_PASSWORD: 'p' })).toBe('Bearer cap');
    expect(resolveAuthorization({}, { CAPSTAN_TOKEN: '', MLFLOW_TRACKING_TOKEN: 'ml' })).toBe('Bearer ml');
  });

  it('lets explicit options win over the environment', () => {
    expect(resolveAuthorization({ token: 't' }, { CAPSTAN_TOKEN: 'cap' })).toBe('Bearer t');
    expect(resolveAuthorization({ username: 'a', password: 'b' }, { CAPSTAN_TOKEN: 'cap' })).toBe(basic('a:b'));
  });

  it('sends nothing when nothing is configured', () => {
    expect(resolveConnection({}, {})).toEqual({ url: DEFAULT_TRACKING_URL });
  });
});

describe('resolveWorkspace', () => {
  it('prefers the option, then CAPSTAN_WORKSPACE, and ignores empty values', () => {
    expect(resolveWorkspace('opt', { CAPSTAN_WORKSPACE: 'env' })).toBe('opt');
    expect(resolveWorkspace(undefined, { CAPSTAN_WORKSPACE: 'env' })).toBe('env');
    expect(resolveWorkspace('', { CAPSTAN_WORKSPACE: '' })).toBeUndefined();
    expect(resolveConnection({}, { CAPSTAN_WORKSPACE: 'team-a' })).toEqual({ url: DEFAULT_TRACKING_URL, workspace: 'team-a' });
  });
});
