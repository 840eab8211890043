/**
 * The report as one self-contained HTML file: inline CSS and SVG, no script, no font or style
 * sheet to fetch, so it opens offline, from a mail attachment or a CI artifact, years later. Its
 * own Content-Security-Policy forbids loading or running anything, should escaping ever miss.
 *
 * Layout for a table of 200 columns: the verdict and figures first, then one table row per column
 * (drifted columns first, each linking to its chart), then one collapsible <details> per column
 * with its chart, test, score and verdict. The first drifted columns start open; the rest open on a
 * click, so the page stays short without hiding anything.
 */
import type { DriftReport, TestedColumn } from './build-report.js';
import { otherBucketLabel, type Category } from './distributions.js';
import { escapeHtml, formatCount, formatNumber, formatPercent } from './html-text.js';
import { categoricalChart, numericalChart, SERIES_COLOURS } from './svg-chart.js';

/** Drifted columns whose charts start open. */
const OPEN_CHARTS = 10;

const STYLE = `
:root { color-scheme: light; --drift: #c0392b; --ok: #2e7d32; --muted: #5f6b7a; --line: #dde3ea; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1040px; padding: 24px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1d2733; background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; word-break: break-word; }
h2 { font-size: 18px; margin: 32px 0 8px; }
.meta { color: var(--muted); margin: 0; }
.summary { margin-top: 20px; padding: 16px 20px; border-radius: 8px; border: 1px solid var(--line); border-left: 6px solid var(--ok); }
.summary.drifted { border-left-color: var(--drift); }
.verdict { font-size: 20px; font-weight: 600; margin: 0 0 12px; }
.drifted .verdict { color: var(--drift); }
.summary dl { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 12px; margin: 0; }
.summary dt { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.summary dd { margin: 0; font-size: 20px; font-weight: 600; }
.explain { margin: 12px 0 0; color: var(--muted); }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
td.num { font-variant-numeric: tabular-nums; }
td.name { word-break: break-word; }
a { color: #1f5f99; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; background: var(--ok); white-space: nowrap; }
.badge.drift { background: var(--drift); }
.badge.skipped { background: var(--muted); }
details.column { border: 1px solid var(--line); border-radius: 8px; margin: 8px 0; }
details.column > summary { cursor: pointer; padding: 8px 12px; display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; }
details.column > summary .name { font-weight: 600; word-break: break-word; }
details.column > summary .test { color: var(--muted); }
.column-body { padding: 0 12px 12px; display: flex; gap: 16px; flex-wrap: wrap; align-items: flex-start; }
.column-body dl { margin: 0; display: grid; grid-template-columns: auto auto; gap: 2px 12px; align-content: start; }
.column-body dt { color: var(--muted); }
.column-body dd { margin: 0; }
svg.chart { max-width: 100%; height: auto; font: 11px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
svg.chart .grid { stroke: #eef1f5; }
svg.chart .axis { stroke: #8a96a3; }
svg.chart .tick { fill: #4a5663; }
svg.chart .axis-title { fill: #1d2733; font-size: 12px; }
svg.chart .legend text { fill: #1d2733; font-size: 12px; }
.warning { color: #8a5a00; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
`;

/** Drifted columns first, then the rest, each group in test order. */
function ordered(columns: readonly TestedColumn[]): TestedColumn[] {
  return [...columns.filter((c) => c.drift.drifted), ...columns.filter((c) => !c.drift.drifted)];
}

function badge(drifted: boolean): string {
  return drifted ? '<span class="badge drift">Drift detected</span>' : '<span class="badge">No drift</span>';
}

function categoryLabel(value: Category): string {
  return typeof value === 'string' ? value : String(value);
}

function chartOf(column: TestedColumn): string {
  const d = column.distribution;
  if (d.kind === 'numerical') return numericalChart(column.name, d);
  const labels = d.categories.map(categoryLabel);
  if (d.otherCategories > 0) labels.push(otherBucketLabel(d.otherCategories));
  return categoricalChart(column.name, d, labels);
}

function summary(report: DriftReport): string {
  const r = report.result;
  const figure = (key: string, label: string, value: string) => `<div><dt>${label}</dt><dd data-summary="${key}">${value}</dd></div>`;
  return `<section class="summary${r.datasetDrift ? ' drifted' : ''}" data-dataset-drift="${r.datasetDrift}">
<p class="verdict" data-summary="verdict">${r.datasetDrift ? 'Dataset drift detected' : 'No dataset drift'}</p>
<dl>
${figure('drifted-columns', 'Drifted columns', formatCount(r.numberOfDriftedColumns))}
${figure('columns', 'Columns tested', formatCount(r.numberOfColumns))}
${figure('share', 'Share drifted', formatPercent(r.shareOfDriftedColumns))}
${figure('drift-share', 'Dataset drifts at', `≥ ${formatPercent(r.driftShare)}`)}
${figure('reference-rows', 'Reference rows', formatCount(report.referenceRows))}
${figure('current-rows', 'Current rows', formatCount(report.currentRows))}
${report.skipped.length ? figure('skipped', 'Columns skipped', formatCount(report.skipped.length)) : ''}
</dl>
<p class="explain">Drift is detected for ${formatPercent(r.shareOfDriftedColumns)} of columns (${formatCount(r.numberOfDriftedColumns)} out of ${formatCount(r.numberOfColumns)}). The dataset counts as drifted when at least ${formatPercent(r.driftShare)} of its columns drift.</p>
</section>`;
}

