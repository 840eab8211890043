import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../../../adapters/sql/migrate.js';
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../../adapters/sql/test-support/test-databases.js';
import { installErrorHandling } from '../../../../app/http/error-handler.js';
import type { AccessRule } from '../../../security/index.js';
import { InferenceLogWriter } from '../inference-log-writer.js';
import { inferenceLogSchema } from '../migrations/0010-inference-log.js';
import { sqlInferenceLogSink } from '../sql-inference-log-sink.js';
import type { InferenceLogTables } from '../tables.js';
import { MAX_WINDOW_LIMIT, registerLabelRoutes } from './label-routes.js';
import { MAX_LABELS_PER_CALL } from './label-body.js';

const API = '/api/capstan/v1/deployments';
const T0 = 1_700_000_000_000;
const LABELED_AT = T0 + 60_000;

describe.each(TEST_DIALECTS)('label and inference log routes on %s', (dialect) => {
  let t: TestDatabase<InferenceLogTables>;
  let app: FastifyInstance;
  const rules: { write: AccessRule; read: AccessRule } = { write: { kind: 'public' }, read: { kind: 'public' } };
  const registeredRules = new Map<string, unknown>();

  beforeAll(async () => {
    t = await createTestDatabase<InferenceLogTables>(dialect);
    await migrateToLatest(t.database, [inferenceLogSchema]);
    const log = new InferenceLogWriter({ sink: sqlInferenceLogSink(t.database.db), sampleRate: 1 });
    for (let i = 0; i < 5; i++) {
      log.record({ requestId: `req-${i}`, deployment: 'fraud', modelName: 'fraud-model', version: '3', at: T0 + i, latencyMs: 1, inputs: { amount: [i] }, outputs: { score: [i / 10] }, rows: 1 });
    }
    await log.close();

    app = Fastify();
    installErrorHandling(app);
    app.addHook('onRoute', (route) => void registeredRules.set(`${String(route.method)} ${route.url}`, route.config?.access));
    registerLabelRoutes(app, { db: t.database.db, rules, now: () => LABELED_AT, bodyLimitBytes: 4 * 1024 * 1024 });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await t?.cleanup();
  });

  const postLabels = (payload: unknown, deployment = 'fraud') => app.inject({ method: 'POST', url: `${API}/${deployment}/labels`, payload: payload as object });
  const readLog = (query: Record<string, string>, deployment = 'fraud') => app.inject({ method: 'GET', url: `${API}/${deployment}/inference-log`, query });

  it('guards each route with the rule the caller gave', () => {
    expect(registeredRules.get(`POST ${API}/:name/labels`)).toBe(rules.write);
    expect(registeredRules.get(`GET ${API}/:name/inference-log`)).toBe(rules.read);
  });

  it('stores labels and returns them with the logged predictions; a later label replaces the earlier', async () => {
    const first = await postLabels({ labels: [{ request_id: 'req-1', label: 0 }, { request_id: 'req-2', label: 'fraud' }] });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ stored: 2 });
    expect((await postLabels({ labels: [{ request_id: 'req-1', label: 1 }] })).json()).toEqual({ stored: 1 });

    const response = await readLog({ from: String(T0), to: String(T0 + 3) });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toEqual({
      records: [
        { request_id: 'req-0', model_name: 'fraud-model', version: '3', at: T0, latency_ms: 1, rows: 1, inputs: { amount: [0] }, outputs: { score: [0] } },
        { request_id: 'req-1', model_name: 'fraud-model', version: '3', at: T0 + 1, latency_ms: 1, rows: 1, inputs: { amount: [1] }, outputs: { score: [0.1] }, label: 1, labeled_at: LABELED_AT },
        { request_id: 'req-2', model_name: 'fraud-model', version: '3', at: T0 + 2, latency_ms: 1, rows: 1, inputs: { amount: [2] }, outputs: { score: [0.2] }, label: 'fraud', labeled_at: LABELED_AT },
      ],
    });
  });

  it('pages with next_page_token', async () => {
    const first = (await readLog({ limit: '2' })).json();
    expect(first.records.map((r: { request_id: string }) => r.request_id)).toEqual(['req-0', 'req-1']);
    expect(typeof first.next_page_token).toBe('string');
    const second = (await readLog({ limit: '2', page_token: first.next_page_token })).json();
    expect(second.records.map((r: { request_id: string }) => r.request_id)).toEqual(['req-2', 'req-3']);
    const last = (await readLog({ limit: '2', page_token: second.next_page_token })).json();
    expect(last).toEqual({ records: [expect.objectContaining({ request_id: 'req-4' })] });
  });

  it('reads nothing for a deployment with no log', async () => {
    expect((await readLog({}, 'churn')).json()).toEqual({ records: [] });
  });

  it('takes the largest allowed batch of labels', async () => {
    const labels = Array.from({ length: MAX_LABELS_PER_CALL }, (_, i) => ({ request_id: `bulk-${i}`, label: i % 2 }));
    const response = await postLabels({ labels }, 'bulk');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ stored: MAX_LABELS_PER_CALL });
  });

  it.each([
    ['no labels field', {}, /Missing value for required parameter 'labels'/],
    ['labels not a list', { labels: { request_id: 'a', label: 1 } }, /must be a list/],
    ['an item not an object', { labels: ['req-1'] }, /labels\[0\] must be an object/],
    ['a missing request id', { labels: [{ label: 1 }] }, /labels\[0\]\.request_id/],
    ['a request id with spaces', { labels: [{ request_id: 'a b', label: 1 }] }, /labels\[0\]\.request_id/],
    ['a null label', { labels: [{ request_id: 'req-1', label: 1 }, { request_id: 'req-2', label: null }] }, /labels\[1\]\.label is missing/],
    ['too many labels', { labels: Array.from({ length: MAX_LABELS_PER_CALL + 1 }, (_, i) => ({ request_id: `r${i}`, label: 1 })) }, /at most 10000 labels/],
  ])('refuses %s with INVALID_PARAMETER_VALUE and stores nothing', async (_case, payload, message) => {
    const response = await postLabels(payload, 'refused');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(message) });
    const stored = await t.database.db.selectFrom('inference_labels').select('request_id').where('deployment', '=', 'refused').execute();
    expect(stored).toEqual([]);
  });

  it.each([
    ['a limit above the maximum', { limit: String(MAX_WINDOW_LIMIT + 1) }, /limit must be between 1 and 1000/],
    ['a zero limit', { limit: '0' }, /limit must be between 1 and 1000/],
    ['a non-numeric from', { from: 'yesterday' }, /Invalid value "yesterday" for parameter 'from'/],
    ['from after to', { from: '10', to: '5' }, /must not be after/],
    ['a page token that is not ours', { page_token: 'bm90LWEtdG9rZW4' }, /Invalid page token/],
  ])('refuses a window read with %s', async (_case, query, message) => {
    const response = await readLog(query);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(message) });
  });
});
