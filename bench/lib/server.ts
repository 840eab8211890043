import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../../packages/server/src/main.ts', import.meta.url));
const COMPILED_MAIN = fileURLToPath(new URL('../../packages/server/dist/main.js', import.meta.url));

export interface BenchServer {
  url: string;
  pid: number;
  /** Log lines the server wrote after it started listening (two per request at level info). */
  logLines(): number;
  stop(): Promise<number | null>;
}

export interface ServerOptions {
  backendStoreUri: string;
  artifactsDir: string;
  /** Write a V8 CPU profile of the server into this directory when it stops. */
  cpuProfileDir?: string;
  /** Server log level; `info` (the default, as deployed) logs every request. */
  logLevel?: string;
  /** More flags for `capstan server` (e.g. `--auth`). */
  extraArgs?: string[];
  /** More environment for the server (e.g. CAPSTAN_ADMIN_USERNAME). */
  env?: Record<string, string>;
  /**
   * Run the compiled server (packages/server/dist, as `npm start` does) rather than the sources
   * through tsx, whose transpiled output adds a helper call to every closure it creates.
   */
  compiled?: boolean;
}

/**
 * Starts `capstan server` from the TypeScript sources as its own OS process, as
 * packages/server/src/app/test-support/server-process.ts does, and waits for its listening line.
 */
export async function startCapstan(options: ServerOptions): Promise<BenchServer> {
  const nodeArgs = options.compiled ? [] : ['--conditions=source', '--import', 'tsx'];
  if (options.cpuProfileDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`);
  const args = [
    options.compiled ? COMPILED_MAIN : MAIN,
    '--port',
    '0',
    '--log-level',
    options.logLevel ?? 'info',
    '--backend-store-uri',
    options.backendStoreUri,
    '--artifacts-destination',
    options.artifactsDir,
    ...(options.extraArgs ?? []),
  ];
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let lines = 0;
  const url = await new Promise<string>((resolve, reject) => {
    const reader = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s: ${stderr}`)), 60_000);
    let listening = false;
    // Keep draining stdout: a full pipe would block the server's logger.
    reader.on('line', (line) => {
      if (listening) {
        lines++;
        return;
      }
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'Capstan is listening' && entry.url) {
          listening = true;
          clearTimeout(timer);
          resolve(entry.url);
        }
      } catch {
        // not a log line
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${stderr}`));
    });
  });
  return {
    url,
    pid: child.pid!,
    logLines: () => lines,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}
