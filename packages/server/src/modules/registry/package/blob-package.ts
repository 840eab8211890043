import type { Readable } from 'node:stream';
import { invalidParameter } from '../../../core/errors.js';
import type { BlobStore } from '../../../ports/blob-store.js';
import type { PackageFiles } from './inspect-package.js';

/** Model files larger than this are not read for checks (the runtime would hold them in memory twice). */
const MAX_FILE_BYTES = 2 * 1024 ** 3;

/** A model package stored in the artifact store under `root` (a folder key). */
export function blobPackage(blobs: BlobStore, root: string): PackageFiles {
  const key = (path: string) => (root ? `${root}/${path}` : path);
  return {
    async list() {
      const out: string[] = [];
      const walk = async (prefix: string): Promise<void> => {
        for (const entry of await blobs.list(prefix)) {
          if (entry.isDir) await walk(entry.path);
          else out.push(root ? entry.path.slice(root.length + 1) : entry.path);
        }
      };
      await walk(root);
      return out.sort();
    },
    async read(path) {
      const stat = await blobs.stat(key(path));
      if (stat === undefined) return undefined;
      if (stat.size > MAX_FILE_BYTES) throw invalidParameter(`${path} is ${stat.size} bytes; model files over ${MAX_FILE_BYTES} bytes cannot be checked`);
      return readAll(await blobs.get(key(path)));
    },
  };
}

async function readAll(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
