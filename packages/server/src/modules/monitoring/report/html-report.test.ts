import { describe, expect, it } from 'vitest';
import { buildDriftReport } from './build-report.js';
import { htmlReport } from './html-report.js';
import { escapeHtml, formatNumber, formatPercent } from './html-text.js';

const AT = new Date('2025-03-04T05:06:07.000Z');
const EVIL = '<script>alert(1)</script>';
const steady = Array.from({ length: 50 }, (_, i) => i % 10);
const shifted = Array.from({ length: 50 }, (_, i) => (i % 10) + 6);

/** Elements of the page matching a tag and attribute, counted with a regular expression (no DOM here). */
const count = (html: string, pattern: RegExp) => html.match(new RegExp(pattern.source, 'g'))?.length ?? 0;

describe('the HTML report', () => {
  const reference = { steady: steady.map((x) => x + 0.5), moved: steady.map((x) => x + 0.25), [EVIL]: steady.map((i) => ['a', 'b', '<b>c</b>'][i % 3]!), hollow: steady.map(() => null) };
  const current = { steady: steady.map((x) => x + 0.5), moved: shifted.map((x) => x + 0.25), [EVIL]: steady.map(() => '<b>c</b>'), hollow: steady };
  const report = buildDriftReport(reference, current, { generatedAt: AT, title: `Fraud & friends ${EVIL}` });
  const html = htmlReport(report);

  it('escapes every user string: a column, a category and a title named <script> stay text', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<title>Fraud &amp; friends &lt;script&gt;alert(1)&lt;/script&gt;</title>');
    // The category '<b>c</b>' is drawn as a label, never as markup.
    expect(html).not.toContain('<b>c</b>');
    expect(html).toContain('&lt;b&gt;c&lt;/b&gt;');
    expect(escapeHtml(`"'&<>`)).toBe('&quot;&#39;&amp;&lt;&gt;');
  });

  it('is self-contained: no script, no external resource, and a policy that forbids loading any', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/\s(src|href)="(https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b|@import|url\(/i);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
  });

  it('states the verdict, the figures and the time it was given', () => {
    const r = report.result;
    expect(r).toMatchObject({ numberOfColumns: 3, numberOfDriftedColumns: 2, datasetDrift: true });
    expect(html).toContain('<p class="verdict" data-summary="verdict">Dataset drift detected</p>');
    expect(html).toContain('<dd data-summary="drifted-columns">2</dd>');
    expect(html).toContain('<dd data-summary="columns">3</dd>');
    expect(html).toContain(`<dd data-summary="share">${formatPercent(2 / 3)}</dd>`);
    expect(formatPercent(2 / 3)).toBe('66.7%');
    expect(html).toContain('<dd data-summary="reference-rows">50</dd>');
    expect(html).toContain('<dd data-summary="skipped">1</dd>');
    expect(html).toContain('<time datetime="2025-03-04T05:06:07.000Z">2025-03-04 05:06:07 UTC</time>');
  });

  it('lists drifted columns first in the table, then the rest, then skipped columns with the reason', () => {
    const rows = [...html.matchAll(/<tr data-column="([^"]*)"/g)].map((m) => m[1]);
    expect(rows).toEqual(['moved', escapeHtml(EVIL), 'steady', 'hollow']);
    expect(html).toContain("An empty column &#39;hollow&#39; was provided for drift calculation in the reference dataset.");
    const moved = report.columns.find((c) => c.name === 'moved')!.drift;
    expect(html).toContain(`<td>${moved.stattestDisplayName}</td><td class="num">${formatNumber(moved.threshold)}</td><td class="num">${formatNumber(moved.score)}</td><td><span class="badge drift">Drift detected</span></td>`);
  });

  it('draws one chart per tested column, each with a reference and a current series, a legend and axis titles', () => {
    expect(count(html, /<svg class="chart"/)).toBe(3);
    expect(count(html, /<g class="series" data-series="reference"/)).toBe(3);
    expect(count(html, /<g class="series" data-series="current"/)).toBe(3);
    expect(count(html, /data-legend="reference"/)).toBe(3);
    expect(count(html, /share of values<\/text>/)).toBe(3);
    // One <details> per tested column; drifted ones start open.
    expect(count(html, /<details class="column"/)).toBe(3);
    expect(html).toMatch(/<details class="column" id="column-1" data-column="moved" data-drifted="true" open>/);
    expect(html).toMatch(/<details class="column" id="column-3" data-column="steady" data-drifted="false">/);
  });

  it('stays readable with 200 columns: every one in the table, only the first drifted charts open', () => {
    const wide = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`f${i}`, steady.map((x) => x + 0.5)]));
    const wideCurrent = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`f${i}`, (i % 2 ? shifted : steady).map((x) => x + 0.5)]));
    const page = htmlReport(buildDriftReport(wide, wideCurrent, { generatedAt: AT }));
    expect(count(page, /<tr data-column=/)).toBe(200);
    expect(count(page, /<svg class="chart"/)).toBe(200);
    expect(count(page, /<details class="column"[^>]* open>/)).toBe(10);
    const rows = [...page.matchAll(/<tr data-column="([^"]*)" data-drifted="(true|false)"/g)].map((m) => m[2]);
    expect(rows.slice(0, 100).every((d) => d === 'true')).toBe(true);
    expect(rows.slice(100).every((d) => d === 'false')).toBe(true);
    // A few hundred kilobytes, not megabytes.
    expect(page.length).toBeLessThan(1_500_000);
  });
});

describe('numbers in the report', () => {
  it('keeps four significant digits, switches to exponents for p-values near zero and spells non-finite values', () => {
    expect(formatNumber(0.123456)).toBe('0.1235');
    expect(formatNumber(1.5e-12)).toBe('1.5e-12');
    expect(formatNumber(12345.678)).toBe('12350');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(Number.NaN)).toBe('NaN');
    expect(formatNumber(Number.NEGATIVE_INFINITY)).toBe('-Infinity');
  });
});
