import { invalidParameter } from '../../../core/errors.js';
import type { BlobStore } from '../../../ports/blob-store.js';
import { blobKeyForArtifactUri } from '../artifacts/artifact-uri.js';

/**
 * Reads a whole artifact this server's artifact proxy holds, by its artifact URI, for modules that
 * need a logged file's bytes (a monitor's training dataset). Undefined when the URI is not proxied
 * or no such file exists; a file beyond `maxBytes` is refused rather than buffered.
 */
export function artifactReader(blobs: BlobStore, maxBytes: number): (uri: string) => Promise<Buffer | undefined> {
  return async (uri) => {
    const key = blobKeyForArtifactUri(uri);
    if (key === undefined) return undefined;
    const stat = await blobs.stat(key);
    if (!stat) return undefined;
    if (stat.size > maxBytes) throw invalidParameter(`${uri} is ${stat.size} bytes, more than the ${maxBytes} that may be read whole`);
    const chunks: Buffer[] = [];
    for await (const chunk of await blobs.get(key)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
}
