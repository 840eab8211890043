import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ApiTokenInfo, AuditEvent, User, WhoAmI } from '@capstan/contracts';
import type { EphemeralServer } from '@capstan/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './test-support/run-cli.js';
import { ADMIN, startAuthServer } from './test-support/auth-server.js';

let server: EphemeralServer;
beforeAll(async () => {
  server = await startAuthServer();
});
afterAll(async () => {
  await server.close();
});

type Env = Record<string, string>;
const basic = (username: string, password: string): Env => ({ MLFLOW_TRACKING_USERNAME: username, MLFLOW_TRACKING_PASSWORD: password });
const asAdmin = basic(ADMIN.username, ADMIN.password);

/** Runs `capstan` in-process against `url`, configured through the environment (and stdin) as a user would. */
const capstanAt = (url: string, env: Env, argv: string[], stdin?: string) =>
  runCli(argv, { env: { CAPSTAN_URL: url, ...env }, ...(stdin !== undefined ? { stdin: Readable.from([stdin]) } : {}) });
const capstan = (env: Env, argv: string[], stdin?: string) => capstanAt(server.url, env, argv, stdin);

/** Runs a command that must succeed and returns its stdout. */
async function ok(env: Env, argv: string[], stdin?: string): Promise<string> {
  const result = await capstan(env, argv, stdin);
  expect(result, `capstan ${argv.join(' ')}`).toMatchObject({ code: 0 });
  return result.stdout;
}
const okJson = async <T>(env: Env, argv: string[]): Promise<T> => JSON.parse(await ok(env, [...argv, '--json'])) as T;

describe('capstan whoami', () => {
  it('refuses a caller without credentials', async () => {
    const anonymous = await capstan({}, ['whoami']);
    expect(anonymous).toMatchObject({ code: 1, stdout: '' });
    expect(anonymous.stderr).toMatch(/^error: UNAUTHENTICATED: .+\n$/);
  });

  it('names the user signed in with basic auth, as a table and as JSON', async () => {
    const table = await ok(asAdmin, ['whoami']);
    expect(table).toMatch(/^FIELD\s+VALUE\nusername\s+root-admin\nadmin\s+yes\nauth_method\s+basic\n/);
    expect(await okJson<WhoAmI>(asAdmin, ['whoami'])).toMatchObject({ username: 'root-admin', is_admin: true, auth_method: 'basic', auth_mode: 'on' });
  });
});

