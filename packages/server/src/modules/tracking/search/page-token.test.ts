import { describe, expect, it } from 'vitest';
import { decodePageToken, encodePageToken } from './page-token.js';

describe('page tokens', () => {
  it('encodes the offset as MLflow does, byte for byte', () => {
    const token = encodePageToken(100);
    expect(Buffer.from(token, 'base64').toString()).toBe('{"offset": 100}');
    expect(token).toBe('eyJvZmZzZXQiOiAxMDB9');
    expect(decodePageToken(token)).toBe(100);
  });

  it('reads no token as offset 0', () => {
    expect(decodePageToken(undefined)).toBe(0);
    expect(decodePageToken('')).toBe(0);
  });

  it('accepts URL-safe base64 and missing padding', () => {
    const json = Buffer.from('{"offset": 7}');
    expect(decodePageToken(json.toString('base64url'))).toBe(7);
    expect(decodePageToken(json.toString('base64').replace(/=+$/, ''))).toBe(7);
  });

  it.each([
    ['not base64 at all!', 'Invalid page token'],
    [Buffer.from('not json').toString('base64'), 'Invalid page token'],
    [Buffer.from('[1]').toString('base64'), 'Invalid page token'],
    [Buffer.from('{"offset": -1}').toString('base64'), 'Invalid page token'],
    [Buffer.from('{"offset": 1.5}').toString('base64'), 'Invalid page token'],
    [Buffer.from('{"offset": "10"}').toString('base64'), 'Invalid page token'],
    [Buffer.from('{}').toString('base64'), 'Invalid page token'],
  ])('rejects %s', (token, fragment) => {
    expect(() => decodePageToken(token)).toThrow(fragment);
  });

  it('binds a token to the request it continues', () => {
    const context = { experiment_ids: ['1'], filter_string: null, order_by: [{ field_name: 'name', ascending: true }] };
    const token = encodePageToken(5, context);
    expect(JSON.parse(Buffer.from(token, 'base64').toString())).toEqual({ ...context, offset: 5 });
    expect(decodePageToken(token, { ...context, order_by: [{ ascending: true, field_name: 'name' }] })).toBe(5);
    expect(() => decodePageToken(token, { ...context, filter_string: "name = 'x'" })).toThrow('Invalid page token: its filter_string does not match');
    expect(() => decodePageToken(token, { ...context, experiment_ids: ['2'] })).toThrow('Invalid page token');
  });
});
