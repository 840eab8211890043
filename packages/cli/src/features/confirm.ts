import { createInterface } from 'node:readline';
import type { CliIo } from '../io.js';

/** Asks a yes/no question; true only for an explicit yes. */
export type Confirm = (question: string) => Promise<boolean>;

/**
 * A question on the terminal (prompt on stderr, so stdout stays clean), or undefined when nobody
 * can answer: the CLI offers `promptSecret` exactly when stdin is a terminal, so its absence says
 * the same here. Ctrl-C or Ctrl-D answers no.
 */
export function terminalConfirm(io: CliIo): Confirm | undefined {
  if (!io.promptSecret) return undefined;
  return (question) =>
    new Promise((resolve) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
      let answer = '';
      rl.on('close', () => resolve(/^(y|yes)$/i.test(answer.trim())));
      rl.on('SIGINT', () => rl.close());
      rl.question(question, (text) => {
        answer = text;
        rl.close();
      });
    });
}
