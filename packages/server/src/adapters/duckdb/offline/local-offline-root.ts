/** An offline root on the local disk: files are read where they are. */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { OfflineStoreError } from '../../../ports/offline-store.js';
import { compareNames, isDataFile, relativeSourcePath, type OfflineFileFormat, type OfflineRoot } from './offline-root.js';

export class LocalOfflineRoot implements OfflineRoot {
  constructor(private readonly dir: string) {}

  async files(path: string, format: OfflineFileFormat): Promise<string[]> {
    const absolute = join(this.dir, relativeSourcePath(path));
    const info = await stat(absolute).catch(() => undefined);
    if (info === undefined) throw new OfflineStoreError(`${format} source ${path}: no such file or folder under the offline root`);
    if (info.isFile()) return [absolute];
    return (await this.namesIn(absolute, format)).map((name) => join(absolute, name));
  }

  async folderNames(path: string, format: OfflineFileFormat): Promise<string[]> {
    const absolute = join(this.dir, relativeSourcePath(path));
    const info = await stat(absolute).catch(() => undefined);
    if (info === undefined) return [];
    if (!info.isDirectory()) throw new OfflineStoreError(`${format} source ${path} is a file; rows can only be appended to a folder source`);
    return this.namesIn(absolute, format);
  }

  async publish(folder: string, name: string, write: (localFile: string) => Promise<void>): Promise<void> {
    const target = join(this.dir, relativeSourcePath(folder));
    await mkdir(target, { recursive: true });
    // A hidden name in the same folder: readers skip it, and rename() within one file system is atomic.
    const temporary = join(target, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await write(temporary);
      await rename(temporary, join(target, name));
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async close(): Promise<void> {}

  private async namesIn(folder: string, format: OfflineFileFormat): Promise<string[]> {
    const entries = await readdir(folder, { withFileTypes: true });
    return entries
      .filter((e) => e.isFile() && isDataFile(e.name, format))
      .map((e) => e.name)
      .sort(compareNames);
  }
}
