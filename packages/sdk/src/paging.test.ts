import { describe, expect, it } from 'vitest';
import { paginate } from './paging.js';

const collect = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

describe('paginate', () => {
  it('follows tokens until an empty or missing one', async () => {
    const pages: Record<string, { items?: number[]; next_page_token?: string }> = {
      start: { items: [1, 2], next_page_token: 'b' },
      b: { next_page_token: 'c' },
      c: { items: [3], next_page_token: '' },
    };
    const seen: Array<string | undefined> = [];
    const items = await collect(
      paginate(async (token) => {
        seen.push(token);
        return pages[token ?? 'start']!;
      }, (p) => p.items),
    );
    expect(items).toEqual([1, 2, 3]);
    expect(seen).toEqual([undefined, 'b', 'c']);
  });

  it('stops fetching when the caller stops iterating', async () => {
    let fetches = 0;
    for await (const item of paginate(async () => ({ items: [fetches++], next_page_token: `t${fetches}` }), (p) => p.items)) {
      if (item === 2) break;
    }
    expect(fetches).toBe(3);
  });

  it('reports a token that does not advance', async () => {
    await expect(collect(paginate(async () => ({ items: [1], next_page_token: 'same' }), (p) => p.items))).rejects.toThrow(/same page token/);
  });
});
