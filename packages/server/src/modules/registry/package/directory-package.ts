import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { PackageFiles } from './inspect-package.js';

/**
 * A model package in a local folder (`capstan serve ./model`, or a version downloaded from a
 * registry). Paths are `/`-separated and relative to the folder; the readers that take paths
 * from a package's own files refuse those that would leave it before asking here.
 */
export function directoryPackage(root: string): PackageFiles {
  return {
    async list() {
      const entries = await readdir(root, { recursive: true, withFileTypes: true });
      return entries
        .filter((e) => e.isFile())
        .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
        .sort();
    },
    async read(path) {
      const file = join(root, ...path.split('/'));
      try {
        if (!(await stat(file)).isFile()) return undefined;
        return await readFile(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
  };
}
