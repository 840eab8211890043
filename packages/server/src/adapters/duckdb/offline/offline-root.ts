/**
 * The offline root: where `files` sources live, a local folder or `s3://bucket/prefix`. DuckDB
 * reads local files only, so an S3 root is mirrored into a local cache on demand; either way the
 * engine sees local paths. Source paths are relative to the root and never leave it.
 * Implementations: local-offline-root.ts, s3-offline-root.ts; open-offline-root.ts picks one.
 */
import { OfflineStoreError } from '../../../ports/offline-store.js';

export type OfflineFileFormat = 'parquet' | 'csv';

export interface OfflineRoot {
  /**
   * The local files a source path names: the file itself, or every file of the format directly in
   * the folder (not recursive: sub-folders are ignored), in path order.
   */
  files(path: string, format: OfflineFileFormat): Promise<string[]>;
  /** Names of the format's files directly in a folder, sorted; [] when it does not exist yet. Refuses a file. */
  folderNames(path: string, format: OfflineFileFormat): Promise<string[]>;
  /**
   * Adds the file `name` to a folder (created when missing): `write` fills a local temporary file,
   * which then appears under its name whole, so a concurrent reader never sees half of it.
   */
  publish(folder: string, name: string, write: (localFile: string) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

/**
 * A source path checked and normalised to `a/b/c` ('' for the root itself). Absolute paths and
 * `..` segments are refused rather than resolved: a feature definition must not read files the
 * offline root does not hold.
 */
export function relativeSourcePath(path: string): string {
  const refuse = (reason: string): never => {
    throw new OfflineStoreError(`Source path ${JSON.stringify(path)} ${reason}; paths are relative to the offline root.`);
  };
  if (path.includes('\0')) refuse('contains a NUL byte');
  if (path.includes('\\')) refuse('contains a backslash');
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) refuse('is absolute');
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) refuse("leaves the offline root with '..'");
  return segments.join('/');
}

const EXTENSIONS: Record<OfflineFileFormat, string> = { parquet: '.parquet', csv: '.csv' };

/**
 * Whether a folder entry is a data file of the format. Names starting with '.' or '_' are skipped:
 * they are files being written (our own appends use '.<name>.tmp') or markers like Spark's _SUCCESS.
 */
export function isDataFile(name: string, format: OfflineFileFormat): boolean {
  return !name.startsWith('.') && !name.startsWith('_') && name.toLowerCase().endsWith(EXTENSIONS[format]);
}

/** Byte order, which is S3's key order, so a folder reads the same from disk and from a bucket. */
export const compareNames = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));
