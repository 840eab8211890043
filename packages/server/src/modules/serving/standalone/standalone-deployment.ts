import type { Deployment } from '@capstan/contracts';
import { folderServable, readFolderModel, type ServingRegistry } from '../../registry/serving.api.js';
import type { DeploymentSource } from '../control/reconciler.js';
import type { ModelProvider, ProvidedVersion } from './model-provider.js';

/**
 * The one deployment of a standalone server, kept in memory: no database, no registry writes.
 * `refresh` asks the provider which version is named now; when it moved, the revision moves and
 * the reconciler hot-swaps to it exactly as it would for a deployment following an alias.
 */
export class StandaloneDeployment implements DeploymentSource {
  readonly #name: string;
  readonly #provider: ModelProvider;
  readonly #now: () => number;
  /** The versions the reconciler may still ask about: the current one and the one it replaces. */
  readonly #versions = new Map<number, ProvidedVersion>();
  #deployment: Deployment | undefined;

  constructor(name: string, provider: ModelProvider, now: () => number = Date.now) {
    this.#name = name;
    this.#provider = provider;
    this.#now = now;
  }

  /** True when the provider names a different version than before (or the first one). */
  async refresh(): Promise<boolean> {
    const next = await this.#provider.current();
    const current = this.#deployment?.traffic.versions[0];
    if (current && Number(current.version) === next.version && current.model_name === next.name) return false;
    for (const v of [...this.#versions.keys()]) if (String(v) !== current?.version) this.#versions.delete(v);
    this.#versions.set(next.version, next);
    const now = this.#now();
    this.#deployment = {
      name: this.#name,
      workspace: 'default',
      description: null,
      spec: { models: [{ uri: this.#provider.description }] },
      traffic: { versions: [{ version: String(next.version), model_name: next.name, weight: 100, uri: this.#provider.description }] },
      canary: null,
      revision: (this.#deployment?.revision ?? 0) + 1,
      created_at: this.#deployment?.created_at ?? now,
      updated_at: now,
      created_by: null,
      updated_by: null,
    };
    return true;
  }

  /** The served version, once `refresh` has run. */
  deployment(): Deployment | undefined {
    return this.#deployment;
  }

  async latestRevision(): Promise<number> {
    return this.#deployment?.revision ?? 0;
  }

  async list(): Promise<Deployment[]> {
    return this.#deployment ? [this.#deployment] : [];
  }

  /** What the reconciler reads a version through: the provider's local folder for it. */
  readonly registry: Pick<ServingRegistry, 'resolve' | 'readModel'> = {
    resolve: async (uri) => {
      const provided = uri.kind === 'version' ? this.#versions.get(uri.version) : undefined;
      if (!provided) throw new Error(`${this.#provider.description} does not provide ${uri.name} version ${uri.kind === 'version' ? uri.version : '?'} any more`);
      return folderServable(await provided.folder(), provided.name, provided.version);
    },
    readModel: readFolderModel,
  };
}
