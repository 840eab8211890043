import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { directoryPackage } from '../directory-package.js';
import type { PackageFiles } from '../inspect-package.js';

/** fixtures/models/ at the repository root (made by scripts/fixtures/make-onnx-models.py). */
export const FIXTURES = fileURLToPath(new URL('../../../../../../../fixtures/models/', import.meta.url));

export const fixturePath = (...parts: string[]): string => join(FIXTURES, ...parts);

export const readFixture = (...parts: string[]): Promise<Uint8Array> => readFile(fixturePath(...parts));

export const readFixtureText = (...parts: string[]): Promise<string> => readFile(fixturePath(...parts), 'utf8');

/** A model package backed by a folder on disk. */
export const folderPackage = (root: string): PackageFiles => directoryPackage(root);

/** A model package held in memory: path -> bytes or text. */
export function memoryPackage(files: Record<string, Uint8Array | string>): PackageFiles {
  return {
    list: async () => Object.keys(files).sort(),
    read: async (path) => {
      const f = files[path];
      return typeof f === 'string' ? new TextEncoder().encode(f) : f;
    },
  };
}

/** The files of a fixture package, in memory, to alter in a test. */
export async function fixtureFiles(name: string): Promise<Record<string, Uint8Array | string>> {
  const pkg = folderPackage(fixturePath(name));
  const out: Record<string, Uint8Array | string> = {};
  for (const path of await pkg.list()) out[path] = (await pkg.read(path)) as Uint8Array;
  return out;
}
