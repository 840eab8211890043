import { readFileSync } from 'node:fs';
import { progress } from './log.js';

function ticks(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = f.reduce((s, x) => s + x, 0);
  return { busy: total - f[3]! - f[4]!, total };
}

/** Share of all cores busy over the next `ms` milliseconds (0..1). */
export async function machineBusyShare(ms = 2000): Promise<number> {
  const a = ticks();
  await new Promise((r) => setTimeout(r, ms));
  const b = ticks();
  return (b.busy - a.busy) / Math.max(1, b.total - a.total);
}

/**
 * Waits up to `maxSeconds` for the machine to be mostly idle (other people's tests share the
 * cores), and returns the busy share last seen so reports can say how quiet it was.
 */
export async function waitForQuiet(maxSeconds: number, threshold = 0.2): Promise<number> {
  const deadline = Date.now() + maxSeconds * 1000;
  let share = await machineBusyShare();
  while (share > threshold && Date.now() < deadline) {
    progress(`machine ${Math.round(share * 100)}% busy before start; waiting for < ${threshold * 100}%`);
    share = await machineBusyShare(5000);
  }
  return Math.round(share * 100) / 100;
}
