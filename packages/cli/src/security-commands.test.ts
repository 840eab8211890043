import { Readable } from 'node:stream';
import { CapstanClient, type FetchFn } from '@capstan/sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './cli.js';
import type { CliDeps, StoreUser } from './context.js';
import type { CliIo } from './io.js';

function capture(extra: Partial<CliIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {}, ...extra };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}

/** No network: a command that reaches for the server fails the test. */
const offline: Partial<CliDeps> = {
  createClient: () => {
    throw new Error('unexpected API call');
  },
  createUserInStore: async () => {
    throw new Error('unexpected store write');
  },
};

/** A client whose every request gets `body` back, recording what was sent. */
function answering(body: unknown) {
  const requests: Array<{ url: string; body: unknown }> = [];
  const fetch: FetchFn = async (input, init) => {
    requests.push({ url: String(input), body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined });
    return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
  };
  const deps: Partial<CliDeps> = { ...offline, createClient: ({ env }) => new CapstanClient({ url: 'http://server', env, fetch, retries: 0 }) };
  return { deps, requests };
}

/** Captures what `users create --backend-store-uri` would write. */
function storeSpy() {
  const writes: Array<{ uri: string; user: StoreUser }> = [];
  const deps: Partial<CliDeps> = {
    ...offline,
    createUserInStore: async (uri, user) => {
      writes.push({ uri, user });
      return 'created';
    },
  };
  return { deps, writes };
}

const storeArgs = ['users', 'create', 'admin', '--admin', '--backend-store-uri', 'sqlite:///x.db'];

describe('passwords', () => {
  it('reads the first line of stdin with --password-stdin, without its line ending', async () => {
    const spy = storeSpy();
    const c = capture({ stdin: Readable.from(['s3cret-pass', 'word\r\nsecond line\n']) });
    expect(await main([...storeArgs, '--password-stdin'], c.io, spy.deps)).toBe(0);
    expect(spy.writes).toEqual([{ uri: 'sqlite:///x.db', user: { username: 'admin', password: 's3cret-password', isAdmin: true } }]);
    expect(c.stdout()).toBe('created\n');
  });

  it('refuses to go on without a terminal or --password-stdin', async () => {
    const c = capture({ stdin: Readable.from(['piped\n']) });
    expect(await main(storeArgs, c.io, offline)).toBe(1);
    expect(c.stderr()).toBe('error: INVALID_ARGUMENT: stdin is not a terminal: pass --password-stdin and pipe the password in\n');
  });

  it('rejects an empty password on stdin', async () => {
    const c = capture({ stdin: Readable.from(['\n']) });
    expect(await main([...storeArgs, '--password-stdin'], c.io, offline)).toBe(1);
    expect(c.stderr()).toBe('error: INVALID_ARGUMENT: no password on standard input\n');
  });

  it('prompts twice on a terminal and insists the answers match', async () => {
    const answers = (...values: string[]) => {
      const prompts: string[] = [];
      return { prompts, promptSecret: async (prompt: string) => (prompts.push(prompt), values.shift() ?? '') };
    };
    const mismatch = answers('first-password', 'other-password');
    const a = capture({ promptSecret: mismatch.promptSecret });
    expect(await main(storeArgs, a.io, offline)).toBe(1);
    expect(a.stderr()).toBe('error: INVALID_ARGUMENT: the passwords do not match\n');
    expect(mismatch.prompts).toEqual(['New password: ', 'Repeat the password: ']);

    const spy = storeSpy();
    const b = capture(answers('same-password', 'same-password'));
    expect(await main(storeArgs, b.io, spy.deps)).toBe(0);
    expect(spy.writes[0]?.user.password).toBe('same-password');
  });

  it('creates a user without a password only when asked to, and never in the store', async () => {
    const api = answering({ user: {} });
    const c = capture();
    expect(await main(['users', 'create', 'sso-user', '--no-password'], c.io, api.deps)).toBe(0);
    expect(api.requests.map((r) => r.body)).toEqual([{ username: 'sso-user' }]);

    const d = capture();
    expect(await main([...storeArgs, '--no-password'], d.io, offline)).toBe(1);
    expect(d.stderr()).toMatch(/option '--no-password' cannot be used with option '--backend-store-uri/);
  });

  it('changes a password on update only with --password-stdin', async () => {
    const api = answering({ user: {} });
    const c = capture({ stdin: Readable.from(['new-password-12\n']) });
    expect(await main(['users', 'update', 'bob', '--no-admin', '--password-stdin'], c.io, api.deps)).toBe(0);
    expect(api.requests).toEqual([{ url: 'http://server/api/capstan/v1/users/bob', body: { is_admin: false, password: 'new-password-12' } }]);

    const d = capture();
    expect(await main(['users', 'update', 'bob'], d.io, offline)).toBe(1);
    expect(d.stderr()).toMatch(/^error: INVALID_ARGUMENT: nothing to change/);
  });
});

describe('tokens create', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('turns --expires-in into an expiry time and prints only the secret on stdout', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_700_000_000_000);
    const info = { token_id: 't1', user: 'svc', name: 'n', scopes: ['infer'], deployments: ['a', 'b'], created_at: 0, expires_at: 1_700_043_200_000, last_used_at: null, revoked_at: null };
    const api = answering({ token: 'cap_secret', token_info: info });
    const c = capture();
    const argv = ['tokens', 'create', '--name', 'n', '--scopes', 'infer', '--expires-in', '12h', '--deployments', 'a, b', '--user', 'svc'];
    expect(await main(argv, c.io, api.deps)).toBe(0);
    expect(api.requests[0]?.body).toEqual({ name: 'n', scopes: ['infer'], expires_at: 1_700_043_200_000, deployments: ['a', 'b'], user: 'svc' });
    expect(c.stdout()).toBe('cap_secret\n');
    expect(c.stderr()).toMatch(/cannot be shown again/);
  });

  it('rejects unknown scopes and malformed durations before calling the server', async () => {
    const a = capture();
    expect(await main(['tokens', 'create', '--name', 'n', '--scopes', 'read,root'], a.io, offline)).toBe(1);
    expect(a.stderr()).toMatch(/unknown scope root; use read, write, infer, admin/);
    const b = capture();
    expect(await main(['tokens', 'create', '--name', 'n', '--scopes', 'read', '--expires-in', '3 days'], b.io, offline)).toBe(1);
    expect(b.stderr()).toMatch(/expected a duration such as 90m, 12h, 30d or 2w/);
  });
});

