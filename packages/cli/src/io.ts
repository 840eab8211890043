import { isatty } from 'node:tty';
import { promptHidden } from './terminal.js';

/** What a command may touch of the outside world, so tests can capture output and set the environment. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  /** Standard input, read by `--password-stdin`; absent when there is none to read. */
  stdin?: AsyncIterable<string | Uint8Array>;
  /** Asks for a secret on the terminal without echoing it; absent when stdin is not a terminal. */
  promptSecret?: (prompt: string) => Promise<string>;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    // A getter, so only the commands that read stdin create Node's stream for it.
    get stdin() {
      return process.stdin;
    },
    ...(isatty(0) ? { promptSecret: promptHidden } : {}),
  };
}