describe('users, groups, tokens, workspaces and grants through the CLI', () => {
  it('runs the whole lifecycle of a team member', async () => {
    const bobPassword = 'bob-password-1234';
    // Only the first line is the password; what follows must be ignored.
    expect(await ok(asAdmin, ['users', 'create', 'bob', '--password-stdin'], `${bobPassword}\nnot-the-password\n`)).toBe("Created user 'bob'\n");
    const asBob = basic('bob', bobPassword);
    expect(await okJson<WhoAmI>(asBob, ['whoami'])).toMatchObject({ username: 'bob', is_admin: false, auth_method: 'basic' });
    expect(await ok(asAdmin, ['users', 'list'])).toMatch(/\nbob\s+no\s+local\s+active\s+\S+Z\n/);

    await ok(asAdmin, ['groups', 'create', 'ml', '--description', 'ML team']);
    expect(await ok(asAdmin, ['groups', 'add-member', 'ml', 'bob'])).toBe("Added 'bob' to group 'ml'\n");
    expect(await ok(asAdmin, ['groups', 'list'])).toMatch(/\nml\s+bob\s+ML team\n/);

    // The secret alone on stdout, so $(capstan tokens create ...) captures exactly it.
    const created = await capstan(asAdmin, ['tokens', 'create', '--name', 'ci', '--scopes', 'read,write', '--expires-in', '30d', '--user', 'bob']);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^cap_\S+\n$/);
    expect(created.stderr).toMatch(/Created token \S+ 'ci' for bob \(scopes read,write; expires \S+Z\)\.\nStore the secret now: it cannot be shown again\.\n$/);
    const token = created.stdout.trim();

    const withToken = { CAPSTAN_TOKEN: token };
    expect(await okJson<WhoAmI>(withToken, ['whoami'])).toMatchObject({ username: 'bob', auth_method: 'token', scopes: ['read', 'write'], groups: ['ml'] });
    // CAPSTAN_TOKEN takes precedence over MLflow's basic-auth variables.
    expect(await okJson<WhoAmI>({ ...asAdmin, ...withToken }, ['whoami'])).toMatchObject({ username: 'bob', auth_method: 'token' });

    await ok(asAdmin, ['workspaces', 'create', 'team-a', '--description', 'Team A']);
    expect(await ok(asAdmin, ['workspaces', 'set-role', 'team-a', '--group', 'ml', '--role', 'editor'])).toBe("Set group 'ml' to editor in workspace 'team-a'\n");
    expect(await ok(asAdmin, ['workspaces', 'members', 'team-a'])).toMatch(/^TYPE\s+NAME\s+ROLE\ngroup\s+ml\s+editor\n$/);
    expect(await ok(withToken, ['workspaces', 'list'])).toMatch(/\nteam-a\s+\S+Z\s+Team A\n/);

    // As an editor of team-a through the group, bob creates an experiment there (CAPSTAN_WORKSPACE picks it).
    const experiment = await ok({ ...withToken, CAPSTAN_WORKSPACE: 'team-a' }, ['experiments', 'create', 'bob-exp']);
    const experimentId = /with ID (\S+)\n$/.exec(experiment)?.[1] ?? '';
    await ok(asAdmin, ['users', 'create', 'carol', '--password-stdin'], 'carol-password-1234\n');
    expect(await ok(withToken, ['grants', 'set', '--experiment', experimentId, '--user', 'carol', '--permission', 'READ'])).toBe(
      `Granted READ on experiment '${experimentId}' to user 'carol'\n`,
    );
    expect(await ok(withToken, ['grants', 'list', '--experiment', experimentId])).toMatch(/\nuser\s+carol\s+READ\n/);
    await ok(withToken, ['grants', 'delete', '--experiment', experimentId, '--user', 'carol']);
    expect(await ok(withToken, ['grants', 'list', '--experiment', experimentId])).not.toMatch(/carol/);

    const [info] = await okJson<ApiTokenInfo[]>(asAdmin, ['tokens', 'list', '--user', 'bob']);
    expect(info).toMatchObject({ name: 'ci', user: 'bob', revoked_at: null });
    expect(await ok(asAdmin, ['tokens', 'revoke', info!.token_id])).toBe(`Revoked token ${info!.token_id} 'ci'\n`);
    expect(await ok(asAdmin, ['tokens', 'list', '--all'])).toMatch(new RegExp(`\\n${info!.token_id}\\s+ci\\s+bob\\s+read,write\\s+revoked\\s`));

    const revoked = await capstan(withToken, ['whoami']);
    expect(revoked).toMatchObject({ code: 1, stdout: '' });
    expect(revoked.stderr).toMatch(/^error: UNAUTHENTICATED: .*revoked.*\n$/);

    expect(await ok(asAdmin, ['users', 'update', 'bob', '--disable'])).toBe("Updated user 'bob'\n");
    expect((await capstan(asBob, ['whoami'])).stderr).toMatch(/^error: UNAUTHENTICATED: /);
    await ok(asAdmin, ['users', 'update', 'bob', '--enable', '--admin']);
    expect(await okJson<WhoAmI>(asBob, ['whoami'])).toMatchObject({ username: 'bob', is_admin: true });

    await ok(asAdmin, ['workspaces', 'remove-member', 'team-a', '--group', 'ml']);
    expect(await ok(asAdmin, ['workspaces', 'members', 'team-a'])).not.toMatch(/ml/);
    await ok(asAdmin, ['groups', 'remove-member', 'ml', 'bob']);
    await ok(asAdmin, ['groups', 'delete', 'ml']);
    expect(await ok(asAdmin, ['users', 'delete', 'bob'])).toBe("Deleted user 'bob'\n");
    const users = await okJson<User[]>(asAdmin, ['users', 'list']);
    expect(users.map((u) => u.username).sort()).toEqual(['carol', 'root-admin']);
  });

  it('reports API refusals with their code', async () => {
    const duplicate = await capstan(asAdmin, ['groups', 'create', 'dup']);
    expect(duplicate.code).toBe(0);
    const again = await capstan(asAdmin, ['groups', 'create', 'dup']);
    expect(again).toMatchObject({ code: 1, stdout: '' });
    expect(again.stderr).toMatch(/^error: RESOURCE_ALREADY_EXISTS: /);

    await ok(asAdmin, ['users', 'create', 'dave', '--password-stdin'], 'dave-password-1234\n');
    const denied = await capstan(basic('dave', 'dave-password-1234'), ['users', 'list']);
    expect(denied).toMatchObject({ code: 1, stdout: '' });
    expect(denied.stderr).toMatch(/^error: PERMISSION_DENIED: /);
  });
});

