/**
 * Content negotiation for routes that answer JSON by default and HTML to a client that prefers it
 * (a browser, or `curl -H 'Accept: text/html'`). JSON stays the default for no header, `*\/*` and
 * ties, so API clients that send nothing particular keep getting JSON.
 */

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
}

function parseAccept(header: string): MediaRange[] {
  return header.split(',').flatMap((part) => {
    const [range, ...params] = part.trim().split(';');
    const [type, subtype] = (range ?? '').trim().toLowerCase().split('/');
    if (!type || !subtype) return [];
    const qParam = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    return Number.isFinite(q) ? [{ type, subtype, q: Math.min(Math.max(q, 0), 1) }] : [];
  });
}

/** The quality the header gives a media type: from its most specific matching range (RFC 9110 §12.5.1). */
function quality(ranges: readonly MediaRange[], type: string, subtype: string): number {
  const exact = ranges.find((r) => r.type === type && r.subtype === subtype);
  if (exact) return exact.q;
  const sameType = ranges.find((r) => r.type === type && r.subtype === '*');
  if (sameType) return sameType.q;
  return ranges.find((r) => r.type === '*' && r.subtype === '*')?.q ?? 0;
}

/** Whether the client ranks text/html above application/json. */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const ranges = parseAccept(accept);
  const html = quality(ranges, 'text', 'html');
  return html > 0 && html > quality(ranges, 'application', 'json');
}
