import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from './statement-cache.js';

describe('withStatementCache', () => {
  it('prepares each SQL text once and evicts the least recently used beyond capacity', () => {
    const sqlite = new Database(':memory:');
    const prepared: string[] = [];
    const counting = { prepare: (sql: string) => (prepared.push(sql), sqlite.prepare(sql)), close: () => sqlite.close() };
    const cached = withStatementCache(counting, 2);
    const a = cached.prepare('select 1 as a');
    expect(cached.prepare('select 1 as a')).toBe(a);
    cached.prepare('select 2 as b');
    cached.prepare('select 1 as a'); // a is now the most recent
    cached.prepare('select 3 as c'); // evicts b
    cached.prepare('select 1 as a');
    cached.prepare('select 2 as b');
    expect(prepared).toEqual(['select 1 as a', 'select 2 as b', 'select 3 as c', 'select 2 as b']);
    expect(a.all([])).toEqual([{ a: 1 }]);
    cached.close();
    expect(sqlite.open).toBe(false);
  });
});
