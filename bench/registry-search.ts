/**
 * search-registered-models and search-model-versions over 10,000 models with 10 versions each
 * (100,000 versions), one tag per model and per version. The catalogue is written straight into
 * the store with the raw driver (through the API it would take longer than the measurement); the
 * server created the schema. Measured through HTTP, 100 per page:
 *   - models: `name LIKE 'model-01%'` ordered by `last_updated_timestamp DESC`, first page + 4 more;
 *     and the MLflow 3 client's default ``tags.`mlflow.prompt.is_prompt` != 'true'``;
 *   - versions: `name = 'model-04242'`, and `run_id IN (...)` across models, first page + 4 more.
 * Baseline, interleaved: the same first page of model ids by the raw driver (`ORDER BY name LIMIT 100`).
 *
 *   npx tsx bench/registry-search.ts [--store sqlite|postgres] [--models 10000] [--versions 10] [--iterations 30]
 */
import type { SearchModelVersionsResponse, SearchRegisteredModelsResponse } from './lib/registry-types.js';
import { parseBenchArgs } from './lib/args.js';
import { HttpClient } from './lib/http.js';
import { emit, progress } from './lib/log.js';
import { machineInfo } from './lib/machine.js';
import { openRaw, type RawDb } from './lib/raw.js';
import { startCapstan } from './lib/server.js';
import { round, summarize } from './lib/stats.js';
import { createBenchStore } from './lib/store.js';

const TARGET_P50_MS = 50;
const PAGE = 100;
const args = parseBenchArgs({ models: 10_000, versions: 10, iterations: 30, warmup: 3, pages: 5 });
const { models, versions, iterations, warmup, pages } = args.numbers;

const modelName = (i: number) => `model-${String(i).padStart(5, '0')}`;

/** Inserts rows in multi-row statements of `chunk` rows, inside one transaction per call. */
async function insertRows(raw: RawDb, table: string, columns: string[], rows: unknown[][], chunk = 500): Promise<void> {
  await raw.all('begin');
  for (let i = 0; i < rows.length; i += chunk) {
    const slice = rows.slice(i, i + chunk);
    const placeholders = slice.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ');
    await raw.all(`insert into ${table} (${columns.join(', ')}) values ${placeholders}`, slice.flat());
  }
  await raw.all('commit');
}

async function seed(raw: RawDb): Promise<void> {
  const t0 = 1_700_000_000_000;
  const modelRows = Array.from({ length: models }, (_, i) => [i + 1, modelName(i), 'default', `model ${i}`, t0 + i, t0 + ((i * 7919) % models), 'bench']);
  await insertRows(raw, 'registered_models', ['model_id', 'name', 'workspace', 'description', 'creation_timestamp', 'last_updated_timestamp', 'created_by'], modelRows);
  await insertRows(raw, 'registered_model_tags', ['model_id', 'key', 'value'], Array.from({ length: models }, (_, i) => [i + 1, 'team', `team-${i % 20}`]));
  const versionRows: unknown[][] = [];
  const versionTags: unknown[][] = [];
  for (let m = 0; m < models; m++) {
    for (let v = 1; v <= versions; v++) {
      versionRows.push([m + 1, v, t0 + m * versions + v, t0 + m * versions + v, 'bench', v === versions ? 'Production' : 'None', null, `s3://models/${m}/${v}`, `run-${(m * versions + v) % 5000}`, null, 'READY', null, 0]);
      versionTags.push([m + 1, v, 'validated', v % 2 ? 'true' : 'false']);
    }
  }
  const versionColumns = ['model_id', 'version', 'creation_timestamp', 'last_updated_timestamp', 'user_id', 'current_stage', 'description', 'source', 'run_id', 'run_link', 'status', 'status_message', 'deleted'];
  await insertRows(raw, 'model_versions', versionColumns, versionRows);
  await insertRows(raw, 'model_version_tags', ['model_id', 'version', 'key', 'value'], versionTags);
}