describe('selectors and flags', () => {
  it('requires exactly one principal and one object for grants', async () => {
    const a = capture();
    expect(await main(['grants', 'set', '--experiment', '1', '--permission', 'READ'], a.io, offline)).toBe(1);
    expect(a.stderr()).toBe('error: INVALID_ARGUMENT: one of --user or --group is required\n');
    const b = capture();
    expect(await main(['grants', 'delete', '--user', 'u'], b.io, offline)).toBe(1);
    expect(b.stderr()).toBe('error: INVALID_ARGUMENT: one of --experiment, --registered-model, --deployment or --feature-project is required\n');
    const c = capture();
    expect(await main(['grants', 'list', '--experiment', '1', '--registered-model', 'm'], c.io, offline)).toBe(1);
    expect(c.stderr()).toMatch(/cannot be used with option '--registered-model/);
    const d = capture();
    expect(await main(['workspaces', 'remove-member', 'w', '--user', 'u', '--group', 'g'], d.io, offline)).toBe(1);
    expect(d.stderr()).toMatch(/option '--user <name>' cannot be used with option '--group <name>'/);
  });

  it('sends a registered-model grant with the principal named once', async () => {
    const api = answering({ grants: [] });
    const c = capture();
    expect(await main(['grants', 'set', '--registered-model', 'churn', '--group', 'ml', '--permission', 'EDIT'], c.io, api.deps)).toBe(0);
    expect(api.requests).toEqual([{ url: 'http://server/api/capstan/v1/grants', body: { object_type: 'registered_model', object_id: 'churn', group: 'ml', permission: 'EDIT' } }]);
    expect(c.stdout()).toBe("Granted EDIT on registered model 'churn' to group 'ml'\n");
  });

  it('checks roles, permissions and outcomes against their choices', async () => {
    const a = capture();
    expect(await main(['workspaces', 'set-role', 'w', '--user', 'u', '--role', 'owner'], a.io, offline)).toBe(1);
    expect(a.stderr()).toMatch(/argument 'owner' is invalid. Allowed choices are viewer, editor, manager, admin/);
    const b = capture();
    expect(await main(['workspaces', 'set-role', 'w', '--user', 'u'], b.io, offline)).toBe(1);
    expect(b.stderr()).toMatch(/required option '--role <role>' not specified/);
    const c = capture();
    expect(await main(['grants', 'set', '--experiment', '1', '--user', 'u', '--permission', 'read'], c.io, offline)).toBe(1);
    const d = capture();
    expect(await main(['audit', 'query', '--outcome', 'ok'], d.io, offline)).toBe(1);
  });

  it('rejects unknown flags and extra arguments', async () => {
    const a = capture();
    expect(await main(['users', 'create', 'x', '--password', 'hunter2'], a.io, offline)).toBe(1);
    expect(a.stderr()).toMatch(/error: unknown option '--password'/);
    const b = capture();
    expect(await main(['tokens', 'revoke', 'a', 'b'], b.io, offline)).toBe(1);
    expect(b.stderr()).toMatch(/too many arguments/);
  });

  it('prints usage for every command group', async () => {
    const groups = { users: 'update', groups: 'add-member', tokens: 'revoke', workspaces: 'set-role', grants: 'delete', audit: 'verify' };
    for (const [group, subcommand] of Object.entries(groups)) {
      const c = capture();
      expect(await main([group, '--help'], c.io, offline)).toBe(0);
      expect(c.stdout()).toMatch(new RegExp(`^Usage: capstan ${group} `));
      expect(c.stdout()).toContain(subcommand);
    }
  });
});

describe('audit', () => {
  it('passes filters and times through as typed', async () => {
    const api = answering({ events: [] });
    const c = capture();
    const argv = ['audit', 'query', '--actor', 'bob', '--since', '2024-05-01T00:00:00Z', '--until', '1714608000000', '--limit', '5'];
    expect(await main(argv, c.io, api.deps)).toBe(0);
    const query = Object.fromEntries(new URL(api.requests[0]!.url).searchParams);
    expect(query).toEqual({ actor: 'bob', since: '2024-05-01T00:00:00Z', until: '1714608000000', order: 'desc', max_results: '5' });
    expect(c.stdout()).toBe('SEQ  TIME  ACTOR  ACTION  TARGET  WORKSPACE  OUTCOME  STATUS\n');
  });

  it('fails verify with the problem on stderr when the chain is broken', async () => {
    const api = answering({ ok: false, checked: 41, headSeq: 50, headHash: 'abc', firstBadSeq: 42, problem: 'entry 42 does not match its hash' });
    const c = capture();
    expect(await main(['audit', 'verify'], c.io, api.deps)).toBe(1);
    expect(c.stdout()).toBe('BROKEN: 41 entries checked; head seq 50, hash abc\n');
    expect(c.stderr()).toBe('error: AUDIT_CHAIN_BROKEN: entry 42 does not match its hash (first bad entry: seq 42)\n');
  });
});
