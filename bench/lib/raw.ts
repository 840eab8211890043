import Database from 'better-sqlite3';
import { openPgPool, type BenchStore } from './store.js';

/** The raw driver on a benchmark's database, for baselines and sanity checks. */
export interface RawDb {
  /** Runs a query written with `?` placeholders. */
  all<T>(text: string, params?: readonly unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export function openRaw(store: BenchStore): RawDb {
  if (store.sqlitePath) {
    const db = new Database(store.sqlitePath);
    db.pragma('busy_timeout = 30000');
    return {
      all: async <T>(text: string, params: readonly unknown[] = []) => {
        const stmt = db.prepare(text);
        if (stmt.reader) return stmt.all(...params) as T[];
        stmt.run(...params);
        return [];
      },
      close: async () => {
        db.close();
      },
    };
  }
  const pool = openPgPool(store.postgresUrl!, 1);
  return {
    async all<T>(text: string, params: readonly unknown[] = []) {
      let n = 0;
      const res = await pool.query(text.replace(/\?/g, () => `$${++n}`), [...params]);
      return res.rows as T[];
    },
    close: () => pool.end(),
  };
}
