import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { registerFreshnessMetrics } from './freshness-metrics.js';

const RULES = fileURLToPath(new URL('../../../../../../deploy/prometheus/capstan-features-rules.yaml', import.meta.url));

/** The freshness alerts name only series the server exports, so a renamed gauge cannot leave an alert that never fires. */
describe('deploy/ feature store rules', () => {
  it('are well formed and use exported metrics', async () => {
    const registry = new Registry();
    registerFreshnessMetrics(registry, { views: async () => [], now: Date.now });
    const names = new Set(registry.getMetricsAsArray().map((m) => m.name));
    const rules = parse(await readFile(RULES, 'utf8')) as { groups: { rules: { alert: string; expr: string; annotations: { summary: string } }[] }[] };
    const all = rules.groups.flatMap((g) => g.rules);
    expect(all.map((r) => r.alert)).toEqual(['CapstanFeatureViewStale', 'CapstanFeatureViewVeryStale']);
    for (const rule of all) {
      const used = [...rule.expr.matchAll(/\b(capstan_[a-z_]+)\b/g)].map((m) => m[1]!);
      expect(used.length, rule.alert).toBeGreaterThan(0);
      for (const name of used) expect(names, `${rule.alert} uses ${name}`).toContain(name);
    }
  });

  it('report staleness and a breached SLA, and count a never-written view as breached', async () => {
    const registry = new Registry();
    registerFreshnessMetrics(registry, {
      now: () => 10_000_000,
      views: async () => [
        { project: 'p', view: 'fresh', newestEventTime: 10_000_000 - 30_000, slaSeconds: 60 },
        { project: 'p', view: 'old', newestEventTime: 10_000_000 - 120_000, slaSeconds: 60 },
        { project: 'p', view: 'never', newestEventTime: null, slaSeconds: 60 },
      ],
    });
    const text = await registry.metrics();
    expect(text).toContain('capstan_feature_view_staleness_seconds{project="p",feature_view="fresh"} 30');
    expect(text).toContain('capstan_feature_view_freshness_sla_breached{project="p",feature_view="fresh"} 0');
    expect(text).toContain('capstan_feature_view_freshness_sla_breached{project="p",feature_view="old"} 1');
    expect(text).toContain('capstan_feature_view_freshness_sla_breached{project="p",feature_view="never"} 1');
    expect(text).not.toContain('capstan_feature_view_staleness_seconds{project="p",feature_view="never"}');
  });
});
