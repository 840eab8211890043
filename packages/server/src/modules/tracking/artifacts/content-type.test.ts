import { describe, expect, it } from 'vitest';
import { attachmentDisposition, guessContentType } from './content-type.js';

describe('guessContentType', () => {
  it.each([
    ['model/MLmodel', 'text/plain'],
    ['MLproject', 'text/plain'],
    ['metrics.json', 'text/plain'],
    ['conf/params.YAML', 'text/plain'],
    ['train.py', 'text/plain'],
    ['plots/loss.png', 'image/png'],
    ['report.html', 'text/html'],
    ['archive.tar.gz', 'application/octet-stream'],
    ['weights.bin', 'application/octet-stream'],
    ['model.onnx', 'application/octet-stream'],
    ['README', 'application/octet-stream'],
    ['.env', 'application/octet-stream'],
    ['trailing.', 'application/octet-stream'],
  ])('%s is %s', (path, type) => {
    expect(guessContentType(path)).toBe(type);
  });
});

describe('attachmentDisposition', () => {
  it('names the file, with an ASCII fallback and the exact UTF-8 name', () => {
    expect(attachmentDisposition('1/r/artifacts/model.bin')).toBe(`attachment; filename="model.bin"; filename*=UTF-8''model.bin`);
    expect(attachmentDisposition('a/résumé "v2".txt')).toBe(
      `attachment; filename="r_sum_ _v2_.txt"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22v2%22.txt`,
    );
  });
});
