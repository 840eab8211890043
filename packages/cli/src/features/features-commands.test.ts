import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeaturePlan } from '@capstan/contracts';
import { CapstanClient, type FetchFn } from '@capstan/sdk';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliDeps, CommandContext } from '../context.js';
import { describeError } from '../errors.js';
import { runCli } from '../test-support/run-cli.js';
import { registerFeatures } from './index.js';

const FIXTURE = fileURLToPath(new URL('./test-support/driver-repo', import.meta.url));

interface Call {
  method: string;
  path: string;
  body: unknown;
}

/** A client whose requests are answered by `answer` (by path), recording what was sent. */
function server(answer: (call: Call) => Response | unknown) {
  const calls: Call[] = [];
  const fetch: FetchFn = async (input, init) => {
    const call = { method: init?.method ?? 'GET', path: String(input).replace('http://server', ''), body: typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined };
    calls.push(call);
    const reply = answer(call);
    return reply instanceof Response ? reply : new Response(JSON.stringify(reply), { headers: { 'content-type': 'application/json' } });
  };
  const client = () => new CapstanClient({ url: 'http://server', env: {}, fetch, retries: 0 });
  const deps: Partial<CliDeps> = { createClient: client };
  return { calls, deps, client };
}

const plan = (changes: FeaturePlan['changes']): FeaturePlan => ({
  project: 'driver_ranking',
  base_revision: 7,
  changes,
  has_breaking_changes: false,
  deletions: changes.filter((c) => c.action === 'delete').length,
});
const CREATE = plan([{ kind: 'entity', name: 'driver', action: 'create' }]);
const applied = (call: Call) => (call.path.endsWith('/plan') ? CREATE : { project: 'driver_ranking', revision: 8, changes: CREATE.changes });

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'capstan-features-cli-'));
});
afterAll(async () => rm(work, { recursive: true, force: true }));

