/**
 * Plain, left-aligned columns separated by two spaces (as `kubectl get` prints), which read well in
 * a terminal and still split cleanly with `awk`. No colours or box drawing, so output can be piped.
 */
export function formatTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const all = [headers, ...rows].map((row) => row.map((cell) => cell.replace(/[\r\n\t]+/g, ' ')));
  const widths = headers.map((_, col) => Math.max(...all.map((row) => (row[col] ?? '').length)));
  const lines = all.map((row) =>
    row
      .map((cell, col) => cell.padEnd(widths[col] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  return `${lines.join('\n')}\n`;
}
