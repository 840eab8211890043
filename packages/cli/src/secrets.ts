import { UsageError } from './errors.js';
import type { CliIo } from './io.js';

/**
 * A new password, never from the command line (it would land in shell history and `ps`): typed
 * twice at a terminal prompt when there is one, else the first line of piped stdin with
 * `--password-stdin`.
 */
export async function readNewPassword(io: CliIo, passwordStdin: boolean): Promise<string> {
  if (io.promptSecret) {
    const password = await io.promptSecret('New password: ');
    if (password === '') throw new UsageError('the password must not be empty');
    if ((await io.promptSecret('Repeat the password: ')) !== password) throw new UsageError('the passwords do not match');
    return password;
  }
  if (!passwordStdin) throw new UsageError('stdin is not a terminal: pass --password-stdin and pipe the password in');
  const password = await readFirstLine(io.stdin);
  if (password === '') throw new UsageError('no password on standard input');
  return password;
}

/** Everything up to the first newline (or the end), without the line ending; stops reading there. */
async function readFirstLine(stdin: CliIo['stdin']): Promise<string> {
  if (!stdin) return '';
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of stdin) {
    text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (text.includes('\n')) break;
  }
  return text.split('\n')[0]!.replace(/\r$/, '');
}
