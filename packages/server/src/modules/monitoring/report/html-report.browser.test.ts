import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriftValue } from '../drift/index.js';
import { buildDriftReport, type DriftReport } from './build-report.js';
import { htmlReport } from './html-report.js';

/**
 * The HTML report in a real browser (Debian's Chromium, driven by playwright-core): it opens from a
 * file with no network, logs no error, draws every chart with both series, and shows the figures
 * the report computed. A screenshot goes to test-output/; with CAPSTAN_UPDATE_DOC_IMAGES=1 it also
 * replaces docs/images/drift-report.png.
 */
const ROOT = new URL('../../../../../../', import.meta.url);
const OUTPUT = new URL('test-output/', ROOT);
const EVIL = '<script>alert(1)</script>';

function chromiumPath(): string {
  if (process.env.CAPSTAN_CHROMIUM) return process.env.CAPSTAN_CHROMIUM;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim();
    } catch {
      // try the next name
    }
  }
  throw new Error('Chromium not found: apt-get install -y chromium (what .ci/run does), or set CAPSTAN_CHROMIUM');
}

/**
 * The committed fixture (fixtures/monitoring/report/*.csv, written by
 * scripts/fixtures/make-report-fixtures.mjs), read with a few lines instead of DuckDB, which is the
 * CLI's dependency: DuckDB writes plain comma-separated cells with no quoting here.
 */
async function readFixture(name: string): Promise<Record<string, DriftValue[]>> {
  const text = await readFile(new URL(`fixtures/monitoring/report/${name}`, ROOT), 'utf8');
  const [header, ...lines] = text.trimEnd().split('\n');
  const names = header!.split(',');
  const columns: Record<string, DriftValue[]> = Object.fromEntries(names.map((n) => [n, []]));
  const cell = (raw: string): DriftValue => {
    if (raw === '') return null;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    if (raw === 'nan') return Number.NaN;
    if (raw === 'inf' || raw === '-inf') return raw === 'inf' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    const n = Number(raw);
    return Number.isNaN(n) ? raw : n;
  };
  for (const line of lines) line.split(',').forEach((raw, i) => columns[names[i]!]!.push(cell(raw)));
  return columns;
}

describe('the HTML drift report in Chromium', () => {
  let browser: Browser;
  let report: DriftReport;
  let file: URL;

  beforeAll(async () => {
    const reference = await readFixture('reference.csv');
    const current = await readFixture('current.csv');
    // A column whose name is markup, to see it shown as text by a real parser.
    reference[EVIL] = reference.tenure_months!;
    current[EVIL] = current.tenure_months!;
    report = buildDriftReport(reference, current, {
      generatedAt: new Date('2025-06-02T09:30:00Z'),
      title: 'Churn model: training data vs. week 22',
      columns: ['age', 'income', 'tenure_months', 'monthly spend ($)', 'plan', 'country', 'is_active', 'legacy_code', 'score', 'churned', EVIL],
      columnTypes: { income: 'numerical', 'monthly spend ($)': 'numerical', score: 'numerical' },
    });
    await mkdir(OUTPUT, { recursive: true });
    file = new URL('drift-report.html', OUTPUT);
    await writeFile(file, htmlReport(report));
    browser = await chromium.launch({
      executablePath: chromiumPath(),
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  }, 60_000);
  afterAll(async () => browser?.close());

  it('opens offline with no error, draws both series in every chart and shows the computed figures', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(file.href);
    await page.waitForLoadState('load');

    // The summary shows the report's own figures.
    const r = report.result;
    const summary = (key: string) => page.locator(`[data-summary="${key}"]`).innerText();
    expect(await summary('verdict')).toBe(r.datasetDrift ? 'Dataset drift detected' : 'No dataset drift');
    expect(await summary('drifted-columns')).toBe(String(r.numberOfDriftedColumns));
    expect(await summary('columns')).toBe(String(r.numberOfColumns));
    expect(await summary('share')).toBe(`${Math.round(r.shareOfDriftedColumns * 1000) / 10}%`);
    expect(await summary('reference-rows')).toBe('400');
    expect(await summary('current-rows')).toBe('300');
    expect(await summary('skipped')).toBe('1');
    expect(r.numberOfColumns).toBe(10);
    expect(await page.locator('table.columns tbody tr').count()).toBe(11);

    // The markup-named column is text in the page, and the page holds no script at all.
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('table.columns tbody tr td.name', { hasText: EVIL }).count()).toBe(1);

    // The page as it opens (the first drifted columns expanded): test output, and the docs' picture.
    const top = await page.screenshot({ clip: { x: 0, y: 0, width: 1100, height: 1400 } });
    expect(top.length).toBeGreaterThan(20_000);
    await writeFile(new URL('drift-report.png', OUTPUT), top);
    if (process.env.CAPSTAN_UPDATE_DOC_IMAGES === '1') await copyFile(new URL('drift-report.png', OUTPUT), new URL('docs/images/drift-report.png', ROOT));

    // Open every collapsed column, then every chart must draw both series with a visible area.
    const closed = page.locator('details.column:not([open]) > summary');
    while ((await closed.count()) > 0) await closed.first().click();
    const charts = page.locator('svg.chart');
    expect(await charts.count()).toBe(report.columns.length);
    for (let i = 0; i < report.columns.length; i++) {
      const chart = charts.nth(i);
      expect(await chart.isVisible()).toBe(true);
      for (const series of ['reference', 'current']) {
        const shapes = chart.locator(`g[data-series="${series}"] > *`);
        const boxes = await Promise.all((await shapes.all()).map((s) => s.boundingBox()));
        const drawn = boxes.filter((b) => b !== null && b.width > 0 && b.height > 0);
        expect(drawn.length, `${report.columns[i]!.name}: ${series}`).toBeGreaterThan(0);
      }
      expect(await chart.locator('[data-legend="reference"]').isVisible()).toBe(true);
      expect(await chart.locator('[data-legend="current"]').isVisible()).toBe(true);
    }

    expect(problems).toEqual([]);
    expect(requests).toEqual([file.href]);
    await page.screenshot({ path: fileURLToPath(new URL('drift-report-full.png', OUTPUT)), fullPage: true });
    await page.close();
  });
});