describe('capstan features plan and apply', () => {
  it('plans the folder and prints the table', async () => {
    const s = server(() => CREATE);
    const r = await runCli(['features', 'plan', FIXTURE], {}, s.deps);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain("CREATE  entity  driver\nPlan for project 'driver_ranking' at revision 7: 1 to create");
    expect(s.calls[0]).toMatchObject({ method: 'POST', path: '/api/capstan/v1/features/plan', body: { definition: { project: 'driver_ranking' } } });
    expect((await runCli(['features', 'plan', FIXTURE, '--json'], {}, s.deps)).stdout).toBe(`${JSON.stringify(CREATE, null, 2)}\n`);
  });

  it('applies with --yes, sending the revision the plan was computed against', async () => {
    const s = server(applied);
    const r = await runCli(['features', 'apply', FIXTURE, '--yes'], {}, s.deps);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Applied project 'driver_ranking': revision 8 (1 created, 0 updated, 0 deleted).");
    const [planned, apply] = s.calls;
    expect(apply).toMatchObject({ path: '/api/capstan/v1/features/apply', body: { base_revision: 7, definition: (planned!.body as { definition: object }).definition } });
    expect(apply!.body).not.toHaveProperty('allow_deletes');
  });

  it('refuses without a terminal to confirm on, and asks when there is one', async () => {
    const s = server(applied);
    const refused = await runCli(['features', 'apply', FIXTURE], {}, s.deps);
    expect(refused).toMatchObject({ code: 1, stderr: 'error: INVALID_ARGUMENT: stdin is not a terminal, so the plan cannot be confirmed: pass --yes to apply it\n' });
    expect(s.calls.map((c) => c.path)).toEqual(['/api/capstan/v1/features/plan']);

    for (const answer of [false, true]) {
      const asked: string[] = [];
      const out: string[] = [];
      const ctx = { io: { stdout: (t: string) => out.push(t), stderr: () => undefined, env: {} }, client: s.client } as unknown as CommandContext;
      const program = new Command().exitOverride();
      registerFeatures(program, ctx, () => async (question) => (asked.push(question), answer));
      const run = program.parseAsync(['features', 'apply', FIXTURE], { from: 'user' });
      if (answer) await run;
      else expect(describeError(await run.catch((e: unknown) => e))).toBe('error: CANCELLED: apply cancelled; nothing changed');
      expect(asked).toEqual(["Apply this plan to project 'driver_ranking'? [y/N] "]);
    }
    expect(s.calls.filter((c) => c.path.endsWith('/apply'))).toHaveLength(1);
  });

  it('refuses a plan with deletions unless --allow-deletes, before calling apply', async () => {
    const deleting = plan([{ kind: 'feature_view', name: 'old', action: 'delete' }]);
    const s = server((call) => (call.path.endsWith('/plan') ? deleting : { project: 'driver_ranking', revision: 8, changes: deleting.changes }));
    const refused = await runCli(['features', 'apply', FIXTURE, '--yes'], {}, s.deps);
    expect(refused).toMatchObject({ code: 1, stderr: 'error: INVALID_ARGUMENT: the plan deletes feature_view old; pass --allow-deletes to apply it\n' });
    expect(s.calls).toHaveLength(1);
    expect((await runCli(['features', 'apply', FIXTURE, '--yes', '--allow-deletes'], {}, s.deps)).code).toBe(0);
    expect(s.calls[2]!.body).toMatchObject({ allow_deletes: true });
  });

  it('applies nothing when nothing changes', async () => {
    const s = server(() => plan([{ kind: 'entity', name: 'driver', action: 'unchanged' }]));
    expect(await runCli(['features', 'apply', FIXTURE, '--yes'], {}, s.deps)).toMatchObject({ code: 0, stderr: 'Nothing to apply.\n' });
    expect(s.calls).toHaveLength(1);
  });

  it('explains a conflict with another apply', async () => {
    const s = server((call) =>
      call.path.endsWith('/plan') ? CREATE : new Response(JSON.stringify({ error_code: 'RESOURCE_CONFLICT', message: 'at revision 9, not 7' }), { status: 409 }),
    );
    const r = await runCli(['features', 'apply', FIXTURE, '--yes'], {}, s.deps);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "error: RESOURCE_CONFLICT: project 'driver_ranking' changed since the plan (revision 7): nothing was applied; run the command again to see the new plan (at revision 9, not 7)\n",
    );
  });

  it('reports a bad repository before any call', async () => {
    const s = server(() => ({}));
    await writeFile(join(work, 'bad.yaml'), 'project: p\n---\nkind: FeatureView\nname: v\nentities: [ghost]\nsource: s\nschema: { x: int64 }\n');
    const r = await runCli(['features', 'plan', join(work, 'bad.yaml')], {}, s.deps);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: INVALID_ARGUMENT: ${join(work, 'bad.yaml')}: 2 problems in the feature repository:\n  - feature view 'v': entity 'ghost' is not defined\n  - feature view 'v': source 's' is not defined\n`,
    );
    expect(s.calls).toEqual([]);
  });
});

describe('capstan features lookups and materialization', () => {
  it('looks features up online and prints one row per entity', async () => {
    const response = {
      metadata: { feature_names: ['driver_id', 'conv_rate'] },
      results: [
        { values: [1001, 1002], statuses: ['PRESENT', 'PRESENT'], event_timestamps: ['1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z'] },
        { values: [0.5, null], statuses: ['PRESENT', 'NOT_FOUND'], event_timestamps: ['2024-05-01T00:00:00Z', '1970-01-01T00:00:00Z'] },
      ],
    };
    const s = server(() => response);
    const r = await runCli(['features', 'online', 'driver_ranking', '--features', 'driver_hourly_stats:conv_rate', '--entity', 'driver_id=1001,1002'], {}, s.deps);
    expect(r).toMatchObject({ code: 0, stdout: 'DRIVER_ID  CONV_RATE\n1001       0.5\n1002       (NOT_FOUND)\n' });
    expect(s.calls[0]).toEqual({
      method: 'POST',
      path: '/feature-server/driver_ranking/get-online-features',
      body: { entities: { driver_id: [1001, 1002] }, features: ['driver_hourly_stats:conv_rate'] },
    });
    await runCli(['features', 'online', 'driver_ranking', '--service', 'driver_activity', '--entity', 'driver_id=1', '--entity', 'val_to_add=2', '--full-names', '--json'], {}, s.deps);
    expect(s.calls[1]!.body).toEqual({ entities: { driver_id: [1], val_to_add: [2] }, feature_service: 'driver_activity', full_feature_names: true });
  });

  it('needs exactly one of --service and --features, and entity columns of one length', async () => {
    const s = server(() => ({}));
    const run = (...args: string[]) => runCli(['features', 'online', 'p', ...args], {}, s.deps);
    expect((await run('--entity', 'a=1')).stderr).toBe('error: INVALID_ARGUMENT: pass --service NAME or --features view:feature,...\n');
    expect((await run('--service', 's', '--features', 'v:f', '--entity', 'a=1')).stderr).toBe('error: INVALID_ARGUMENT: pass either --service or --features, not both\n');
    expect((await run('--service', 's', '--entity', 'a=1,2', '--entity', 'b=1')).stderr).toBe('error: INVALID_ARGUMENT: --entity: the columns have different lengths (a: 2, b: 1)\n');
    expect((await run('--features', 'nocolon', '--entity', 'a=1')).code).toBe(1);
    expect(s.calls).toEqual([]);
  });

  it('retrieves historical features from a CSV entity table into a CSV file, and saves datasets', async () => {
    const entities = join(work, 'entities.csv');
    await writeFile(entities, 'driver_id,event_timestamp\n1001,2024-05-01T00:00:00Z\n');
    const dataset = { name: 'train', version: 2, digest: 'abc', row_count: 1, uri: 'runs:/r1/datasets/train', features: [], registry_revision: 8, run_id: 'r1', created_at: '2024-05-02T00:00:00Z' };
    const s = server((call) => ({
      columns: ['driver_id', 'event_timestamp', 'conv_rate'],
      row_count: 1,
      ...((call.body as { return_rows?: boolean }).return_rows === false ? {} : { values: { driver_id: [1001], event_timestamp: ['2024-05-01T00:00:00Z'], conv_rate: [0.5] } }),
      ...((call.body as { save_as?: object }).save_as ? { dataset } : {}),
    }));
    const out = join(work, 'train.csv');
    const r = await runCli(['features', 'historical', 'driver_ranking', '--service', 'driver_activity', '--entities', entities, '--out', out], {}, s.deps);
    expect(r).toMatchObject({ code: 0, stderr: `Wrote 1 rows to ${out}\n`, stdout: '' });
    expect(await readFile(out, 'utf8')).toBe('driver_id,event_timestamp,conv_rate\n1001,2024-05-01T00:00:00Z,0.5\n');
    expect(s.calls[0]).toEqual({
      method: 'POST',
      path: '/api/capstan/v1/features/projects/driver_ranking/historical-features',
      body: { entity_rows: { driver_id: [1001], event_timestamp: ['2024-05-01T00:00:00Z'] }, feature_service: 'driver_activity' },
    });

    const saved = await runCli(['features', 'historical', 'driver_ranking', '--features', 'v:f', '--entities', entities, '--save-as', 'train', '--run-id', 'r1'], {}, s.deps);
    expect(saved.stdout).toBe("Saved training dataset 'train' version 2: 1 rows, sha256 abc, runs:/r1/datasets/train, logged to run r1\n");
    expect(s.calls[1]!.body).toMatchObject({ features: ['v:f'], save_as: { name: 'train', run_id: 'r1' }, return_rows: false });

    const printed = await runCli(['features', 'historical', 'driver_ranking', '--features', 'v:f', '--entities', entities], {}, s.deps);
    expect(printed.stdout).toBe('DRIVER_ID  EVENT_TIMESTAMP       CONV_RATE\n1001       2024-05-01T00:00:00Z  0.5\n');
    expect((await runCli(['features', 'historical', 'p', '--features', 'v:f', '--entities', entities, '--run-id', 'r1'], {}, s.deps)).stderr).toBe('error: INVALID_ARGUMENT: --run-id needs --save-as\n');
  });

  it('materializes ranges and reads times as UTC', async () => {
    const s = server(() => ({ views: [{ view: 'driver_hourly_stats', start: '2024-05-01T00:00:00Z', end: '2024-05-02T00:00:00Z', rows: 42 }] }));
    const r = await runCli(['features', 'materialize', 'driver_ranking', '2024-05-01', '2024-05-02T00:00:00', '--views', 'driver_hourly_stats'], {}, s.deps);
    expect(r.stdout).toBe('VIEW                 START                 END                   ROWS\ndriver_hourly_stats  2024-05-01T00:00:00Z  2024-05-02T00:00:00Z  42\n');
    expect(s.calls[0]).toMatchObject({ path: '/feature-server/driver_ranking/materialize', body: { start_ts: '2024-05-01T00:00:00.000Z', end_ts: '2024-05-02T00:00:00.000Z', feature_views: ['driver_hourly_stats'] } });
    await runCli(['features', 'materialize-incremental', 'driver_ranking', 'now'], {}, s.deps);
    expect(s.calls[1]).toMatchObject({ path: '/feature-server/driver_ranking/materialize-incremental', body: { end_ts: expect.stringMatching(/^\d{4}-/) } });
    expect((await runCli(['features', 'materialize', 'p', 'yesterday', 'now'], {}, s.deps)).stderr).toBe(
      "error: INVALID_ARGUMENT: START: expected an ISO 8601 time such as 2024-05-01T00:00:00Z, or now; got 'yesterday'\n",
    );
  });

  it('lists projects and prints a view status', async () => {
    const s = server((call) =>
      call.path.endsWith('/projects')
        ? { projects: [{ project: 'driver_ranking', workspace: 'default', revision: 8, updated_at: Date.UTC(2024, 4, 1) }] }
        : { view: 'v', online: true, newest_event_time: '2024-05-01T00:00:00Z', staleness_seconds: 7200.4, freshness_sla_seconds: 3600, stale: true, materializations: [{ start: 'a', end: 'b', rows: 3, finished_at: 'c' }] },
    );
    expect((await runCli(['features', 'list'], {}, s.deps)).stdout).toBe('PROJECT         WORKSPACE  REVISION  UPDATED\ndriver_ranking  default    8         2024-05-01T00:00:00Z\n');
    const status = await runCli(['features', 'status', 'driver_ranking', 'v'], {}, s.deps);
    expect(status.stdout).toContain('staleness           2h\nfreshness_sla       1h\nstale               yes\n\nMaterializations\nSTART  END  ROWS  FINISHED\na      b    3     c\n');
    expect(s.calls[1]!.path).toBe('/api/capstan/v1/features/projects/driver_ranking/feature-views/v/status');
  });
});
