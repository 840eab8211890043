import { describe, expect, it } from 'vitest';
import { lastValuePerKey, pyRepr, requireUniqueKeys, validateLoggedModelName } from './logged-model-validation.js';

describe('logged-model validation', () => {
  it("quotes like Python's repr, which MLflow puts in its messages", () => {
    expect(pyRepr('plain')).toBe("'plain'");
    expect(pyRepr("it's")).toBe('"it\'s"');
    expect(pyRepr('say "hi"')).toBe(`'say "hi"'`);
    expect(pyRepr(`both ' and "`)).toBe(`'both \\' and "'`);
    expect(pyRepr('a\\b\nc')).toBe("'a\\\\b\\nc'");
  });

  it('accepts names MLflow accepts and refuses its forbidden characters', () => {
    expect(validateLoggedModelName('my-model_v2 final')).toBe('my-model_v2 final');
    for (const bad of ['', 'a/b', 'a:b', 'v1.0', '100%', 'say"', "it's"]) {
      expect(() => validateLoggedModelName(bad)).toThrow(/^Invalid model name \(.*\) provided\./);
    }
  });

  it('finds repeated keys and keeps the last value of each key', () => {
    expect(() => requireUniqueKeys('tags', [{ key: 'a', value: '1' }, { key: 'b', value: '2' }])).not.toThrow();
    expect(() => requireUniqueKeys('tags', [{ key: 'a', value: '1' }, { key: 'a', value: '2' }])).toThrow("Logged model tags must have unique keys; repeated: ['a'].");
    expect(
      lastValuePerKey([
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
        { key: 'a', value: '3' },
      ]),
    ).toEqual([
      { key: 'a', value: '3' },
      { key: 'b', value: '2' },
    ]);
  });
});
