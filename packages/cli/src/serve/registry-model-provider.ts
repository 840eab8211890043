import { join } from 'node:path';
import { parseModelUri, type CapstanClient } from '@capstan/sdk';
import type { ModelProvider, ProvidedVersion } from '@capstan/server/model-server';

/**
 * A `models:/` URI served by a standalone process: resolved through the registry's read API and
 * downloaded through its artifact proxy into `cacheDir/<name>/<version>`. Nothing is written to
 * the registry, so a read-only token is enough.
 */
export function registryModelProvider(client: CapstanClient, uri: string, cacheDir: string): ModelProvider {
  const ref = parseModelUri(uri);
  const downloads = new Map<string, Promise<string>>();
  return {
    description: uri,
    name: ref.name,
    follows: ref.kind !== 'version',
    async current(): Promise<ProvidedVersion> {
      const model = await client.registry.resolveModelUri(uri);
      const key = `${model.name}/${model.version}`;
      return {
        name: model.name,
        version: Number(model.version),
        folder: () => {
          let download = downloads.get(key);
          if (!download) {
            download = client.registry.downloadModel(model, join(cacheDir, model.name, model.version));
            downloads.set(key, download);
            // A failed download is tried again next time rather than remembered.
            download.catch(() => downloads.delete(key));
          }
          return download;
        },
      };
    },
  };
}
