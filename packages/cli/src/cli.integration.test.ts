import type { Experiment, Run } from '@capstan/contracts';
import { CapstanClient } from '@capstan/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './test-support/run-cli.js';
import { startTestServer, type TestServer } from './test-support/test-server.js';

let server: TestServer;
let runId: string;
beforeAll(async () => {
  server = await startTestServer();
  const client = new CapstanClient({ url: server.url, env: {} });
  const run = await client.startRun({ experimentName: 'cli-demo', runName: 'baseline' });
  run.logParams({ lr: 0.01, epochs: 2 }).logMetric('rmse', 0.75, { step: 1 }).setTag('team', 'ml');
  await run.end();
  runId = run.runId;
  const second = await client.startRun({ experimentName: 'cli-demo', runName: 'tuned' });
  second.logMetric('rmse', 0.5, { step: 1 });
  await second.end();
});
afterAll(async () => {
  await server.close();
});

/** Runs `capstan` in-process against the test server, configured through the environment as a user would. */
const capstan = (...argv: string[]) => runCli(argv, { env: { CAPSTAN_URL: server.url } });

describe('capstan against a real server', () => {
  it('creates an experiment with tags and lists it as a table', async () => {
    const created = await capstan('experiments', 'create', 'from-cli', '--tag', 'owner=me', '--tag', 'purpose=test');
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toMatch(/^Created experiment 'from-cli' with ID \S+\n$/);

    const listed = await capstan('experiments', 'list', '--filter', "name = 'from-cli'");
    expect(listed.code).toBe(0);
    const [header, row, extra] = listed.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^EXPERIMENT ID\s+NAME\s+STAGE\s+CREATED\s+ARTIFACT LOCATION$/);
    expect(row).toMatch(/^\S+\s+from-cli\s+active\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\s+\S+$/);
    expect(extra).toBeUndefined();
  });

  it('lists experiments as JSON API objects, honouring --view and --max-results', async () => {
    const json = await capstan('experiments', 'list', '--json', '--filter', "name = 'from-cli'");
    const experiments = JSON.parse(json.stdout) as Experiment[];
    expect(experiments).toEqual([expect.objectContaining({ name: 'from-cli', lifecycle_stage: 'active' })]);
    expect(experiments[0]?.tags).toEqual(expect.arrayContaining([{ key: 'owner', value: 'me' }]));

    const deleted = await capstan('experiments', 'list', '--view', 'deleted', '--json');
    expect(JSON.parse(deleted.stdout)).toEqual([]);

    const one = await capstan('experiments', 'list', '--json', '--max-results', '1');
    expect(JSON.parse(one.stdout)).toHaveLength(1);
  });

  it('lists runs by experiment name, ordered, as a table and as JSON', async () => {
    const table = await capstan('runs', 'list', '--experiment-name', 'cli-demo', '--order-by', 'metrics.rmse ASC');
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^RUN ID\s+NAME\s+STATUS\s+STARTED\s+DURATION$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/)[1])).toEqual(['tuned', 'baseline']);
    expect(lines[2]).toMatch(new RegExp(`^${runId}\\s+baseline\\s+FINISHED\\s+\\S+Z\\s+\\d+\\.\\ds$`));

    const json = await capstan('runs', 'list', '--experiment-name', 'cli-demo', '--filter', 'metrics.rmse > 0.6', '--json');
    const runs = JSON.parse(json.stdout) as Run[];
    expect(runs.map((r) => r.info.run_id)).toEqual([runId]);
  });

  it('describes a run as sections and as the raw run object', async () => {
    const text = await capstan('runs', 'describe', runId);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`run_id\\s+${runId}\\n`));
    expect(text.stdout).toMatch(/Params\nKEY\s+VALUE\nepochs\s+2\nlr\s+0\.01\n/);
    expect(text.stdout).toMatch(/Metrics \(latest\)\nKEY\s+VALUE\s+STEP\s+TIMESTAMP\nrmse\s+0\.75\s+1\s+/);
    expect(text.stdout).toMatch(/\nteam\s+ml\n/);

    const json = await capstan('runs', 'describe', runId, '--json');
    const run = JSON.parse(json.stdout) as Run;
    expect(run.info).toMatchObject({ run_id: runId, run_name: 'baseline', status: 'FINISHED' });
    expect(run.data.params).toEqual(expect.arrayContaining([{ key: 'lr', value: '0.01' }]));
  });

  it('prints server errors as `error: CODE: message` and exits 1', async () => {
    const missing = await capstan('runs', 'describe', 'f'.repeat(32));
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/^error: RESOURCE_DOES_NOT_EXIST: .+\n$/);

    const noExperiment = await capstan('runs', 'list', '--experiment-name', 'no-such-experiment');
    expect(noExperiment.code).toBe(1);
    expect(noExperiment.stderr).toMatch(/^error: RESOURCE_DOES_NOT_EXIST: /);

    const duplicate = await capstan('experiments', 'create', 'cli-demo');
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/^error: RESOURCE_ALREADY_EXISTS: /);
  });
});
