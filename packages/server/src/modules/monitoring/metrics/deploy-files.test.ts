import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { registerMonitorMetrics } from './monitor-metrics.js';

const DEPLOY = fileURLToPath(new URL('../../../../../../deploy/', import.meta.url));

/** The metric names a rule or panel expression uses (Capstan's own; `time()` and the like are functions). */
const metricNames = (expr: string) => [...expr.matchAll(/\b(capstan_[a-z_]+)\b/g)].map((m) => m[1]!);

/**
 * The alert rules and the Grafana dashboard in deploy/ name only series the server exports, so a
 * renamed gauge cannot silently leave an alert that never fires.
 */
describe('deploy/ monitoring files', () => {
  const exported = new Registry();
  registerMonitorMetrics(exported, { latestRuns: async () => [] });
  const names = new Set(exported.getMetricsAsArray().map((m) => m.name));

  it('alert rules are well formed and use exported metrics', async () => {
    const rules = parse(await readFile(`${DEPLOY}prometheus/capstan-monitoring-rules.yaml`, 'utf8')) as { groups: { name: string; rules: { alert: string; expr: string; annotations: { summary: string } }[] }[] };
    const all = rules.groups.flatMap((g) => g.rules);
    expect(all.map((r) => r.alert)).toEqual(['CapstanDatasetDrift', 'CapstanMonitorCheckFailing', 'CapstanMonitorCheckError', 'CapstanMonitorStale', 'CapstanMonitorEmptyWindow']);
    for (const rule of all) {
      expect(rule.annotations.summary, rule.alert).toBeTruthy();
      const used = metricNames(rule.expr);
      expect(used.length, rule.alert).toBeGreaterThan(0);
      for (const name of used) expect(names, `${rule.alert} uses ${name}`).toContain(name);
    }
  });

  it('the Grafana dashboard queries exported metrics only', async () => {
    const dashboard = JSON.parse(await readFile(`${DEPLOY}grafana/capstan-monitoring.json`, 'utf8')) as { uid: string; panels: { title: string; targets: { expr: string }[] }[]; templating: { list: { query: { query: string } }[] } };
    expect(dashboard.uid).toBe('capstan-monitoring');
    const exprs = [...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)), ...dashboard.templating.list.map((v) => v.query.query)];
    expect(exprs.length).toBeGreaterThanOrEqual(8);
    for (const expr of exprs) for (const name of metricNames(expr)) expect(names, expr).toContain(name);
  });
});
