/**
 * Summarizes a V8 .cpuprofile (from a benchmark's `--profile DIR`, which starts the server with
 * `--cpu-prof`): self time by package/file, the top functions by self time, and the inclusive time
 * of chosen functions. Prints JSON.
 *
 *   npx tsx bench/profile-summary.ts DIR/CPU.*.cpuprofile [--top 30] [--focus name1,name2]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  options: { top: { type: 'string' }, focus: { type: 'string' } },
  allowPositionals: true,
  strict: true,
});
const file = positionals[0];
if (!file) throw new Error('usage: profile-summary.ts FILE.cpuprofile [--top N] [--focus fn1,fn2]');
const top = Number(values.top ?? 30);
const focus = (values.focus ?? '').split(',').filter(Boolean);

const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const pk = url.indexOf('/packages/');
  if (pk >= 0) return url.slice(pk + 1);
  return url.replace(/^file:\/\//, '');
}

/** node_modules package, project file, or V8 pseudo-frame such as (garbage collector). */
function category(frame: CallFrame): string {
  if (!frame.url) return frame.functionName.startsWith('(') ? frame.functionName : `(native) ${frame.functionName}`;
  const url = shortUrl(frame.url);
  if (url.startsWith('node:')) return url;
  const m = /^(@[^/]+\/[^/]+|[^/]+)/.exec(url);
  return url.startsWith('packages/') ? url : (m?.[1] ?? url);
}

function label(frame: CallFrame): string {
  const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
  return `${frame.functionName || '(anonymous)'} ${where}`.trim();
}

const selfByCategory = new Map<string, number>();
const selfByFunction = new Map<string, number>();
const inclusive = new Map<string, number>();
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const us = profile.timeDeltas[i] ?? 0;
  const node = byId.get(profile.samples[i]!);
  if (!node) continue;
  total += us;
  selfByCategory.set(category(node.callFrame), (selfByCategory.get(category(node.callFrame)) ?? 0) + us);
  selfByFunction.set(label(node.callFrame), (selfByFunction.get(label(node.callFrame)) ?? 0) + us);
  if (focus.length) {
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const name = byId.get(id)!.callFrame.functionName;
      if (focus.includes(name) && !seen.has(name)) {
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + us);
      }
    }
  }
}

const ms = (us: number) => Math.round(us / 100) / 10;
const ranked = (m: Map<string, number>) =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({ name, ms: ms(us), share: Math.round((us / total) * 1000) / 10 }));

process.stdout.write(
  `${JSON.stringify(
    {
      file,
      sampledMs: ms(total),
      idleMs: ms(selfByCategory.get('(idle)') ?? 0),
      selfByCategory: ranked(selfByCategory),
      selfByFunction: ranked(selfByFunction),
      ...(focus.length ? { inclusive: focus.map((name) => ({ name, ms: ms(inclusive.get(name) ?? 0), share: Math.round(((inclusive.get(name) ?? 0) / total) * 1000) / 10 })) } : {}),
    },
    null,
    2,
  )}\n`,
);
