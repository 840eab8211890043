import { describe, expect, it } from 'vitest';
import {
  MAX_PART_NUMBER,
  checkPartNumber,
  compareBlobPaths,
  joinBlobKey,
  normalizeBlobKey,
  orderMultipartParts,
  unquoteEtag,
} from './blob-key.js';
import { CapstanError } from './errors.js';

function expectInvalid(run: () => unknown, fragment: string): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(CapstanError);
  const error = caught as CapstanError;
  expect(error.code).toBe('INVALID_PARAMETER_VALUE');
  expect(error.httpStatus).toBe(400);
  expect(error.message).toContain(fragment);
}

describe('normalizeBlobKey', () => {
  it.each([
    ['a/b/c.txt', 'a/b/c.txt'],
    ['', ''],
    ['.', ''],
    ['./', ''],
    ['a//b///c', 'a/b/c'],
    ['a/./b/.', 'a/b'],
    ['./a/b/', 'a/b'],
    ['dir/', 'dir'],
    ['a/..b/c..', 'a/..b/c..'],
    ['%2e%2e/x', '%2e%2e/x'],
    ['a/%2E%2E/b', 'a/%2E%2E/b'],
    ['...', '...'],
    ['model/MLmodel', 'model/MLmodel'],
    ['unicode/ümlaut ✓.bin', 'unicode/ümlaut ✓.bin'],
    ['run:1/metrics', 'run:1/metrics'],
  ])('normalises %j to %j', (input, expected) => {
    expect(normalizeBlobKey(input)).toBe(expected);
  });

  it.each([
    ['/etc/passwd', 'absolute'],
    ['//server/share', 'absolute'],
    ['/', 'absolute'],
    ['..', "'..'"],
    ['../x', "'..'"],
    ['a/../b', "'..'"],
    ['a/b/..', "'..'"],
    ['a/./../../b', "'..'"],
    ['a\\b', 'backslash'],
    ['..\\windows', 'backslash'],
    ['a\0b', 'NUL'],
    ['C:/Windows', 'drive letter'],
    ['c:relative', 'drive letter'],
    ['a:b/c', 'drive letter'],
  ])('rejects %j', (input, reason) => {
    expectInvalid(() => normalizeBlobKey(input), reason);
  });

  it('quotes the offending key in the message', () => {
    expectInvalid(() => normalizeBlobKey('x/../../y'), '"x/../../y"');
  });
});

describe('joinBlobKey', () => {
  it('joins fragments and normalises each', () => {
    expect(joinBlobKey('1', 'abc/', './artifacts', 'model//MLmodel')).toBe('1/abc/artifacts/model/MLmodel');
  });

  it('skips empty fragments so the root joins cleanly', () => {
    expect(joinBlobKey('', 'a', '', 'b')).toBe('a/b');
    expect(joinBlobKey()).toBe('');
    expect(joinBlobKey('', '.')).toBe('');
  });

  it('rejects a fragment that is absolute or climbs', () => {
    expectInvalid(() => joinBlobKey('runs', '/etc/passwd'), 'absolute');
    expectInvalid(() => joinBlobKey('runs/1', '..', 'x'), "'..'");
  });
});

describe('compareBlobPaths', () => {
  it('orders by UTF-8 bytes like S3', () => {
    const paths = ['b', 'a/b', 'a', 'a.txt', 'Z', '\u{1F600}', '\uFF5E'];
    expect([...paths].sort(compareBlobPaths)).toEqual(['Z', 'a', 'a.txt', 'a/b', 'b', '\uFF5E', '\u{1F600}']);
  });
});

describe('checkPartNumber', () => {
  it('accepts 1 to 10000', () => {
    expect(() => checkPartNumber(1)).not.toThrow();
    expect(() => checkPartNumber(MAX_PART_NUMBER)).not.toThrow();
  });

  it.each([0, -1, 10_001, 1.5, Number.NaN])('rejects %s', (partNumber) => {
    expectInvalid(() => checkPartNumber(partNumber), 'part number');
  });
});

describe('orderMultipartParts', () => {
  it('returns a sorted copy without touching the input', () => {
    const parts = [
      { partNumber: 3, etag: 'c' },
      { partNumber: 1, etag: 'a' },
      { partNumber: 2, etag: 'b' },
    ];
    expect(orderMultipartParts(parts).map((part) => part.etag)).toEqual(['a', 'b', 'c']);
    expect(parts.map((part) => part.partNumber)).toEqual([3, 1, 2]);
  });

  it('rejects an empty list, duplicates and bad numbers', () => {
    expectInvalid(() => orderMultipartParts([]), 'at least one part');
    expectInvalid(
      () =>
        orderMultipartParts([
          { partNumber: 2, etag: 'a' },
          { partNumber: 2, etag: 'b' },
        ]),
      'more than once',
    );
    expectInvalid(() => orderMultipartParts([{ partNumber: 0, etag: 'a' }]), 'part number');
  });
});

describe('unquoteEtag', () => {
  it('strips the quotes S3 wraps ETags in', () => {
    expect(unquoteEtag('"0cc175b9c0f1b6a831c399e269772661"')).toBe('0cc175b9c0f1b6a831c399e269772661');
    expect(unquoteEtag('0cc175b9c0f1b6a831c399e269772661')).toBe('0cc175b9c0f1b6a831c399e269772661');
  });
});
