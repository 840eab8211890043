import { readFileSync } from 'node:fs';
import { ERROR_STATUS } from '@capstan/contracts';
import { describe, expect, it } from 'vitest';

describe('docs/errors.md', () => {
  const doc = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');
  const documented = new Map(
    [...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1]!, Number(m[2])] as const),
  );

  it('lists every error code with its HTTP status, and nothing else', () => {
    expect(Object.fromEntries(documented)).toEqual({ ...ERROR_STATUS });
  });
});
