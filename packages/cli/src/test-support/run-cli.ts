import { main } from '../cli.js';
import type { CliDeps } from '../context.js';
import type { CliIo } from '../io.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `capstan` in-process with captured output; `io` sets the environment (and stdin), `deps` swaps collaborators. */
export async function runCli(argv: readonly string[], io: Omit<Partial<CliIo>, 'stdout' | 'stderr'> = {}, deps: Partial<CliDeps> = {}): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { env: {}, ...io, stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, deps);
  return { code, stdout: out.join(''), stderr: err.join('') };
}
