import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/**
 * Every file under `dir`, as `/`-separated paths relative to it, sorted for stable uploads.
 * Symlinks to files are included (as `os.walk` does for MLflow); symlinked folders are not entered.
 */
export async function listLocalFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const full = join(entry.parentPath, entry.name);
    const isFile = entry.isFile() || (entry.isSymbolicLink() && (await stat(full).then((s) => s.isFile(), () => false)));
    if (isFile) files.push(relative(dir, full).split(sep).join('/'));
  }
  return files.sort();
}
