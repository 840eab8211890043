/**
 * Text that goes into the HTML report. Every string that came from data or a caller (column names,
 * category values, titles, messages) passes through escapeHtml before it is written: a column
 * named `<script>` must show as text, never run, in a file people open from mail and wikis.
 */

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe in element text and in quoted attribute values (HTML and inline SVG alike). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/**
 * A figure short enough for a table cell or an axis: 4 significant digits, exponent notation when
 * tiny or huge (p-values go down to 1e-300), and non-finite values spelled as in the JSON.
 */
export function formatNumber(x: number, digits = 4): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs < 1e-4 || abs >= 1e9) return x.toExponential(digits - 2).replace(/\.?0+e/, 'e');
  // Number() drops the zeros toPrecision pads with ("0.5000" -> 0.5).
  return String(Number(x.toPrecision(digits)));
}

/** A share as a percentage with up to one decimal: 0.6 -> "60%", 0.3333 -> "33.3%". */
export function formatPercent(share: number): string {
  return `${formatNumber(Math.round(share * 1000) / 10)}%`;
}

/** Whole numbers with thousands separators, independent of the machine's locale. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A long label cut to `max` characters with an ellipsis (the full text goes in a tooltip). */
export function truncate(text: string, max: number): string {
  return [...text].length <= max ? text : `${[...text].slice(0, max - 1).join('')}…`;
}