describe('capstan audit', () => {
  it('verifies the chain, then queries and exports the recorded events', async () => {
    await ok(asAdmin, ['groups', 'create', 'audited']);
    await capstan({ CAPSTAN_TOKEN: 'cap_not-a-real-token' }, ['whoami']);

    // verify and export wait for pending audit writes, so they run first.
    expect(await ok(asAdmin, ['audit', 'verify'])).toMatch(/^ok: \d+ entries checked; head seq \d+, hash [0-9a-f]+\n$/);
    const dir = await mkdtemp(join(tmpdir(), 'capstan-audit-'));
    try {
      const file = join(dir, 'audit.jsonl');
      const exported = await capstan(asAdmin, ['audit', 'export', '--output', file, '--action', 'security.*']);
      expect(exported).toMatchObject({ code: 0, stdout: '' });
      expect(exported.stderr).toMatch(/^Wrote \d+ audit events to /);
      const events = (await readFile(file, 'utf8'))
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as AuditEvent);
      expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((a, b) => a - b));
      expect(events.every((e) => e.action.startsWith('security.'))).toBe(true);
      expect(events).toContainEqual(expect.objectContaining({ action: 'security.createGroup', target: 'group:audited', actor: 'root-admin', outcome: 'success' }));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    const toStdout = await ok(asAdmin, ['audit', 'export', '--target', 'group:audited']);
    expect(toStdout.trimEnd().split('\n').map((line) => (JSON.parse(line) as AuditEvent).action)).toEqual(['security.createGroup']);

    const table = await ok(asAdmin, ['audit', 'query', '--target', 'group:audited']);
    expect(table).toMatch(/^SEQ\s+TIME\s+ACTOR\s+ACTION\s+TARGET\s+WORKSPACE\s+OUTCOME\s+STATUS\n\d+\s+\S+Z\s+root-admin\s+security\.createGroup\s+group:audited\s+success\s+200\n$/);

    const failures = await okJson<AuditEvent[]>(asAdmin, ['audit', 'query', '--action', 'auth.*', '--outcome', 'denied', '--since', '2000-01-01T00:00:00Z']);
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((e) => e.outcome === 'denied' && e.status === 401)).toBe(true);

    const limited = await okJson<AuditEvent[]>(asAdmin, ['audit', 'query', '--limit', '2', '--order', 'asc']);
    expect(limited.map((e) => e.seq)).toEqual([1, 2]);
  });
});

describe('the first administrator, written straight into the store', () => {
  it('creates (then updates) a user a server on the same store accepts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'capstan-store-'));
    const uri = `sqlite:///${join(dir, 'x.db')}`;
    const password = 'first-admin-password';
    let fresh: EphemeralServer | undefined;
    try {
      const argv = ['users', 'create', 'first-admin', '--admin', '--password-stdin', '--backend-store-uri', uri];
      expect(await capstanAt('http://127.0.0.1:9', {}, argv, `${password}\n`)).toEqual({ code: 0, stdout: 'created\n', stderr: '' });
      expect(await capstanAt('http://127.0.0.1:9', {}, argv, `${password}\n`)).toEqual({ code: 0, stdout: 'updated\n', stderr: '' });

      fresh = await startAuthServer({ backendStoreUri: uri, admin: false });
      const who = await capstanAt(fresh.url, basic('first-admin', password), ['whoami', '--json']);
      expect(who.code).toBe(0);
      expect(JSON.parse(who.stdout)).toMatchObject({ username: 'first-admin', is_admin: true, auth_method: 'basic' });
      expect((await capstanAt(fresh.url, basic('first-admin', 'wrong-password-here'), ['whoami'])).stderr).toMatch(/^error: UNAUTHENTICATED: /);
    } finally {
      await fresh?.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
