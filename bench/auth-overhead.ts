/**
 * What authentication, authorization and the audit trail cost per request. Two servers on the same
 * kind of store: one with auth off (the baseline, measured in the same run) and one with `--auth`.
 * The caller is an ordinary user (an editor of the default workspace, owner of the experiment), so
 * every request pays the full path: credential, groups, the run's experiment, the grant.
 * Interleaved rounds (the order rotates each round) of:
 *   - runs/get (a read: credential check + READ on the run's experiment),
 *   - runs/log-batch with 10 metrics (a write: the same, plus an audit entry),
 * sent by `concurrency` clients, with an API token (Bearer) and with Basic credentials (scrypt,
 * then the verification cache). Reports p50/p95 latency and throughput of each.
 *
 *   npx tsx bench/auth-overhead.ts [--store sqlite|postgres] [--requests 2000] [--rounds 3] [--concurrency 4]
 */
import { parseBenchArgs } from './lib/args.js';
import { HttpClient, runPool } from './lib/http.js';
import { emit, progress } from './lib/log.js';
import { machineInfo } from './lib/machine.js';
import { createExperiment, createRun, rpcPath } from './lib/mlflow.js';
import { startCapstan, type BenchServer } from './lib/server.js';
import { round, summarize, type Summary } from './lib/stats.js';
import { createBenchStore, type BenchStore } from './lib/store.js';

/** Target: authentication and authorization add at most this much to a read's median latency. */
const TARGET_READ_OVERHEAD_MS = 1;
/** Target: auth plus the audit entry add at most this much to a log-batch's median latency. */
const TARGET_WRITE_OVERHEAD_MS = 2;
const ADMIN = 'bench-admin';
const PASSWORD = 'bench-admin-password';
const USER = 'bench-user';
const USER_PASSWORD = 'bench-user-password';

const args = parseBenchArgs({ requests: 2000, rounds: 3, concurrency: 4, warmup: 200 });
const { requests, rounds, concurrency, warmup } = args.numbers;

interface Target {
  label: string;
  http: HttpClient;
  runId: string;
}

async function startServer(store: BenchStore, auth: boolean): Promise<BenchServer> {
  return startCapstan({
    backendStoreUri: store.uri,
    artifactsDir: `${store.dir}/artifacts`,
    ...(auth ? { extraArgs: ['--auth'], env: { CAPSTAN_ADMIN_USERNAME: ADMIN, CAPSTAN_ADMIN_PASSWORD: PASSWORD } } : {}),
  });
}

async function prepare(label: string, url: string, headers: Record<string, string>): Promise<Target> {
  const http = new HttpClient(url, concurrency, headers);
  const experimentId = await createExperiment(http, `auth-bench-${label}`);
  return { label, http, runId: await createRun(http, experimentId, 'bench', Date.now()) };
}

async function measure(target: Target, kind: 'read' | 'write', count: number): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let step = 0;
  const started = performance.now();
  await runPool(count, concurrency, async () => {
    const res =
      kind === 'read'
        ? await target.http.get(`${rpcPath('getRun')}?run_id=${target.runId}`)
        : await target.http.post(rpcPath('logBatch'), {
            run_id: target.runId,
            metrics: Array.from({ length: 10 }, (_, k) => ({ key: `m${k}`, value: Math.random(), timestamp: Date.now(), step: step++ })),
          });
    latencies.push(res.ms);
  });
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

async function main(): Promise<void> {
  const machine = await machineInfo(args.waitQuiet);
  const stores = [await createBenchStore(args.store), await createBenchStore(args.store)];
  const servers = [await startServer(stores[0]!, false), await startServer(stores[1]!, true)];
  try {
    const open = servers[0]!.url;
    const secured = servers[1]!.url;
    const basicHeader = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    const admin = new HttpClient(secured, 1, { authorization: basicHeader(ADMIN, PASSWORD) });
    await admin.post('/api/capstan/v1/users', { username: USER, password: USER_PASSWORD });
    await admin.send('PUT', '/api/capstan/v1/workspaces/default/members', JSON.stringify({ user: USER, role: 'editor' }));
    const token = (JSON.parse((await admin.post('/api/capstan/v1/tokens', { user: USER, name: 'bench', scopes: ['read', 'write'] })).text) as { token: string }).token;
    const targets = [
      await prepare('off', open, {}),
      await prepare('token', secured, { authorization: `Bearer ${token}` }),
      await prepare('basic', secured, { authorization: basicHeader(USER, USER_PASSWORD) }),
    ];
    const samples = new Map<string, { latencies: number[]; seconds: number; count: number }>();
    for (const target of targets) for (const kind of ['read', 'write'] as const) await measure(target, kind, warmup);
    for (let r = 0; r < rounds; r++) {
      progress(`${args.store}: round ${r + 1}/${rounds}`);
      for (const kind of ['read', 'write'] as const) {
        for (const target of [...targets.slice(r % targets.length), ...targets.slice(0, r % targets.length)]) {
          const key = `${kind}:${target.label}`;
          const result = await measure(target, kind, requests);
          const acc = samples.get(key) ?? { latencies: [], seconds: 0, count: 0 };
          acc.latencies.push(...result.latencies);
          acc.seconds += result.seconds;
          acc.count += requests;
          samples.set(key, acc);
        }
      }
    }
    const stats: Record<string, Summary & { perSecond: number }> = {};
    for (const [key, acc] of samples) stats[key] = { ...summarize(acc.latencies), perSecond: round(acc.count / acc.seconds) };
    const overhead = (kind: string, label: string) => round(stats[`${kind}:${label}`]!.p50 - stats[`${kind}:off`]!.p50);
    const results = {
      read: { token: stats['read:token'], basic: stats['read:basic'], p50OverheadMs: { token: overhead('read', 'token'), basic: overhead('read', 'basic') } },
      write: { token: stats['write:token'], basic: stats['write:basic'], p50OverheadMs: { token: overhead('write', 'token'), basic: overhead('write', 'basic') } },
    };
    const pass =
      Math.max(results.read.p50OverheadMs.token, results.read.p50OverheadMs.basic) <= TARGET_READ_OVERHEAD_MS &&
      Math.max(results.write.p50OverheadMs.token, results.write.p50OverheadMs.basic) <= TARGET_WRITE_OVERHEAD_MS;
    emit({
      benchmark: 'auth-overhead',
      store: args.store,
      machine,
      date: new Date().toISOString(),
      results,
      baseline: { read: stats['read:off'], write: stats['write:off'] },
      target: { readP50OverheadMs: TARGET_READ_OVERHEAD_MS, writeP50OverheadMs: TARGET_WRITE_OVERHEAD_MS },
      pass,
      notes: [`${concurrency} concurrent clients, ${rounds} interleaved rounds of ${requests} requests each; log-batch carries 10 metrics`],
    });
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await Promise.all(stores.map((s) => s.cleanup()));
  }
}

await main();
