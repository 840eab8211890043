import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

export interface ChildServer {
  url: string;
  pid: number;
  /** Resident set size now, in MiB (Linux /proc). */
  rssMiB(): number;
  stop(): Promise<void>;
}

/**
 * Runs a Node server script as its own process and waits for the first stdout line that is JSON
 * with a `url`. `nodeArgs` precede the script (e.g. `--import tsx`).
 */
export async function startChildServer(nodeArgs: string[], script: string, args: string[]): Promise<ChildServer> {
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, script, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start in 60 s: ${stderr}`)), 60_000);
    const reader = createInterface({ input: child.stdout! });
    reader.on('line', (line) => {
      try {
        const { url: found } = JSON.parse(line) as { url?: string };
        if (found) {
          clearTimeout(timer);
          resolve(found);
        }
      } catch {
        // not ours
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}: ${stderr}`));
    });
  });
  return {
    url,
    pid: child.pid!,
    rssMiB: () => rssMiB(child.pid!),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Math.round((Number(line?.split(/\s+/)[1] ?? 0) / 1024) * 10) / 10;
}
