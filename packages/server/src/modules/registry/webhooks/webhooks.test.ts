import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistryEventPayload, WebhookDelivery } from '@capstan/contracts';
import { TEST_DIALECTS } from '../../../adapters/sql/test-support/test-databases.js';
import { createPromotionTestApp, type PromotionTestApp } from '../promotion/test-support/promotion-app.js';
import { verifyDelivery } from '../../../core/webhooks/signing.js';
import { webhookReceiver as receiver, type ReceivedDelivery } from '../../../core/webhooks/test-support/webhook-receiver.js';

const MLFLOW = '/api/2.0/mlflow';
const API = '/api/capstan/v1/registry';
const SECRET = 'receiver-shared-secret-0123456789';

describe.each(TEST_DIALECTS)('registry webhooks on %s', (dialect) => {
  let t: PromotionTestApp;
  let steady: Awaited<ReturnType<typeof receiver>>;
  let flaky: Awaited<ReturnType<typeof receiver>>;

  beforeAll(async () => {
    t = await createPromotionTestApp(dialect, { retryDelaysMs: [5, 10, 20, 40] });
    steady = await receiver();
    flaky = await receiver([500, 503]);
    await t.admin('POST', `${MLFLOW}/registered-models/create`, { name: 'hooked' });
  });
  afterAll(async () => {
    await t.cleanup();
    await Promise.all([steady.close(), flaky.close()]);
  });

  it('shows a secret once, at creation, and never in lists', async () => {
    const created = await t.admin('POST', `${API}/webhooks`, { name: 'hooked', url: steady.url, secret: SECRET });
    expect(created.secret).toBe(SECRET);
    const generated = await t.admin('POST', `${API}/global-webhooks`, { url: flaky.url, events: ['alias.moved'] });
    expect(String(generated.secret)).toMatch(/^whsec_/);
    const lists = [await t.call(t.adminAuth, 'GET', `${API}/webhooks`, { name: 'hooked' }), await t.call(t.adminAuth, 'GET', `${API}/global-webhooks`)];
    for (const list of lists) {
      expect(list.statusCode).toBe(200);
      expect(list.body).not.toContain(SECRET);
      expect(list.body).not.toContain(String(generated.secret));
      expect(list.body).not.toContain('secret');
    }
    const stranger = await t.user('stranger');
    expect((await t.call(stranger, 'POST', `${API}/global-webhooks`, { url: steady.url })).statusCode).toBe(403);
    expect((await t.call(stranger, 'GET', `${API}/webhooks`, { name: 'hooked' })).statusCode).toBe(403);
    expect((await t.call(t.adminAuth, 'POST', `${API}/webhooks`, { name: 'hooked', url: 'ftp://example.com/x' })).statusCode).toBe(400);
  });

  it('signs each delivery with HMAC-SHA256 over the timestamp and the raw body', async () => {
    await t.admin('POST', `${MLFLOW}/model-versions/create`, { name: 'hooked', source: 's3://bucket/m' });
    await t.feature.idle();
    expect(steady.got).toHaveLength(1);
    const [delivery] = steady.got as [ReceivedDelivery];
    const timestamp = Number(delivery.headers['x-capstan-timestamp']);
    expect(verifyDelivery(SECRET, timestamp, delivery.body, String(delivery.headers['x-capstan-signature']))).toBe(true);
    expect(verifyDelivery(SECRET, timestamp + 1, delivery.body, String(delivery.headers['x-capstan-signature']))).toBe(false);
    const payload = JSON.parse(delivery.body) as RegistryEventPayload;
    expect(payload).toMatchObject({ event: 'model_version.created', name: 'hooked', actor: 'root-admin', data: { version: '1' } });
    expect(delivery.headers['x-capstan-event']).toBe('model_version.created');
    expect(delivery.headers['x-capstan-delivery']).toBe(payload.delivery_id);
    // The global webhook filters for alias moves only.
    expect(flaky.got).toHaveLength(0);
  });

  it('retries a failing receiver with backoff and records every attempt', async () => {
    await t.admin('POST', `${MLFLOW}/registered-models/alias`, { name: 'hooked', alias: 'live', version: '1' });
    await t.feature.idle();
    expect(flaky.got.map((g) => g.headers['x-capstan-event'])).toEqual(['alias.moved', 'alias.moved', 'alias.moved']);
    expect(new Set(flaky.got.map((g) => g.headers['x-capstan-delivery'])).size).toBe(1);
    const hooks = (await t.admin('GET', `${API}/global-webhooks`)).webhooks as { webhook_id: string }[];
    const listed = await t.admin('GET', `${API}/global-webhooks/${hooks[0]!.webhook_id}/deliveries`);
    const [delivery] = listed.deliveries as [WebhookDelivery];
    expect(delivery.status).toBe('succeeded');
    expect(delivery.attempts.map((a) => [a.attempt, a.response_code, a.error])).toEqual([
      [1, 500, 'HTTP 500'],
      [2, 503, 'HTTP 503'],
      [3, 200, null],
    ]);
    expect(delivery.attempts[1]!.started_at).toBeGreaterThanOrEqual(delivery.attempts[0]!.finished_at + 5);
    expect(steady.got.map((g) => g.headers['x-capstan-event'])).toEqual(['model_version.created', 'alias.moved']);
  });

  it('gives up after the last retry, and a restart resumes what was pending', async () => {
    const dead = await receiver([500, 500, 500, 500, 500]);
    const hook = (await t.admin('POST', `${API}/webhooks`, { name: 'hooked', url: dead.url, events: ['stage.changed'] })).webhook as { webhook_id: string };
    await t.feature.stop();
    // Stopped: the delivery is recorded but not sent until start() resumes it.
    await t.admin('POST', `${MLFLOW}/model-versions/transition-stage`, { name: 'hooked', version: '1', stage: 'Staging', archive_existing_versions: false });
    expect(dead.got).toHaveLength(0);
    const pending = (await t.admin('GET', `${API}/webhooks/${hook.webhook_id}/deliveries`)).deliveries as WebhookDelivery[];
    expect(pending.map((d) => d.status)).toEqual(['pending']);
    await t.feature.start();
    await t.feature.idle();
    const done = (await t.admin('GET', `${API}/webhooks/${hook.webhook_id}/deliveries`)).deliveries as WebhookDelivery[];
    expect(done.map((d) => [d.status, d.attempts.length])).toEqual([['failed', 5]]);
    await dead.close();
  });
});
