import { describe, expect, it } from 'vitest';
import { externalBaseUrl } from './request-origin.js';

describe('externalBaseUrl', () => {
  it('uses the Host header and the socket protocol without a proxy', () => {
    expect(externalBaseUrl({ headers: { host: '127.0.0.1:5000' }, protocol: 'http' })).toBe('http://127.0.0.1:5000');
    expect(externalBaseUrl({ headers: { host: '[::1]:8443' }, protocol: 'https' })).toBe('https://[::1]:8443');
    expect(externalBaseUrl({ headers: { host: 'mlflow_server:5000' }, protocol: 'http' })).toBe('http://mlflow_server:5000');
  });

  it('prefers the forwarded protocol, host and prefix, nearest the client first', () => {
    const headers = {
      host: 'capstan:5000',
      'x-forwarded-proto': 'https, http',
      'x-forwarded-host': 'mlflow.example.com, internal-lb',
      'x-forwarded-prefix': '/team/tracking/',
    };
    expect(externalBaseUrl({ headers, protocol: 'http' })).toBe('https://mlflow.example.com/team/tracking');
  });

  it('ignores a forwarded protocol that is not http(s)', () => {
    expect(externalBaseUrl({ headers: { host: 'h', 'x-forwarded-proto': 'javascript' }, protocol: 'http' })).toBe('http://h');
  });

  it('rejects hosts and prefixes that would reshape the URL', () => {
    for (const host of ['evil.com/x?', 'a b', 'user@host', '']) {
      expect(() => externalBaseUrl({ headers: { host }, protocol: 'http' })).toThrow(/Host/);
    }
    expect(() => externalBaseUrl({ headers: {}, protocol: 'http' })).toThrow(/Host/);
    for (const prefix of ['no-slash', '/a?b', '//evil.com', '/a b']) {
      expect(() => externalBaseUrl({ headers: { host: 'h', 'x-forwarded-prefix': prefix }, protocol: 'http' })).toThrow(/Prefix/);
    }
  });
});
