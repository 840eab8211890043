import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

/**
 * Reads one line from the terminal without echoing it. The prompt goes to stderr so that stdout
 * stays clean for a command's output. Ctrl-C or Ctrl-D cancels instead of hanging.
 */
export function promptHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let muted = false;
    let settled = false;
    // readline echoes keystrokes through its output; muting it after the prompt hides them.
    const output = new Writable({
      write(chunk: Buffer, _encoding, done) {
        if (!muted) process.stderr.write(chunk);
        done();
      },
    });
    const rl = createInterface({ input: process.stdin, output, terminal: true });
    const finish = (answer: string | undefined) => {
      if (settled) return;
      settled = true;
      rl.close();
      process.stderr.write('\n');
      if (answer === undefined) reject(Object.assign(new Error('cancelled at the password prompt'), { code: 'CANCELLED' }));
      else resolve(answer);
    };
    rl.on('SIGINT', () => finish(undefined));
    rl.on('close', () => finish(undefined));
    rl.question(prompt, (answer) => finish(answer));
    muted = true;
  });
}
