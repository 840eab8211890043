import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, localPathFromUri, parseServerArgs } from './config.js';

describe('configuration', () => {
  it('uses the embedded defaults with nothing set', () => {
    const config = loadConfig({ env: {} });
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 5000,
      backendStoreUri: 'sqlite:///capstan-data/capstan.db',
      artifactsDestination: './capstan-data/artifacts',
      defaultArtifactRoot: 'mlflow-artifacts:/',
      serveArtifacts: true,
    });
  });

  it('applies precedence: flags over CAPSTAN_* over the config file over defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'capstan-config-'));
    const file = join(dir, 'capstan.yaml');
    writeFileSync(file, 'port: 7000\nhost: 0.0.0.0\nlogLevel: debug\ns3:\n  region: eu-west-1\n');
    const env = { CAPSTAN_PORT: '7100', CAPSTAN_LOG_LEVEL: 'warn', MLFLOW_S3_ENDPOINT_URL: 'http://127.0.0.1:9000' };
    const { overrides } = parseServerArgs(['--port', '7200', '--backend-store-uri', 'postgresql://u@h/db']);
    const config = loadConfig({ env, configFile: file, overrides });
    expect(config.port).toBe(7200);
    expect(config.logLevel).toBe('warn');
    expect(config.host).toBe('0.0.0.0');
    expect(config.backendStoreUri).toBe('postgresql://u@h/db');
    expect(config.s3).toEqual({ region: 'eu-west-1', endpointUrl: 'http://127.0.0.1:9000', forcePathStyle: true });
  });

  it('reads the config file named by CAPSTAN_CONFIG', () => {
    const dir = mkdtempSync(join(tmpdir(), 'capstan-config-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ artifactsDestination: 's3://bucket/prefix' }));
    expect(loadConfig({ env: { CAPSTAN_CONFIG: file } }).artifactsDestination).toBe('s3://bucket/prefix');
  });

  it('mirrors mlflow server flags, including --no-serve-artifacts and -h/-p', () => {
    const args = parseServerArgs(['-h', '0.0.0.0', '-p', '8080', '--no-serve-artifacts', '--artifacts-destination', 's3://b/p']);
    expect(args.overrides).toEqual({ host: '0.0.0.0', port: '8080', serveArtifacts: false, artifactsDestination: 's3://b/p' });
  });

  it('rejects unknown flags, bad values and unknown file keys with a clear message', () => {
    expect(() => parseServerArgs(['--prot', '1'])).toThrow(/Unknown option '--prot'/);
    expect(() => loadConfig({ env: { CAPSTAN_PORT: 'eighty' } })).toThrow(/Invalid configuration: port/);
    expect(() => loadConfig({ env: {}, overrides: { port: 70000 } })).toThrow(/port/);
    const dir = mkdtempSync(join(tmpdir(), 'capstan-config-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'prot: 5000\n');
    expect(() => loadConfig({ env: {}, configFile: file })).toThrow(/Unrecognized key.*prot/);
    expect(() => loadConfig({ env: {}, configFile: join(dir, 'missing.yaml') })).toThrow(/Cannot read config file/);
  });

  it('resolves file URIs and relative paths', () => {
    expect(localPathFromUri('file:///var/data/a%20b', '/cwd')).toBe('/var/data/a b');
    expect(localPathFromUri('./capstan-data/artifacts', '/cwd')).toBe('/cwd/capstan-data/artifacts');
  });
});
