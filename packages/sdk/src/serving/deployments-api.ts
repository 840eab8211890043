import {
  CAPSTAN_API_PREFIX,
  type CanarySpec,
  type Deployment,
  type DeploymentManifest,
  type DeploymentStatus,
} from '@capstan/contracts';
import { readJson, type Transport } from '../http/transport.js';

export type CanaryCommand = 'pause' | 'resume' | 'abort' | 'promote';

/**
 * Capstan's deployments API: create, apply (create or replace, as `capstan apply -f`), inspect,
 * move traffic, roll back and drive canaries.
 */
export class DeploymentsClient {
  constructor(private readonly transport: Transport) {}

  list(): Promise<{ deployments: Deployment[] }> {
    return this.#send('GET', '/deployments', undefined, true);
  }

  create(manifest: DeploymentManifest): Promise<{ deployment: Deployment }> {
    return this.#send('POST', '/deployments', manifest, false);
  }

  /** Creates the deployment or replaces its spec; an identical manifest changes nothing (`outcome: unchanged`). */
  apply(manifest: DeploymentManifest): Promise<{ deployment: Deployment; outcome: 'created' | 'updated' | 'unchanged' }> {
    return this.#send('PUT', `/deployments/${encodeURIComponent(manifest.name)}`, manifest, true);
  }

  get(name: string): Promise<{ deployment: Deployment }> {
    return this.#send('GET', `/deployments/${encodeURIComponent(name)}`, undefined, true);
  }

  status(name: string): Promise<{ status: DeploymentStatus }> {
    return this.#send('GET', `/deployments/${encodeURIComponent(name)}/status`, undefined, true);
  }

  delete(name: string): Promise<object> {
    return this.#send('DELETE', `/deployments/${encodeURIComponent(name)}`, undefined, true);
  }

  /** New weights by version, e.g. `{ '3': 0, '4': 100 }` (blue-green). */
  setTraffic(name: string, weights: Record<string, number>): Promise<{ deployment: Deployment }> {
    return this.#send('POST', `/deployments/${encodeURIComponent(name)}/traffic`, { weights }, false);
  }

  rollback(name: string): Promise<{ deployment: Deployment }> {
    return this.#send('POST', `/deployments/${encodeURIComponent(name)}/rollback`, {}, false);
  }

  startCanary(name: string, canary: CanarySpec): Promise<{ deployment: Deployment }> {
    return this.#send('POST', `/deployments/${encodeURIComponent(name)}/canary`, canary, false);
  }

  canary(name: string, command: CanaryCommand): Promise<{ deployment: Deployment }> {
    return this.#send('POST', `/deployments/${encodeURIComponent(name)}/canary/${command}`, {}, false);
  }

  /**
   * Polls the status until every version is ready (or one failed to load, which rejects with its
   * error), for `capstan deploy --wait`.
   */
  async waitUntilReady(name: string, options: { timeoutMs?: number; intervalMs?: number } = {}): Promise<DeploymentStatus> {
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    for (;;) {
      const { status } = await this.status(name);
      const failed = status.versions.find((v) => v.state === 'failed');
      if (failed) throw new Error(`version ${failed.version} of deployment '${name}' failed to load: ${failed.error ?? 'unknown error'}`);
      if (status.ready && status.versions.every((v) => v.state === 'ready')) return status;
      if (Date.now() > deadline) throw new Error(`deployment '${name}' was not ready within ${options.timeoutMs ?? 120_000} ms`);
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250));
    }
  }

  #send<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body: unknown, idempotent: boolean): Promise<T> {
    const url = `${CAPSTAN_API_PREFIX}${path}`;
    return this.transport.send({
      method,
      path: url,
      idempotent,
      ...(body === undefined ? {} : { body: () => ({ data: JSON.stringify(body), contentType: 'application/json' }) }),
      read: (response) => readJson<T>(response, `${method} ${url}`),
    });
  }
}
