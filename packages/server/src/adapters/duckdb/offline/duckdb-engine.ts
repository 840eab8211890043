/**
 * The store's one DuckDB instance (in memory, spilling to a private temp folder), handing out a
 * connection per operation: temporary tables live in their connection, so a result keeps its
 * connection until it is released.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export interface EngineOptions {
  /** DuckDB's memory_limit, e.g. '2GB'; beyond it joins and sorts spill to disk. */
  memoryLimit: string;
  /** Worker threads; default: one per core. */
  threads?: number;
}

export class DuckdbEngine {
  private tables = 0;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly spillDir: string,
  ) {}

  static async open(options: EngineOptions): Promise<DuckdbEngine> {
    const spillDir = await mkdtemp(join(tmpdir(), 'capstan-offline-spill-'));
    const settings: Record<string, string> = {
      memory_limit: options.memoryLimit,
      temp_directory: spillDir,
      // Results are read back without ORDER BY in the order they were written (entity row order).
      preserve_insertion_order: 'true',
      // Never fetch extensions from the network behind a server's back.
      autoinstall_known_extensions: 'false',
    };
    if (options.threads !== undefined) settings.threads = String(options.threads);
    try {
      const instance = await DuckDBInstance.create(':memory:', settings);
      const engine = new DuckdbEngine(instance, spillDir);
      await engine.pinUtc();
      return engine;
    } catch (error) {
      await rm(spillDir, { recursive: true, force: true });
      throw error;
    }
  }

  connect(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  /** A fresh name for a temporary table. */
  tableName(purpose: string): string {
    this.tables += 1;
    return `__capstan_${purpose}_${this.tables}`;
  }

  async close(): Promise<void> {
    this.instance.closeSync();
    await rm(this.spillDir, { recursive: true, force: true });
  }

  /**
   * Times are UTC epoch milliseconds. Without the ICU extension (not bundled) DuckDB already
   * converts TIMESTAMPTZ in UTC; if ICU is present, its time zone defaults to the machine's,
   * so pin it.
   */
  private async pinUtc(): Promise<void> {
    const connection = await this.connect();
    try {
      await connection.run("SET TimeZone = 'UTC'");
    } catch {
      // No ICU: UTC is the only behaviour.
    } finally {
      connection.closeSync();
    }
  }
}
