import { Gauge, type Registry } from 'prom-client';
import { sharedRefresh } from '../../../core/shared-refresh.js';

export interface ViewFreshness {
  project: string;
  view: string;
  /** Epoch ms of the newest event time online; null before any write. */
  newestEventTime: number | null;
  slaSeconds: number | undefined;
}

/**
 * Freshness of every online view, read from the database when scraped so every replica reports the
 * same figures: the age of the newest data online, the view's SLA, and whether it is breached
 * (deploy/prometheus/capstan-features-rules.yaml alerts on the last).
 */
export function registerFreshnessMetrics(registry: Registry, source: { views(): Promise<ViewFreshness[]>; now(): number }): void {
  const labelNames = ['project', 'feature_view'];
  // The gauges share one read of the database per scrape.
  const collect = sharedRefresh(() => refresh());
  const staleness = new Gauge({
    name: 'capstan_feature_view_staleness_seconds',
    help: 'Age of the newest event time the online store holds for the view (absent before its first write).',
    labelNames,
    registers: [registry],
    collect,
  });
  const sla = new Gauge({
    name: 'capstan_feature_view_freshness_sla_seconds',
    help: "The view's freshness SLA.",
    labelNames,
    registers: [registry],
    collect,
  });
  const breached = new Gauge({
    name: 'capstan_feature_view_freshness_sla_breached',
    help: 'Whether the view is older than its SLA (1), or not (0); a view never written counts as breached.',
    labelNames,
    registers: [registry],
    collect,
  });
  async function refresh(): Promise<void> {
    for (const g of [staleness, sla, breached]) g.reset();
    const now = source.now();
    for (const v of await source.views()) {
      const labels = { project: v.project, feature_view: v.view };
      const age = v.newestEventTime === null ? undefined : Math.max(0, (now - v.newestEventTime) / 1000);
      if (age !== undefined) staleness.set(labels, age);
      if (v.slaSeconds !== undefined) {
        sla.set(labels, v.slaSeconds);
        breached.set(labels, age === undefined || age > v.slaSeconds ? 1 : 0);
      }
    }
  }
}
