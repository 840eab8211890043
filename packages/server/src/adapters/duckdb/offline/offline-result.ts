/**
 * A retrieval result: the spine and each view's matches, held as temporary tables on the result's
 * own connection until released. Features are gathered from the sources when the result is read
 * (see point-in-time-sql.ts), so the sources' files and temporary tables must stay put until then.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { OfflineStoreError, type OfflineCell, type OfflineResult } from '../../../ports/offline-store.js';
import { gatherSql, resultSql, type Spine } from './point-in-time-sql.js';
import { kindOfDtype, kindOfType, readScattered } from './read-columns.js';
import type { ViewSource } from './source-relations.js';
import { quoteIdentifier, quoteString } from './sql.js';

export interface MatchedView {
  source: ViewSource;
  matchTable: string;
}

export class DuckdbOfflineResult implements OfflineResult {
  private released = false;
  /** The tail of the calls made so far: a connection runs one query at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly spine: Spine,
    private readonly views: readonly MatchedView[],
    readonly columnNames: readonly string[],
    private readonly onRelease: (result: DuckdbOfflineResult) => void,
  ) {}

  get rowCount(): number {
    return this.spine.rowCount;
  }

  toColumns(): Promise<Record<string, OfflineCell[]>> {
    return this.serially(() => this.readColumns());
  }

  writeParquet(file: string): Promise<void> {
    return this.serially(async () => {
      this.checkOpen();
      const sql = `COPY (${resultSql(this.spine, this.views)}) TO ${quoteString(file)} (FORMAT parquet)`;
      await this.naming(
        this.views.map((v) => v.source),
        () => this.connection.run(sql),
      );
    });
  }

  release(): Promise<void> {
    return this.serially(async () => {
      if (this.released) return;
      this.released = true;
      try {
        await dropResultTables(this.connection, this.spine.table, this.views);
      } finally {
        this.connection.closeSync();
        this.onRelease(this);
      }
    });
  }

  private serially<T>(call: () => Promise<T>): Promise<T> {
    const result = this.queue.then(call, call);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async readColumns(): Promise<Record<string, OfflineCell[]>> {
    this.checkOpen();
    const { rowCount } = this.spine;
    const out: Record<string, OfflineCell[]> = {};
    const nulls = () => new Array<OfflineCell>(rowCount).fill(null);
    if (this.spine.echo !== undefined) {
      for (const name of this.spine.columns) out[name] = this.spine.echo[name]!.slice();
    } else {
      const from = `SELECT * FROM ${quoteIdentifier(this.spine.table)}`;
      const probe = await this.connection.run(`${from} LIMIT 0`);
      const types = new Map(probe.columnNames().map((name, i) => [name, probe.columnTypes()[i]!]));
      const columns = this.spine.columns.map((name) => ({ name, kind: kindOfType(types.get(name)!) }));
      const targets = columns.map(nulls);
      await readScattered(this.connection, from, columns, targets);
      columns.forEach((c, i) => (out[c.name] = targets[i]!));
    }
    for (const view of this.views) {
      // Rows without a match are never written: they keep their nulls.
      const columns = view.source.features.map((f) => ({ name: f.outputName, kind: kindOfDtype(f.dtype) }));
      const targets = columns.map(nulls);
      await this.naming([view.source], () => readScattered(this.connection, gatherSql(view.matchTable, view.source), columns, targets));
      columns.forEach((c, i) => (out[c.name] = targets[i]!));
    }
    return Object.fromEntries(this.columnNames.map((name) => [name, out[name]!]));
  }

  /** Features are cast as they are read: a value that does not fit is reported with its view and column. */
  private async naming<T>(sources: readonly ViewSource[], read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      for (const source of sources) {
        const named = await source.diagnose(this.connection);
        if (named !== undefined) throw named;
      }
      throw error;
    }
  }

  private checkOpen(): void {
    if (this.released) throw new OfflineStoreError('This offline result has been released.');
  }
}

export async function dropResultTables(connection: DuckDBConnection, spineTable: string | undefined, views: readonly Partial<MatchedView>[]): Promise<void> {
  const tables = [spineTable, ...views.map((v) => v.matchTable)].filter((t) => t !== undefined);
  for (const table of tables) await connection.run(`DROP TABLE IF EXISTS ${quoteIdentifier(table)}`);
  for (const view of views) await view.source?.dispose(connection);
}
