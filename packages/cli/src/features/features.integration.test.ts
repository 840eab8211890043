import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@capstan/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support/run-cli.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

const FIXTURE = fileURLToPath(new URL('./test-support/driver-repo', import.meta.url));
const HOUR = 3_600_000;
// Whole hours, as the server prints times: RFC 3339 without a fraction.
const base = Math.floor(Date.now() / HOUR) * HOUR - 6 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

let server: TestServer;
let root: string;
let work: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'capstan-cli-features-offline-'));
  work = await mkdtemp(join(tmpdir(), 'capstan-cli-features-'));
  const row = (id: number, at: number, values: string) => `${id},${iso(at)},${iso(at)},${values}`;
  const rows = ['driver_id,event_timestamp,created,conv_rate,acc_rate,avg_daily_trips', row(1001, base, '0.25,0.5,10'), row(1001, base + 2 * HOUR, '0.75,0.875,20'), row(1002, base + HOUR, '0.5,0.25,30')];
  await writeFile(join(root, 'driver_stats.csv'), `${rows.join('\n')}\n`);
  // No scheduler: the only materializations are the ones the tests ask for.
  server = await startTestServer({ features: { ...loadConfig({ env: {} }).features, offlineStoreUri: root, schedulerEnabled: false } });
});
afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

const capstan = (...argv: string[]) => runCli(argv, { env: { CAPSTAN_URL: server.url } });

/** `capstan features` against a real server: the fixture repository (TypeScript through tsx, and YAML) from plan to delete. */
describe('capstan features', () => {
  it('plans, refuses to apply unconfirmed, then applies exactly once', async () => {
    const plan = await capstan('features', 'plan', FIXTURE);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('CREATE  on_demand_feature_view  transformed_conv_rate');
    expect(plan.stdout).toContain("Plan for project 'driver_ranking' at revision 0: 7 to create, 0 to update, 0 to delete, 0 unchanged.");

    expect(await capstan('features', 'apply', FIXTURE)).toMatchObject({ code: 1, stderr: expect.stringContaining('pass --yes to apply it') });
    expect((await capstan('features', 'list')).stdout).toBe('PROJECT  WORKSPACE  REVISION  UPDATED\n');

    const applied = await capstan('features', 'apply', FIXTURE, '--yes');
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain("Applied project 'driver_ranking': revision 1 (7 created, 0 updated, 0 deleted).");
    expect(await capstan('features', 'apply', FIXTURE, '--yes')).toMatchObject({ code: 0, stderr: 'Nothing to apply.\n' });

    expect((await capstan('features', 'list')).stdout).toMatch(/^PROJECT\s+WORKSPACE\s+REVISION\s+UPDATED\ndriver_ranking\s+default\s+1\s+\d{4}-/);
    const project = JSON.parse((await capstan('features', 'get', 'driver_ranking')).stdout) as { revision: number; definition: { feature_services: { name: string }[] } };
    expect(project.revision).toBe(1);
    expect(project.definition.feature_services.map((s) => s.name)).toEqual(['driver_trips', 'driver_activity']);
  });

  it('materializes, reports freshness and serves online, running the tsx-compiled transformation on the server', async () => {
    const materialized = await capstan('features', 'materialize', 'driver_ranking', iso(base - HOUR), iso(base + 3 * HOUR));
    expect(materialized.stdout).toBe(`VIEW                 START                 END                   ROWS\ndriver_hourly_stats  ${iso(base - HOUR)}  ${iso(base + 3 * HOUR)}  2\n`);
    expect((await capstan('features', 'status', 'driver_ranking', 'driver_hourly_stats')).stdout).toContain(`newest_event_time   ${iso(base + 2 * HOUR)}\n`);

    const online = await capstan('features', 'online', 'driver_ranking', '--service', 'driver_activity', '--entity', 'driver_id=1001,9999', '--entity', 'val_to_add=1,2');
    expect(online.code, online.stderr).toBe(0);
    expect(online.stdout).toBe(
      'DRIVER_ID  CONV_RATE    ACC_RATE     CONV_RATE_PLUS_VAL\n1001       0.75         0.875        1.75\n9999       (NOT_FOUND)  (NOT_FOUND)  (NULL_VALUE)\n',
    );
    const json = JSON.parse((await capstan('features', 'online', 'driver_ranking', '--features', 'driver_hourly_stats:avg_daily_trips', '--entity', 'driver_id=1002', '--full-names', '--json')).stdout) as object;
    expect(json).toMatchObject({ metadata: { feature_names: ['driver_id', 'driver_hourly_stats__avg_daily_trips'] }, results: [{ values: [1002] }, { values: [30] }] });
  });

  it('retrieves point-in-time features into a CSV file and saves the training dataset', async () => {
    const entities = join(work, 'entities.csv');
    await writeFile(entities, `driver_id,event_timestamp,val_to_add\n1001,${iso(base + HOUR)},1\n1001,${iso(base + 3 * HOUR)},1\n`);
    const out = join(work, 'train.csv');
    const r = await capstan('features', 'historical', 'driver_ranking', '--service', 'driver_activity', '--entities', entities, '--out', out, '--save-as', 'driver_training');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(`Wrote 2 rows to ${out}\n`);
    expect(r.stdout).toMatch(/^Saved training dataset 'driver_training' version 1: 2 rows, sha256 [0-9a-f]{64}, /);
    const [header, ...lines] = (await readFile(out, 'utf8')).trim().split('\n');
    expect(header!.split(',')).toEqual(expect.arrayContaining(['driver_id', 'event_timestamp', 'val_to_add', 'conv_rate', 'acc_rate', 'conv_rate_plus_val']));
    const column = (name: string) => lines.map((l) => l.split(',')[header!.split(',').indexOf(name)]);
    expect(column('conv_rate')).toEqual(['0.25', '0.75']);
    expect(column('conv_rate_plus_val')).toEqual(['1.25', '1.75']);
  });

  it('refuses a plan that deletes objects unless --allow-deletes, then deletes the project', async () => {
    // The repository without its second service, in the wire form `get` prints (JSON is YAML).
    const { definition } = JSON.parse((await capstan('features', 'get', 'driver_ranking')).stdout) as { definition: { feature_services: { name: string }[] } };
    const yaml = join(work, 'fewer.yaml');
    await writeFile(yaml, JSON.stringify({ ...definition, feature_services: definition.feature_services.filter((s) => s.name !== 'driver_trips') }));

    const refused = await capstan('features', 'apply', yaml, '--yes');
    expect(refused).toMatchObject({ code: 1, stderr: 'error: INVALID_ARGUMENT: the plan deletes feature_service driver_trips; pass --allow-deletes to apply it\n' });
    expect(refused.stdout).toContain('DELETE     feature_service         driver_trips');
    const applied = await capstan('features', 'apply', yaml, '--yes', '--allow-deletes');
    expect(applied.stdout).toContain("Applied project 'driver_ranking': revision 2 (0 created, 0 updated, 1 deleted).");

    expect(await capstan('features', 'delete', 'driver_ranking')).toMatchObject({ code: 0, stderr: "Deleted feature project 'driver_ranking'\n" });
    expect((await capstan('features', 'get', 'driver_ranking')).stderr).toMatch(/^error: RESOURCE_DOES_NOT_EXIST: /);
  });
});
