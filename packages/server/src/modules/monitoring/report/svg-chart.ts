/**
 * One column's reference and current distributions as a static inline SVG: no chart library and no
 * script, so the report stays one small file that opens offline and cannot run anything.
 *
 * Numerical columns are two overlaid step areas over the shared bin edges (semi-transparent, so
 * where they overlap shows); categorical columns are paired bars per category. The y axis is the
 * share of each side's values, so samples of different sizes compare directly. Each series is a
 * `<g data-series="reference|current">`, which the browser test counts.
 */
import type { CategoricalDistribution, NumericalDistribution, SideCounts } from './distributions.js';
import { escapeHtml, formatCount, formatNumber, formatPercent, truncate } from './html-text.js';

export const SERIES_COLOURS = { reference: '#4c78a8', current: '#f58518' } as const;

const WIDTH = 640;
const HEIGHT = 300;
const MARGIN = { left: 60, right: 16, top: 36, bottom: 56 } as const;
/** Rotated category labels need more room below the axis. */
const ROTATED_BOTTOM = 96;

interface Frame {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Coordinates with two decimals: enough for a screen, and a short file. */
const c = (v: number) => String(Math.round(v * 100) / 100);

/** Round tick steps (1, 2 or 5 times a power of ten) giving about `count` ticks over [0, max] or [min, max]. */
function niceStep(span: number, count: number): number {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

function ticks(min: number, max: number, count: number): number[] {
  const step = niceStep(max - min, count);
  const out: number[] = [];
  // Multiplying (not accumulating) keeps ticks like 0.30000000000000004 away.
  for (let i = Math.ceil(min / step); i * step <= max + step * 1e-9; i++) out.push(Number((i * step).toPrecision(12)));
  return out;
}

function maxShare(...sides: SideCounts[]): number {
  let max = 0;
  for (const s of sides) for (const v of s.shares) if (v > max) max = v;
  return max;
}

/** The y axis (shares from 0 to a round top), its grid lines and title; returns the scale. */
function yAxis(frame: Frame, top: number): { svg: string; y: (share: number) => number } {
  const step = niceStep(top || 1, 4);
  const yMax = Math.ceil((top || 1) / step - 1e-9) * step;
  const y = (share: number) => frame.bottom - (share / yMax) * (frame.bottom - frame.top);
  const parts = ticks(0, yMax, 4).map(
    (t) =>
      `<line class="grid" x1="${c(frame.left)}" x2="${c(frame.right)}" y1="${c(y(t))}" y2="${c(y(t))}"/>` +
      `<text class="tick" x="${c(frame.left - 6)}" y="${c(y(t) + 4)}" text-anchor="end">${formatPercent(t)}</text>`,
  );
  const title = `<text class="axis-title" transform="translate(14 ${c((frame.top + frame.bottom) / 2)}) rotate(-90)" text-anchor="middle">share of values</text>`;
  return { svg: parts.join('') + title, y };
}

function legend(distribution: { reference: SideCounts; current: SideCounts }): string {
  const item = (x: number, series: 'reference' | 'current', count: number) =>
    `<g class="legend-item" data-legend="${series}"><rect x="${x}" y="10" width="12" height="12" fill="${SERIES_COLOURS[series]}" fill-opacity="0.6" stroke="${SERIES_COLOURS[series]}"/>` +
    `<text x="${x + 18}" y="20">${series} (n = ${formatCount(count)})</text></g>`;
  return `<g class="legend">${item(MARGIN.left, 'reference', distribution.reference.total)}${item(MARGIN.left + 220, 'current', distribution.current.total)}</g>`;
}

function frame(bottomMargin: number): Frame {
  return { left: MARGIN.left, right: WIDTH - MARGIN.right, top: MARGIN.top, bottom: HEIGHT - bottomMargin };
}

function open(label: string): string {
  return `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeHtml(label)}"><title>${escapeHtml(label)}</title>`;
}

function axisLines(f: Frame): string {
  return `<line class="axis" x1="${c(f.left)}" x2="${c(f.right)}" y1="${c(f.bottom)}" y2="${c(f.bottom)}"/><line class="axis" x1="${c(f.left)}" x2="${c(f.left)}" y1="${c(f.top)}" y2="${c(f.bottom)}"/>`;
}

/** Overlaid step areas over the shared edges. */
export function numericalChart(column: string, d: NumericalDistribution): string {
  const f = frame(MARGIN.bottom);
  const first = d.edges[0]!;
  const last = d.edges[d.edges.length - 1]!;
  // Halves keep the range finite for values near ±Number.MAX_VALUE.
  const x = (v: number) => f.left + ((v / 2 - first / 2) / (last / 2 - first / 2)) * (f.right - f.left);
  const { svg: yAxisSvg, y } = yAxis(f, maxShare(d.reference, d.current));
  const area = (series: 'reference' | 'current', side: SideCounts) => {
    let path = `M${c(x(first))} ${c(f.bottom)}`;
    for (let i = 0; i < side.shares.length; i++) path += `L${c(x(d.edges[i]!))} ${c(y(side.shares[i]!))}L${c(x(d.edges[i + 1]!))} ${c(y(side.shares[i]!))}`;
    path += `L${c(x(last))} ${c(f.bottom)}Z`;
    const colour = SERIES_COLOURS[series];
    return `<g class="series" data-series="${series}"><path d="${path}" fill="${colour}" fill-opacity="0.35" stroke="${colour}" stroke-width="1.5"/></g>`;
  };
  const xTicks = ticks(first, last, 6)
    .filter((t) => t >= first && t <= last)
    .map((t) => `<line class="axis" x1="${c(x(t))}" x2="${c(x(t))}" y1="${c(f.bottom)}" y2="${c(f.bottom + 4)}"/><text class="tick" x="${c(x(t))}" y="${c(f.bottom + 18)}" text-anchor="middle">${formatNumber(t)}</text>`)
    .join('');
  const xTitle = `<text class="axis-title" x="${c((f.left + f.right) / 2)}" y="${HEIGHT - 12}" text-anchor="middle">${escapeHtml(truncate(column, 80))}</text>`;
  return (
    open(`Distribution of ${column}: reference and current`) +
    yAxisSvg +
    area('reference', d.reference) +
    area('current', d.current) +
    axisLines(f) +
    xTicks +
    xTitle +
    legend(d) +
    '</svg>'
  );
}

/** Paired bars per category, the folded "other" bucket last. */
export function categoricalChart(column: string, d: CategoricalDistribution, labels: readonly string[]): string {
  const rotate = labels.length > 6 || labels.some((l) => l.length > 10);
  const f = frame(rotate ? ROTATED_BOTTOM : MARGIN.bottom);
  const { svg: yAxisSvg, y } = yAxis(f, maxShare(d.reference, d.current));
  const group = (f.right - f.left) / labels.length;
  const bar = group * 0.38;
  const bars = (series: 'reference' | 'current', side: SideCounts, offset: number) => {
    const colour = SERIES_COLOURS[series];
    const rects = labels.map((label, i) => {
      const top = y(side.shares[i]!);
      const tip = `${series} ${label}: ${formatPercent(side.shares[i]!)} (${formatCount(side.counts[i]!)})`;
      return `<rect x="${c(f.left + i * group + group * offset)}" y="${c(top)}" width="${c(bar)}" height="${c(f.bottom - top)}"><title>${escapeHtml(tip)}</title></rect>`;
    });
    return `<g class="series" data-series="${series}" fill="${colour}" fill-opacity="0.75" stroke="${colour}">${rects.join('')}</g>`;
  };
  const xLabels = labels
    .map((label, i) => {
      const cx = f.left + (i + 0.5) * group;
      const text = escapeHtml(truncate(label, rotate ? 14 : 18));
      const title = `<title>${escapeHtml(label)}</title>`;
      return rotate
        ? `<text class="tick" transform="translate(${c(cx)} ${c(f.bottom + 10)}) rotate(-35)" text-anchor="end">${title}${text}</text>`
        : `<text class="tick" x="${c(cx)}" y="${c(f.bottom + 18)}" text-anchor="middle">${title}${text}</text>`;
    })
    .join('');
  const xTitle = `<text class="axis-title" x="${c((f.left + f.right) / 2)}" y="${HEIGHT - 8}" text-anchor="middle">${escapeHtml(truncate(column, 80))}</text>`;
  return (
    open(`Distribution of ${column}: reference and current`) +
    yAxisSvg +
    bars('reference', d.reference, 0.1) +
    bars('current', d.current, 0.52) +
    axisLines(f) +
    xLabels +
    xTitle +
    legend(d) +
    '</svg>'
  );
}
