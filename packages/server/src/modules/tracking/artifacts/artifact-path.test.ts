import { describe, expect, it } from 'vitest';
import { CapstanError } from '../../../core/errors.js';
import { multipartTargetKey, parseArtifactObjectPath, parseArtifactPath } from './artifact-path.js';

function expectInvalid(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CapstanError);
    expect((error as CapstanError).code).toBe('INVALID_PARAMETER_VALUE');
    return;
  }
  throw new Error('expected INVALID_PARAMETER_VALUE');
}

describe('parseArtifactPath', () => {
  it('normalises harmless spellings into a relative key', () => {
    expect(parseArtifactPath('')).toBe('');
    expect(parseArtifactPath('1/abc/artifacts/model/MLmodel')).toBe('1/abc/artifacts/model/MLmodel');
    expect(parseArtifactPath('./a//b/./c/')).toBe('a/b/c');
    expect(parseArtifactPath('a b/ünï €.txt')).toBe('a b/ünï €.txt');
  });

  it('keeps percent signs that the router already decoded, as literal names', () => {
    expect(parseArtifactPath('100%25.txt')).toBe('100%25.txt');
    expect(parseArtifactPath('50%.csv')).toBe('50%.csv');
    expect(parseArtifactPath('%zz/%e2%82')).toBe('%zz/%e2%82');
  });

  it.each([
    ['..', 'a parent segment'],
    ['a/../../b', 'a nested parent segment'],
    ['a/..', 'a trailing parent segment'],
    ['%2e%2e/x', 'an encoded parent segment'],
    ['%2E%2e%2Fx', 'an encoded parent and separator'],
    ['%252e%252e/x', 'a double-encoded parent segment'],
    ['%25252e%25252e%25252fx', 'a triple-encoded parent segment'],
    ['%2e%2e%2f%ffx', 'an encoded parent segment in a run with invalid UTF-8'],
    ['a\\b', 'a backslash'],
    ['a%5c..%5cb', 'an encoded backslash'],
    ['/etc/passwd', 'an absolute path'],
    ['%2fetc%2fpasswd', 'an encoded absolute path'],
    ['C:/Windows', 'a drive letter'],
    ['c:%5cWindows', 'a drive letter with an encoded backslash'],
    ['a\0b', 'a NUL byte'],
    ['a%00b', 'an encoded NUL byte'],
    ['a\nb', 'a newline'],
    ['a#b', "a '#'"],
    ['a%23b', "an encoded '#'"],
  ])('rejects %j (%s)', (path) => {
    expectInvalid(() => parseArtifactPath(path));
  });

  it('gives up on paths encoded more times than MLflow decodes', () => {
    let path = '..';
    for (let i = 0; i < 12; i++) path = encodeURIComponent(path).replaceAll('.', '%2E');
    expectInvalid(() => parseArtifactPath(path));
  });
});

describe('parseArtifactObjectPath', () => {
  it('refuses the store root', () => {
    expectInvalid(() => parseArtifactObjectPath(''));
    expectInvalid(() => parseArtifactObjectPath('./'));
    expect(parseArtifactObjectPath('a/b.txt')).toBe('a/b.txt');
  });
});

describe('multipartTargetKey', () => {
  it('puts the base name of the client file under the folder from the URL', () => {
    expect(multipartTargetKey('1/r/artifacts/model', '/home/me/out/model.bin')).toBe('1/r/artifacts/model/model.bin');
    expect(multipartTargetKey('1/r/artifacts', 'C:\\Users\\me\\weights.pt')).toBe('1/r/artifacts/weights.pt');
    expect(multipartTargetKey('', 'relative.bin')).toBe('relative.bin');
  });

  it('rejects client paths without a usable file name, and escaping folders', () => {
    for (const local of ['', '/tmp/', 'C:\\dir\\', '/tmp/..', '/tmp/.', '/tmp/a#b', '/tmp/%2e%2e']) {
      expectInvalid(() => multipartTargetKey('1/r/artifacts', local));
    }
    expectInvalid(() => multipartTargetKey('../other', '/tmp/x.bin'));
  });
});
