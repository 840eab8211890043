import {
  CAPSTAN_API_PREFIX,
  MONITOR_ROUTES,
  type Monitor,
  type MonitorAlertDelivery,
  type MonitorManifest,
  type MonitorRun,
  type MonitorRunSummary,
} from '@capstan/contracts';
import { readJson, type Transport } from '../http/transport.js';

type RouteName = keyof typeof MONITOR_ROUTES;

/**
 * Monitors: a deployment watched on a schedule, every run stored, alerts when a check fails and
 * when it recovers (`/monitoring/monitors`). `apply` creates or replaces, as `capstan apply -f`.
 */
export class MonitorsClient {
  constructor(private readonly transport: Transport) {}

  list(filter: { deployment?: string } = {}): Promise<{ monitors: Monitor[] }> {
    return this.#send('list', {}, undefined, filter.deployment ? `?deployment=${encodeURIComponent(filter.deployment)}` : '');
  }

  create(manifest: MonitorManifest): Promise<{ monitor: Monitor }> {
    return this.#send('create', {}, manifest);
  }

  apply(manifest: MonitorManifest): Promise<{ monitor: Monitor; outcome: 'created' | 'updated' }> {
    return this.#send('replace', { name: manifest.name }, manifest);
  }

  get(name: string): Promise<{ monitor: Monitor }> {
    return this.#send('get', { name });
  }

  delete(name: string): Promise<object> {
    return this.#send('delete', { name });
  }

  /** Runs the monitor now; the run is stored and alerts sent as for a scheduled one. */
  run(name: string): Promise<{ run: MonitorRun }> {
    return this.#send('run', { name }, {});
  }

  /** Newest first; pass the previous page's `next_page_token` to continue. */
  runs(name: string, page: { limit?: number; pageToken?: string } = {}): Promise<{ runs: MonitorRunSummary[]; next_page_token?: string }> {
    const query = new URLSearchParams();
    if (page.limit !== undefined) query.set('limit', String(page.limit));
    if (page.pageToken) query.set('page_token', page.pageToken);
    return this.#send('runs', { name }, undefined, query.size ? `?${query}` : '');
  }

  getRun(name: string, runId: string): Promise<{ run: MonitorRun }> {
    return this.#send('getRun', { name, run_id: runId });
  }

  alerts(name: string): Promise<{ deliveries: MonitorAlertDelivery[] }> {
    return this.#send('alerts', { name });
  }

  #send<T>(route: RouteName, params: Record<string, string>, body?: unknown, query = ''): Promise<T> {
    const { method, path } = MONITOR_ROUTES[route];
    const url = `${CAPSTAN_API_PREFIX}${path.replace(/\{(\w+)\}/g, (_, key: string) => encodeURIComponent(params[key]!))}${query}`;
    return this.transport.send({
      method,
      path: url,
      // Creating a monitor or running one is not safe to repeat; the rest are.
      idempotent: route !== 'create' && route !== 'run',
      ...(body === undefined ? {} : { body: () => ({ data: JSON.stringify(body), contentType: 'application/json' }) }),
      read: (response) => readJson<T>(response, `${method} ${url}`),
    });
  }
}
