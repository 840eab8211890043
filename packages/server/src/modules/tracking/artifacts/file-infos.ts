import type { FileInfo } from '@capstan/contracts';
import type { BlobEntry } from '../../../ports/blob-store.js';

/**
 * Blob entries as MLflow lists artifacts: `file_size` only for files, and the `files` field
 * omitted altogether when there are none (proto-JSON drops empty repeated fields, and clients
 * read a missing `files` as an empty folder). `pathOf` says what each path is relative to.
 */
export function toFileInfos(entries: readonly BlobEntry[], pathOf: (entry: BlobEntry) => string): { files?: FileInfo[] } {
  const files = entries.map(
    (entry): FileInfo => ({
      path: pathOf(entry),
      is_dir: entry.isDir,
      ...(entry.isDir ? {} : { file_size: entry.size ?? 0 }),
    }),
  );
  return files.length > 0 ? { files } : {};
}
