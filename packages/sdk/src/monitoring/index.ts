/** Monitoring clients of the SDK. */
import type { Transport } from '../http/transport.js';
import { MonitorsClient } from './monitors.js';
import { PerformanceClient } from './performance.js';

export { MonitorsClient } from './monitors.js';
export { MAX_LABELS_PER_CALL, PerformanceClient, type GroundTruth } from './performance.js';

/** `client.monitoring`: monitors and their runs, and performance from late labels. */
export class MonitoringClient {
  readonly monitors: MonitorsClient;
  readonly performance: PerformanceClient;

  constructor(transport: Transport) {
    this.monitors = new MonitorsClient(transport);
    this.performance = new PerformanceClient(transport);
  }
}
