import { describe, expect, it } from 'vitest';
import { sqliteFileOf } from './open-database.js';

describe('sqliteFileOf', () => {
  it('names the file of a SQLite URI, and nothing for memory or another database', () => {
    expect(sqliteFileOf('sqlite:///capstan.db')).toBe('capstan.db');
    expect(sqliteFileOf('sqlite:////var/lib/capstan/c%20d.db')).toBe('/var/lib/capstan/c d.db');
    expect(sqliteFileOf('sqlite+pysqlite:////tmp/x.db')).toBe('/tmp/x.db');
    expect(sqliteFileOf('sqlite://:memory:')).toBeUndefined();
    expect(sqliteFileOf('postgresql://postgres@127.0.0.1/capstan')).toBeUndefined();
  });
});