async function pagesOf<T extends { next_page_token?: string }>(http: HttpClient, path: string, query: Record<string, string | string[]>): Promise<{ ms: number[]; bodies: T[] }> {
  const ms: number[] = [];
  const bodies: T[] = [];
  let token: string | undefined;
  for (let p = 0; p < pages; p++) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
    if (token) params.set('page_token', token);
    const res = await http.get(`${path}?${params}`);
    ms.push(res.ms);
    const body = JSON.parse(res.text) as T;
    bodies.push(body);
    token = body.next_page_token;
    if (!token) break;
  }
  return { ms, bodies };
}

async function main(): Promise<void> {
  const machine = await machineInfo(args.waitQuiet);
  const store = await createBenchStore(args.store);
  const server = await startCapstan({ backendStoreUri: store.uri, artifactsDir: `${store.dir}/artifacts` });
  const http = new HttpClient(server.url, 1);
  const raw = openRaw(store);
  try {
    progress(`${args.store}: seeding ${models} models x ${versions} versions`);
    const seedStart = performance.now();
    await seed(raw);
    if (args.store === 'postgres') {
      await raw.all(`select setval(pg_get_serial_sequence('registered_models', 'model_id'), ${models})`);
      await raw.all('analyze');
    } else {
      await raw.all('analyze');
    }
    progress(`${args.store}: seeded in ${round((performance.now() - seedStart) / 1000)} s`);

    const runIds = Array.from({ length: 20 }, (_, i) => `run-${i * 97}`);
    const scenarios = {
      modelsByNameLike: () => pagesOf<SearchRegisteredModelsResponse>(http, '/api/2.0/mlflow/registered-models/search', { filter: "name LIKE 'model-01%'", order_by: ['last_updated_timestamp DESC'], max_results: String(PAGE) }),
      modelsNotPrompts: () => pagesOf<SearchRegisteredModelsResponse>(http, '/api/2.0/mlflow/registered-models/search', { filter: "tags.`mlflow.prompt.is_prompt` != 'true'", max_results: String(PAGE) }),
      versionsOfOneModel: () => pagesOf<SearchModelVersionsResponse>(http, '/api/2.0/mlflow/model-versions/search', { filter: `name = '${modelName(4242)}'`, max_results: String(PAGE) }),
      versionsByRunIds: () => pagesOf<SearchModelVersionsResponse>(http, '/api/2.0/mlflow/model-versions/search', { filter: `run_id IN (${runIds.map((r) => `'${r}'`).join(', ')})`, max_results: String(PAGE) }),
    };
    const samples: Record<string, number[]> = Object.fromEntries(Object.keys(scenarios).map((k) => [k, []]));
    const baseline: number[] = [];
    let checked = false;
    for (let i = 0; i < warmup + iterations; i++) {
      for (const [name, run] of Object.entries(scenarios)) {
        const { ms, bodies } = await run();
        const first = bodies[0] as SearchRegisteredModelsResponse | undefined;
        if (!checked && name === 'modelsByNameLike' && (first?.registered_models?.length ?? 0) !== PAGE) throw new Error('first page is not full');
        if (i >= warmup) samples[name]!.push(...ms);
      }
      const started = performance.now();
      await raw.all('select model_id from registered_models order by name limit 100 offset 0');
      if (i >= warmup) baseline.push(performance.now() - started);
      checked = true;
    }
    const results = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)]));
    const worstP50 = Math.max(...Object.values(results).map((s) => s.p50));
    emit({
      benchmark: 'registry-search',
      store: args.store,
      machine,
      date: new Date().toISOString(),
      results: { models, versions: models * versions, pageSize: PAGE, pagesPerIteration: pages, ...results, worstP50 },
      baseline: { rawFirstPageOfModelIds: summarize(baseline) },
      target: { p50MsPerPage: TARGET_P50_MS, appliesTo: 'sqlite' },
      pass: worstP50 < TARGET_P50_MS,
    });
  } finally {
    await raw.close();
    await server.stop();
    await store.cleanup();
  }
}

await main();