function table(columns: readonly TestedColumn[], ids: Map<TestedColumn, string>, report: DriftReport): string {
  const rows = columns.map((column) => {
    const d = column.drift;
    return `<tr data-column="${escapeHtml(column.name)}" data-drifted="${d.drifted}"><td class="name"><a href="#${ids.get(column)}">${escapeHtml(column.name)}</a></td><td>${d.columnType}</td><td>${escapeHtml(d.stattestDisplayName)}</td><td class="num">${formatNumber(d.threshold)}</td><td class="num">${formatNumber(d.score)}</td><td>${badge(d.drifted)}</td></tr>`;
  });
  const skipped = report.skipped.map(
    (s) => `<tr data-column="${escapeHtml(s.name)}" data-skipped="true"><td class="name">${escapeHtml(s.name)}</td><td colspan="4">${escapeHtml(s.reason)}</td><td><span class="badge skipped">Skipped</span></td></tr>`,
  );
  return `<table class="columns"><thead><tr><th>Column</th><th>Type</th><th>Test</th><th>Threshold</th><th>Score</th><th>Verdict</th></tr></thead><tbody>
${[...rows, ...skipped].join('\n')}
</tbody></table>`;
}

function sideLine(total: number, dropped: number): string {
  return `${formatCount(total)} values${dropped ? `, ${formatCount(dropped)} missing or non-finite left out` : ''}`;
}

function columnDetails(column: TestedColumn, id: string, open: boolean): string {
  const d = column.drift;
  const dist = column.distribution;
  const facts = [
    ['Type', d.columnType],
    ['Test', `${escapeHtml(d.stattestDisplayName)} (${escapeHtml(d.stattest)})`],
    [d.scoreKind === 'p_value' ? 'p-value' : 'Distance', formatNumber(d.score, 6)],
    ['Threshold', formatNumber(d.threshold, 6)],
    ...(d.statistic !== undefined ? [['Statistic', formatNumber(d.statistic, 6)]] : []),
    ['Reference', sideLine(dist.reference.total, dist.reference.dropped)],
    ['Current', sideLine(dist.current.total, dist.current.dropped)],
    ...(dist.kind === 'categorical' && dist.otherCategories > 0 ? [['Categories', `top ${dist.categories.length} drawn, ${formatCount(dist.otherCategories)} more folded into “other”`]] : []),
    ...(dist.kind === 'numerical' ? [['Bins', `${dist.edges.length - 1}, shared by both sides`]] : []),
  ];
  return `<details class="column" id="${id}" data-column="${escapeHtml(column.name)}" data-drifted="${d.drifted}"${open ? ' open' : ''}>
<summary><span class="name">${escapeHtml(column.name)}</span>${badge(d.drifted)}<span class="test">${escapeHtml(d.stattestDisplayName)} = ${formatNumber(d.score)} (threshold ${formatNumber(d.threshold)})</span></summary>
<div class="column-body">${chartOf(column)}
<dl>${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>
${d.warning ? `<p class="warning">${escapeHtml(d.warning)}</p>` : ''}</div>
</details>`;
}

export function htmlReport(report: DriftReport): string {
  const columns = ordered(report.columns);
  // Ids from positions, not names: a name can hold anything, an id must not.
  const ids = new Map(columns.map((c, i) => [c, `column-${i + 1}`] as const));
  let openLeft = OPEN_CHARTS;
  const details = columns.map((c) => columnDetails(c, ids.get(c)!, c.drift.drifted && openLeft-- > 0)).join('\n');
  const title = escapeHtml(report.title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Capstan">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${title}</h1>
<p class="meta">Generated <time datetime="${report.generatedAt.toISOString()}">${report.generatedAt.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}</time> · reference ${formatCount(report.referenceRows)} rows · current ${formatCount(report.currentRows)} rows</p>
</header>
${summary(report)}
<h2>Columns</h2>
${table(columns, ids, report)}
<h2>Distributions</h2>
<p class="meta">Share of each side's values per bin or category: <span style="color:${SERIES_COLOURS.reference}">■</span> reference, <span style="color:${SERIES_COLOURS.current}">■</span> current. Null, NaN and ±Infinity are left out, as the tests leave them out.</p>
${details}
<footer>Tests and thresholds follow Evidently's data drift defaults; numbers match scipy's. Made by Capstan.</footer>
</body>
</html>
`;
}
