import { rename, rm, writeFile } from 'node:fs/promises';

/** Writes through a temporary sibling, so a half-written file never sits under the final name. */
export async function writeFileAtomically(file: string, text: string): Promise<void> {
  const partial = `${file}.${process.pid}.partial`;
  try {
    await writeFile(partial, text);
    await rename(partial, file);
  } finally {
    await rm(partial, { force: true });
  }
}
