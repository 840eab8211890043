import { CapstanClient } from '@capstan/sdk';
import { describe, expect, it } from 'vitest';
import { main } from './cli.js';
import type { CliDeps } from './context.js';
import type { CliIo } from './io.js';

function capture(env: CliIo['env'] = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}

const noServer: Partial<CliDeps> = {
  runServer: async () => {
    throw new Error('unexpected server start');
  },
};

describe('capstan (no server needed)', () => {
  it('hands every argument after `server` to the server verbatim', async () => {
    const seen: string[][] = [];
    const { io } = capture();
    const argv = ['server', '--port', '0', '-h', '0.0.0.0', '--backend-store-uri', 'sqlite:///x.db', '--help', 'extra'];
    const code = await main(argv, io, { runServer: async (args) => void seen.push(args) });
    expect(code).toBe(0);
    expect(seen).toEqual([argv.slice(1)]);
  });

  it('prints server start failures with their code', async () => {
    const c = capture();
    const failure = Object.assign(new Error('listen EADDRINUSE: address already in use'), { code: 'EADDRINUSE' });
    const code = await main(['server'], c.io, {
      runServer: async () => {
        throw failure;
      },
    });
    expect(code).toBe(1);
    expect(c.stderr()).toBe('error: EADDRINUSE: listen EADDRINUSE: address already in use\n');
  });

  it('rejects an invalid --view before contacting a server', async () => {
    const c = capture();
    expect(await main(['experiments', 'list', '--view', 'archived'], c.io, noServer)).toBe(1);
    expect(c.stderr()).toMatch(/error: option '--view <view>' argument 'archived' is invalid/);
  });

  it('requires an experiment for runs list, and only one kind', async () => {
    const a = capture();
    expect(await main(['runs', 'list'], a.io, noServer)).toBe(1);
    expect(a.stderr()).toBe('error: INVALID_ARGUMENT: one of --experiment-id or --experiment-name is required\n');
    const b = capture();
    expect(await main(['runs', 'list', '--experiment-id', '1', '--experiment-name', 'x'], b.io, noServer)).toBe(1);
    expect(b.stderr()).toMatch(/cannot be used with option '--experiment-name/);
  });

  it('rejects malformed tags and counts', async () => {
    const a = capture();
    expect(await main(['experiments', 'create', 'x', '--tag', 'oops'], a.io, noServer)).toBe(1);
    expect(a.stderr()).toMatch(/expected key=value/);
    const b = capture();
    expect(await main(['experiments', 'list', '--max-results', '-3'], b.io, noServer)).toBe(1);
  });

  it('prints help to stdout and exits 0', async () => {
    const c = capture();
    expect(await main(['runs', '--help'], c.io, noServer)).toBe(0);
    expect(c.stdout()).toMatch(/Usage: capstan runs/);
    expect(c.stdout()).toMatch(/describe/);
  });

  it('reports an unreachable server as a network error', async () => {
    const c = capture({ CAPSTAN_URL: 'http://127.0.0.1:9' });
    const code = await main(['runs', 'describe', 'abc'], c.io, {
      ...noServer,
      createClient: ({ env }) => new CapstanClient({ env, retries: 0 }),
    });
    expect(code).toBe(1);
    expect(c.stderr()).toMatch(/^error: NETWORK_ERROR: GET \/api\/2\.0\/mlflow\/runs\/get\?run_id=abc failed/);
  });
});
