import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PromotionRequest } from '@capstan/contracts';
import { TEST_DIALECTS } from '../../../adapters/sql/test-support/test-databases.js';
import { createPromotionTestApp, runWith, type PromotionTestApp } from './test-support/promotion-app.js';

const MLFLOW = '/api/2.0/mlflow';
const API = '/api/capstan/v1/registry';
const MODEL = 'fraud';
const ADMIN_NAME = 'root-admin';

describe.each(TEST_DIALECTS)('promotion policies and requests on %s', (dialect) => {
  let t: PromotionTestApp;
  let alice: string; // EDIT: asks for promotions
  let bob: string; // MANAGE: decides
  let carol: string; // EDIT only: may not decide

  const request = async (auth: string, version: string, target: Record<string, string>) => {
    const response = await t.call(auth, 'POST', `${API}/promotion-requests`, { name: MODEL, version, ...target, justification: 'better on the holdout set' });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().request as PromotionRequest;
  };
  const decide = (auth: string, id: string, verdict: 'approve' | 'reject') => t.call(auth, 'POST', `${API}/promotion-requests/${id}/${verdict}`, { comment: 'checked' });
  const aliasVersion = async (alias: string) => (await t.admin('GET', `${MLFLOW}/registered-models/alias`, { name: MODEL, alias })).model_version as { version: string; current_stage: string };

  beforeAll(async () => {
    t = await createPromotionTestApp(dialect);
    alice = await t.user('alice');
    bob = await t.user('bob');
    carol = await t.user('carol');
    await t.admin('POST', `${MLFLOW}/registered-models/create`, { name: MODEL });
    for (const [user, permission] of [['alice', 'EDIT'], ['bob', 'MANAGE'], ['carol', 'EDIT']]) {
      await t.admin('PUT', '/api/capstan/v1/grants', { object_type: 'registered_model', object_id: MODEL, user, permission });
    }
    // v1 the champion; v2 just within the margin on the same dataset; v3 clearly worse; v4 below the threshold.
    const metrics: [string, number][] = [['r1', 0.95], ['r2', 0.948], ['r3', 0.93], ['r4', 0.85]];
    for (const [runId, auc] of metrics) {
      t.runs.set(runId, runWith(runId, [['auc', auc, 'digest-eval'], ['loss', 0.1]]));
      await t.admin('POST', `${MLFLOW}/model-versions/create`, { name: MODEL, source: `s3://bucket/${runId}`, run_id: runId });
    }
    await t.admin('POST', `${MLFLOW}/registered-models/alias`, { name: MODEL, alias: 'champion', version: '1' });
    const policy = await t.admin('PUT', `${API}/policies`, {
      name: MODEL,
      protected_aliases: ['champion'],
      protected_stages: ['production'],
      gates: { required_metrics: ['auc'], thresholds: ['metrics.auc >= 0.90'], non_inferiority: [{ metric: 'auc', margin: 0.005 }] },
    });
    expect(policy.policy).toMatchObject({ protected_stages: ['Production'], gates: { thresholds: ['metrics.auc >= 0.9'] } });
  });
  afterAll(async () => t.cleanup());

  it('refuses a direct move of a protected alias or stage, to administrators too, naming the policy', async () => {
    for (const auth of [alice, t.adminAuth]) {
      const moved = await t.call(auth, 'POST', `${MLFLOW}/registered-models/alias`, { name: MODEL, alias: 'champion', version: '2' });
      expect(moved.statusCode).toBe(403);
      expect(moved.json()).toMatchObject({ error_code: 'PERMISSION_DENIED' });
      expect(moved.json().message).toContain("promotion policy of registered model 'fraud' protects alias 'champion'");
    }
    const staged = await t.call(t.adminAuth, 'POST', `${MLFLOW}/model-versions/transition-stage`, { name: MODEL, version: '2', stage: 'Production', archive_existing_versions: false });
    expect(staged.statusCode).toBe(403);
    expect(staged.json().message).toContain("stage 'Production'");
    const deleted = await t.call(t.adminAuth, 'DELETE', `${MLFLOW}/registered-models/alias`, { name: MODEL, alias: 'champion' });
    expect(deleted.statusCode).toBe(403);
    expect(deleted.json().message).toContain('cannot be deleted while protected');
    expect((await aliasVersion('champion')).version).toBe('1');
  });

  it('lets unprotected aliases and stages move freely', async () => {
    expect((await t.call(alice, 'POST', `${MLFLOW}/registered-models/alias`, { name: MODEL, alias: 'challenger', version: '3' })).statusCode).toBe(200);
    expect((await t.call(alice, 'POST', `${MLFLOW}/model-versions/transition-stage`, { name: MODEL, version: '3', stage: 'Staging', archive_existing_versions: false })).statusCode).toBe(200);
    expect((await aliasVersion('challenger')).version).toBe('3');
  });

  it('refuses self-approval and approval by a non-manager; another manager approves and the alias moves', async () => {
    const own = await request(bob, '2', { alias: 'champion' });
    const selfApproved = await decide(bob, own.request_id, 'approve');
    expect(selfApproved.statusCode).toBe(403);
    expect(selfApproved.json().message).toContain('another person must decide it');

    const asked = await request(alice, '2', { alias: 'champion' });
    expect(asked.status).toBe('pending');
    const gate = asked.evidence.gates.find((g) => g.rule.startsWith('non-inferiority'));
    expect(gate).toMatchObject({ passed: true, dataset_digest: 'digest-eval', candidate_value: 0.948, holder_value: 0.95 });
    expect(asked.evidence.holder_version).toBe('1');

    const byCarol = await decide(carol, asked.request_id, 'approve');
    expect(byCarol.statusCode).toBe(403);
    expect(byCarol.json().message).toContain('needs MANAGE');

    const approved = await decide(bob, asked.request_id, 'approve');
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().request).toMatchObject({ status: 'applied', decided_by: 'bob', requested_by: 'alice' });
    expect((await aliasVersion('champion')).version).toBe('2');
    // Applied requests do not open the door again.
    expect((await t.call(t.adminAuth, 'POST', `${MLFLOW}/registered-models/alias`, { name: MODEL, alias: 'champion', version: '2' })).statusCode).toBe(403);
    expect((await decide(t.adminAuth, asked.request_id, 'approve')).statusCode).toBe(409);
    expect((await decide(t.adminAuth, own.request_id, 'reject')).json().request).toMatchObject({ status: 'rejected', decided_by: ADMIN_NAME });

    await t.security.audit.flush();
    const audit = await t.security.audit.query({ action: 'registry.approvePromotionRequest' });
    const outcomes = audit.events.map((e) => [e.actor, e.outcome, e.target]);
    expect(outcomes).toContainEqual(['bob', 'success', 'registered_model:fraud@champion']);
    expect(outcomes).toContainEqual(['carol', 'denied', 'registered_model:fraud@champion']);
    const applied = audit.events.find((e) => e.actor === 'bob' && e.outcome === 'success');
    expect(applied?.details).toMatchObject({ after: { status: 'applied', version: 2, previous_version: 1 } });
  });

  it('blocks a version below a threshold, naming the rule', async () => {
    const asked = await request(alice, '4', { alias: 'champion' });
    expect(asked.status).toBe('gates_failed');
    expect(asked.evidence.gates.find((g) => !g.passed)?.rule).toBe('metrics.auc >= 0.9');
    const approved = await decide(bob, asked.request_id, 'approve');
    expect(approved.statusCode).toBe(403);
    expect(approved.json().message).toContain('Promotion gate failed: metrics.auc >= 0.9 (auc = 0.85)');
    expect((await aliasVersion('champion')).version).toBe('2');
    const listed = await t.call(alice, 'GET', `${API}/promotion-requests`, { name: MODEL, status: 'gates_failed' });
    expect((listed.json().requests as PromotionRequest[]).map((r) => r.request_id)).toContain(asked.request_id);
  });

  it('blocks a version worse than the champion on the same dataset digest beyond the margin', async () => {
    const asked = await request(alice, '3', { alias: 'champion' });
    expect(asked.status).toBe('gates_failed');
    const failed = asked.evidence.gates.filter((g) => !g.passed);
    expect(failed.map((g) => g.rule)).toEqual(['non-inferiority auc >= holder - 0.005']);
    expect(failed[0]).toMatchObject({ dataset_digest: 'digest-eval', candidate_value: 0.93, holder_value: 0.948 });
  });

  it('re-checks the gates at approval: a request that passed may fail once the holder improved', async () => {
    const asked = await request(alice, '2', { stage: 'Production' });
    expect(asked.status).toBe('pending');
    const approved = await decide(bob, asked.request_id, 'approve');
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().request.status).toBe('applied');
    expect((await aliasVersion('champion')).current_stage).toBe('Production');

    const next = await request(alice, '3', { stage: 'Production' });
    expect(next.status).toBe('gates_failed');
    t.runs.set('r3', runWith('r3', [['auc', 0.96, 'digest-eval']]));
    const later = await request(alice, '3', { stage: 'Production' });
    expect(later.status).toBe('pending');
    t.runs.set('r3', runWith('r3', [['auc', 0.9, 'digest-eval']]));
    const refused = await decide(bob, later.request_id, 'approve');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toContain('Promotion gate failed: non-inferiority auc >= holder - 0.005');
    expect((await t.call(bob, 'GET', `${API}/promotion-requests/${later.request_id}`)).json().request.status).toBe('gates_failed');
  });

  it('checks requests and policies: a target must be protected, policies need MANAGE', async () => {
    const unprotected = await t.call(alice, 'POST', `${API}/promotion-requests`, { name: MODEL, version: '2', alias: 'challenger', justification: 'x' });
    expect(unprotected.statusCode).toBe(400);
    expect((await t.call(alice, 'POST', `${API}/promotion-requests`, { name: MODEL, version: '2', alias: 'champion' })).statusCode).toBe(400);
    expect((await t.call(alice, 'PUT', `${API}/policies`, { name: MODEL, protected_aliases: ['x'] })).statusCode).toBe(403);
    const badRule = await t.call(bob, 'PUT', `${API}/policies`, { name: MODEL, protected_aliases: ['champion'], gates: { thresholds: ['auc > 1'] } });
    expect(badRule.statusCode).toBe(400);
    expect(badRule.json().message).toContain("Invalid threshold 'auc > 1'");
    expect((await t.call(carol, 'GET', `${API}/policies`, { name: MODEL })).json().policy.protected_aliases).toEqual(['champion']);
  });
});
