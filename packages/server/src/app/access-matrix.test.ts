import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessRule, RegisteredRoute } from '../modules/security/index.js';
import { basic, createSecureTestApp, type SecureTestApp } from '../modules/security/test-support/secure-app.js';

/**
 * Route coverage and the authorization matrix. Every route the app registers carries an access
 * rule (registration fails otherwise); here each one is called by a caller the rule must let
 * through and one it must stop, on a fresh experiment, run and logged model per route. "Let
 * through" means no 401 and no authorization 403 (the handler may still answer 400 or 404 to the
 * generic payload); "stop" means 401 for strangers and a `Permission denied for` 403 otherwise.
 */
type Caller = string | undefined;

const MLFLOW = '/api/2.0/mlflow';
const PLAIN_PASSWORD = 'plain-user-password';

/**
 * Who may call what, written out so a reviewer reads the policy in one place and a changed rule is
 * a visible diff. Every route (bar /ajax-api twins and automatic HEADs) must appear here.
 */
const EXPECTED_RULES: Record<string, string> = {
    'GET /api/openapi.json': 'authenticated read',
    'GET /metrics': 'authenticated read',
    'GET /health': 'public',
    'GET /version': 'public',
    'GET /health/live': 'public',
    'GET /health/ready': 'public',
    'GET /api/capstan/v1/whoami': 'authenticated read',
    'POST /api/capstan/v1/me/password': 'authenticated write',
    'POST /api/capstan/v1/users': 'admin',
    'GET /api/capstan/v1/users': 'admin',
    'GET /api/capstan/v1/users/:username': 'admin',
    'PATCH /api/capstan/v1/users/:username': 'admin',
    'DELETE /api/capstan/v1/users/:username': 'admin',
    'POST /api/capstan/v1/groups': 'admin',
    'GET /api/capstan/v1/groups': 'admin',
    'GET /api/capstan/v1/groups/:group': 'admin',
    'DELETE /api/capstan/v1/groups/:group': 'admin',
    'PUT /api/capstan/v1/groups/:group/members/:username': 'admin',
    'DELETE /api/capstan/v1/groups/:group/members/:username': 'admin',
    'POST /api/capstan/v1/tokens': 'authenticated write',
    'GET /api/capstan/v1/tokens': 'authenticated read',
    'DELETE /api/capstan/v1/tokens/:token_id': 'authenticated write',
    'POST /api/capstan/v1/workspaces': 'admin',
    'GET /api/capstan/v1/workspaces': 'authenticated read',
    'GET /api/capstan/v1/workspaces/:workspace/members': 'workspace viewer',
    'PUT /api/capstan/v1/workspaces/:workspace/members': 'workspace admin',
    'DELETE /api/capstan/v1/workspaces/:workspace/members': 'workspace admin',
    'PUT /api/capstan/v1/grants': 'object MANAGE',
    'DELETE /api/capstan/v1/grants': 'object MANAGE',
    'GET /api/capstan/v1/grants': 'object MANAGE',
    'GET /api/capstan/v1/audit/events': 'admin',
    'GET /api/capstan/v1/audit/export': 'admin',
    'GET /api/capstan/v1/audit/verify': 'admin',
    'POST /api/2.0/mlflow/experiments/create': 'workspace editor',
    'GET /api/2.0/mlflow/experiments/get': 'object READ',
    'GET /api/2.0/mlflow/experiments/get-by-name': 'object READ',
    'POST /api/2.0/mlflow/experiments/search': 'authenticated read',
    'GET /api/2.0/mlflow/experiments/search': 'authenticated read',
    'POST /api/2.0/mlflow/experiments/update': 'object EDIT',
    'POST /api/2.0/mlflow/experiments/delete': 'object MANAGE',
    'POST /api/2.0/mlflow/experiments/restore': 'object MANAGE',
    'POST /api/2.0/mlflow/experiments/set-experiment-tag': 'object EDIT',
    'POST /api/2.0/mlflow/experiments/delete-experiment-tag': 'object EDIT',
    'POST /api/2.0/mlflow/runs/create': 'object EDIT',
    'GET /api/2.0/mlflow/runs/get': 'object READ',
    'POST /api/2.0/mlflow/runs/update': 'object EDIT',
    'POST /api/2.0/mlflow/runs/delete': 'object MANAGE',
    'POST /api/2.0/mlflow/runs/restore': 'object MANAGE',
    'POST /api/2.0/mlflow/runs/log-metric': 'object EDIT',
    'POST /api/2.0/mlflow/runs/log-parameter': 'object EDIT',
    'POST /api/2.0/mlflow/runs/set-tag': 'object EDIT',
    'POST /api/2.0/mlflow/runs/delete-tag': 'object EDIT',
    'POST /api/2.0/mlflow/runs/log-batch': 'object EDIT',
    'POST /api/2.0/mlflow/runs/log-model': 'object EDIT',
    'POST /api/2.0/mlflow/runs/search': 'authenticated read',
    'POST /api/2.0/mlflow/runs/log-inputs': 'object EDIT',
    'POST /api/2.0/mlflow/runs/outputs': 'object EDIT',
    'POST /api/2.0/mlflow/experiments/search-datasets': 'authenticated read',
    'GET /api/2.0/mlflow/metrics/get-history': 'object READ',
    'GET /api/2.0/mlflow/metrics/get-history-bulk-interval': 'object READ',
    'GET /api/2.0/mlflow/artifacts/list': 'object READ',
    'GET /api/2.0/mlflow-artifacts/artifacts': 'object READ',
    'GET /api/2.0/mlflow-artifacts/artifacts/*': 'object READ',
    'DELETE /api/2.0/mlflow-artifacts/artifacts/*': 'object MANAGE',
    'POST /api/2.0/mlflow-artifacts/mpu/create/*': 'object EDIT',
    'POST /api/2.0/mlflow-artifacts/mpu/complete/*': 'object EDIT',
    'POST /api/2.0/mlflow-artifacts/mpu/abort/*': 'object EDIT',
    'POST /api/2.0/mlflow/logged-models': 'object EDIT',
    'GET /api/2.0/mlflow/logged-models/:model_id': 'object READ',
    'PATCH /api/2.0/mlflow/logged-models/:model_id': 'object EDIT',
    'DELETE /api/2.0/mlflow/logged-models/:model_id': 'object MANAGE',
    'PATCH /api/2.0/mlflow/logged-models/:model_id/tags': 'object EDIT',
    'DELETE /api/2.0/mlflow/logged-models/:model_id/tags/:tag_key': 'object EDIT',
    'POST /api/2.0/mlflow/logged-models/:model_id/params': 'object EDIT',
    'POST /api/2.0/mlflow/logged-models/search': 'authenticated read',
    'GET /api/2.0/mlflow/logged-models/:model_id/artifacts/directories': 'object READ',
    'GET /ajax-api/2.0/mlflow/logged-models/:model_id/artifacts/files': 'object READ',
    'POST /api/2.0/mlflow/registered-models/create': 'workspace editor',
    'POST /api/2.0/mlflow/registered-models/rename': 'object EDIT',
    'PATCH /api/2.0/mlflow/registered-models/update': 'object EDIT',
    'DELETE /api/2.0/mlflow/registered-models/delete': 'object MANAGE',
    'GET /api/2.0/mlflow/registered-models/get': 'object READ',
    'GET /api/2.0/mlflow/registered-models/search': 'authenticated read',
    'POST /api/2.0/mlflow/registered-models/get-latest-versions': 'object READ',
    'GET /api/2.0/mlflow/registered-models/get-latest-versions': 'object READ',
    'POST /api/2.0/mlflow/registered-models/set-tag': 'object EDIT',
    'DELETE /api/2.0/mlflow/registered-models/delete-tag': 'object EDIT',
    'POST /api/2.0/mlflow/registered-models/alias': 'object EDIT',
    'DELETE /api/2.0/mlflow/registered-models/alias': 'object EDIT',
    'GET /api/2.0/mlflow/registered-models/alias': 'object READ',
    'POST /api/2.0/mlflow/model-versions/create': 'object EDIT',
    'PATCH /api/2.0/mlflow/model-versions/update': 'object EDIT',
    'POST /api/2.0/mlflow/model-versions/transition-stage': 'object EDIT',
    'DELETE /api/2.0/mlflow/model-versions/delete': 'object MANAGE',
    'GET /api/2.0/mlflow/model-versions/get': 'object READ',
    'GET /api/2.0/mlflow/model-versions/search': 'authenticated read',
    'GET /api/2.0/mlflow/model-versions/get-download-uri': 'object READ',
    'POST /api/2.0/mlflow/model-versions/set-tag': 'object EDIT',
    'DELETE /api/2.0/mlflow/model-versions/delete-tag': 'object EDIT',
    'PUT /api/capstan/v1/registry/policies': 'object MANAGE',
    'GET /api/capstan/v1/registry/policies': 'object READ',
    'DELETE /api/capstan/v1/registry/policies': 'object MANAGE',
    'POST /api/capstan/v1/registry/promotion-requests': 'object EDIT',
    'GET /api/capstan/v1/registry/promotion-requests': 'object READ',
    'GET /api/capstan/v1/registry/promotion-requests/:request_id': 'object READ',
    'POST /api/capstan/v1/registry/promotion-requests/:request_id/approve': 'authenticated write',
    'POST /api/capstan/v1/registry/promotion-requests/:request_id/reject': 'authenticated write',
    'POST /api/capstan/v1/registry/webhooks': 'object MANAGE',
    'GET /api/capstan/v1/registry/webhooks': 'object MANAGE',
    'DELETE /api/capstan/v1/registry/webhooks/:webhook_id': 'object MANAGE',
    'GET /api/capstan/v1/registry/webhooks/:webhook_id/deliveries': 'object MANAGE',
    'POST /api/capstan/v1/registry/global-webhooks': 'admin',
    'GET /api/capstan/v1/registry/global-webhooks': 'admin',
    'DELETE /api/capstan/v1/registry/global-webhooks/:webhook_id': 'admin',
    'GET /api/capstan/v1/registry/global-webhooks/:webhook_id/deliveries': 'admin',
    'GET /api/capstan/v1/model-versions/package': 'object READ',
    'GET /api/capstan/v1/model-versions/lineage': 'object READ',
    'GET /api/capstan/v1/model-versions/card': 'object READ',
    'PATCH /api/capstan/v1/model-versions/card': 'object EDIT',
    'PUT /api/2.0/mlflow-artifacts/artifacts/*': 'object EDIT',
    'PUT /api/2.0/mlflow-artifacts/mpu/part/:upload_id/:part_number/*': 'signed',
    'GET /api/capstan/v1/deployments': 'authenticated read',
    'POST /api/capstan/v1/deployments': 'workspace editor',
    'GET /api/capstan/v1/deployments/:name': 'object READ',
    'PUT /api/capstan/v1/deployments/:name': 'object EDIT',
    'DELETE /api/capstan/v1/deployments/:name': 'object MANAGE',
    'GET /api/capstan/v1/deployments/:name/status': 'object READ',
    'POST /api/capstan/v1/deployments/:name/traffic': 'object EDIT',
    'POST /api/capstan/v1/deployments/:name/rollback': 'object EDIT',
    'POST /api/capstan/v1/deployments/:name/canary': 'object EDIT',
    'POST /api/capstan/v1/deployments/:name/canary/:action': 'object EDIT',
    'POST /api/capstan/v1/deployments/:name/labels': 'object EDIT',
    'GET /api/capstan/v1/deployments/:name/inference-log': 'object READ',
    'POST /api/capstan/v1/monitoring/drift': 'object READ',
    'POST /api/capstan/v1/monitoring/data-quality': 'object READ',
    'POST /api/capstan/v1/monitoring/performance': 'object READ',
    'POST /api/capstan/v1/monitoring/drift/report': 'object READ',
    'POST /api/capstan/v1/monitoring/profile': 'object READ',
    'GET /api/capstan/v1/monitoring/monitors': 'authenticated read',
    'POST /api/capstan/v1/monitoring/monitors': 'object EDIT',
    'GET /api/capstan/v1/monitoring/monitors/:name': 'object READ',
    'PUT /api/capstan/v1/monitoring/monitors/:name': 'object EDIT',
    'DELETE /api/capstan/v1/monitoring/monitors/:name': 'object EDIT',
    'POST /api/capstan/v1/monitoring/monitors/:name/run': 'object EDIT',
    'GET /api/capstan/v1/monitoring/monitors/:name/runs': 'object READ',
    'GET /api/capstan/v1/monitoring/monitors/:name/runs/:run_id': 'object READ',
    'GET /api/capstan/v1/monitoring/monitors/:name/alerts': 'object READ',
    'GET /api/capstan/v1/monitoring/monitors/:name/profile': 'object READ',
    'GET /v2': 'public',
    'GET /v2/health/live': 'public',
    'GET /v2/health/ready': 'public',
    'GET /v2/models/:name': 'inference',
    'GET /v2/models/:name/ready': 'inference',
    'POST /v2/models/:name/infer': 'inference',
    'GET /v2/models/:name/versions/:version': 'inference',
    'GET /v2/models/:name/versions/:version/ready': 'inference',
    'POST /v2/models/:name/versions/:version/infer': 'inference',
    'GET /v1/models/:name': 'inference',
    'POST /v1/models/:name(^[^:/]+)::predict': 'inference',
    'POST /serving-endpoints/:name/invocations': 'inference',
    'GET /api/capstan/v1/features/projects': 'authenticated read',
    'GET /api/capstan/v1/features/projects/:project': 'object READ',
    'DELETE /api/capstan/v1/features/projects/:project': 'object MANAGE',
    'POST /api/capstan/v1/features/plan': 'object READ',
    'POST /api/capstan/v1/features/apply': 'object EDIT',
    'GET /api/capstan/v1/features/projects/:project/feature-views/:view/status': 'object READ',
    'POST /api/capstan/v1/features/projects/:project/historical-features': 'object READ',
    'GET /api/capstan/v1/features/projects/:project/datasets': 'object READ',
    'POST /feature-server/:project/get-online-features': 'object READ',
    'POST /feature-server/:project/push': 'object EDIT',
    'POST /feature-server/:project/write-to-online-store': 'object EDIT',
    'POST /feature-server/:project/materialize': 'object EDIT',
    'POST /feature-server/:project/materialize-incremental': 'object EDIT',
    'POST /get-online-features': 'object READ',
    'POST /push': 'object EDIT',
    'POST /write-to-online-store': 'object EDIT',
    'POST /materialize': 'object EDIT',
    'POST /materialize-incremental': 'object EDIT',
};

function summary(rule: AccessRule): string {
  switch (rule.kind) {
    case 'object':
      return `object ${rule.permission}`;
    case 'workspace':
      return `workspace ${rule.role}`;
    case 'authenticated':
      return `authenticated ${rule.scope}`;
    default:
      return rule.kind;
  }
}

interface Fixture {
  registeredModel: string;
  promotionRequestId: string;
  webhookId: string;
  globalWebhookId: string;
  experimentId: string;
  experimentName: string;
  runId: string;
  modelId: string;
  targetUser: string;
  group: string;
  tokenId: string;
  partUrl: string;
  deployment: string;
  featureProject: string;
}

describe('route coverage and authorization matrix', () => {
  let t: SecureTestApp;
  const callers: Record<string, Caller> = {};
  let counter = 0;
  // One global webhook for the whole matrix: every registry event fans out to each global hook.
  let globalWebhookId: string | undefined;

  beforeAll(async () => {
    t = await createSecureTestApp('sqlite');
    callers.admin = `Bearer ${String((await t.admin('POST', '/tokens', { name: 'admin-all', scopes: ['read', 'write', 'admin'] })).token)}`;
    callers.stranger = await t.userWithToken('stranger');
    callers.strangerReadOnly = `Bearer ${String((await t.admin('POST', '/tokens', { user: 'stranger', name: 'ro', scopes: ['read'] })).token)}`;
    callers.strangerInferOnly = `Bearer ${String((await t.admin('POST', '/tokens', { user: 'stranger', name: 'inf', scopes: ['infer'] })).token)}`;
    await t.admin('POST', '/users', { username: 'plain', password: PLAIN_PASSWORD });
    callers.plainBasic = basic('plain', PLAIN_PASSWORD);
    for (const user of ['reader', 'editor', 'manager']) callers[user] = await t.userWithToken(user);
    const globalHook = await t.call(callers.admin, 'POST', '/api/capstan/v1/registry/global-webhooks', { url: 'http://127.0.0.1:9/hook' });
    globalWebhookId = String((globalHook.json() as { webhook: { webhook_id: string } }).webhook.webhook_id);
    for (const role of ['viewer', 'editor', 'manager', 'admin']) {
      callers[`ws-${role}`] = await t.userWithToken(`ws-${role}`);
      await t.admin('PUT', '/workspaces/default/members', { user: `ws-${role}`, role });
    }
  });
  afterAll(async () => t.cleanup());

  async function fixture(): Promise<Fixture> {
    const n = ++counter;
    const experimentName = `matrix-${n}`;
    const experimentId = (await t.call(callers.admin, 'POST', `${MLFLOW}/experiments/create`, { name: experimentName })).json().experiment_id as string;
    const runId = (await t.call(callers.admin, 'POST', `${MLFLOW}/runs/create`, { experiment_id: experimentId })).json().run.info.run_id as string;
    const modelId = (await t.call(callers.admin, 'POST', `${MLFLOW}/logged-models`, { experiment_id: experimentId, name: 'm' })).json().model.info.model_id as string;
    const registeredModel = `rm-${n}`;
    await t.call(callers.admin, 'POST', `${MLFLOW}/registered-models/create`, { name: registeredModel });
    await t.call(callers.admin, 'POST', `${MLFLOW}/model-versions/create`, { name: registeredModel, source: 's3://bucket/model' });
    await t.call(callers.admin, 'POST', `${MLFLOW}/registered-models/alias`, { name: registeredModel, alias: 'champion', version: '1' });
    for (const [user, permission] of [['reader', 'READ'], ['editor', 'EDIT'], ['manager', 'MANAGE']] as const) {
      await t.admin('PUT', '/grants', { object_type: 'experiment', object_id: experimentId, user, permission });
      await t.admin('PUT', '/grants', { object_type: 'registered_model', object_id: registeredModel, user, permission });
    }
    // A protected alias with a pending request, and webhooks, for the promotion routes.
    await t.call(callers.admin, 'PUT', '/api/capstan/v1/registry/policies', { name: registeredModel, protected_aliases: ['gold'] });
    const promotion = await t.call(callers.admin, 'POST', '/api/capstan/v1/registry/promotion-requests', { name: registeredModel, version: '1', alias: 'gold', justification: 'matrix' });
    const promotionRequestId = String((promotion.json() as { request: { request_id: string } }).request.request_id);
    const hook = await t.call(callers.admin, 'POST', '/api/capstan/v1/registry/webhooks', { name: registeredModel, url: 'http://127.0.0.1:9/hook' });
    const webhookId = String((hook.json() as { webhook: { webhook_id: string } }).webhook.webhook_id);
    const targetUser = `target-${n}`;
    await t.admin('POST', '/users', { username: targetUser });
    const group = `group-${n}`;
    await t.admin('POST', '/groups', { name: group });
    const tokenId = ((await t.admin('POST', '/tokens', { user: targetUser, name: 't', scopes: ['read'] })).token_info as { token_id: string }).token_id;
    // A deployment of version 1 (its package is not loadable here; the routes' access is what counts).
    const deployment = `dep-${n}`;
    const made = await t.call(callers.admin, 'POST', '/api/capstan/v1/deployments', { name: deployment, spec: { models: [{ uri: `models:/${registeredModel}/1` }] } });
    expect(made.statusCode, made.body).toBe(201);
    for (const [user, permission] of [['reader', 'READ'], ['editor', 'EDIT'], ['manager', 'MANAGE']] as const) {
      await t.admin('PUT', '/grants', { object_type: 'deployment', object_id: deployment, user, permission });
    }
    // A monitor of that deployment, named like it so the routes' `:name` finds both.
    const monitor = await t.call(callers.admin, 'POST', '/api/capstan/v1/monitoring/monitors', {
      name: deployment,
      deployment,
      reference: { type: 'window', from: 0, to: 1 },
      window_seconds: 60,
      interval_seconds: 3600,
      checks: { data_drift: {} },
    });
    expect(monitor.statusCode, monitor.body).toBe(201);
    // A feature project per route, and the server's default project (what Feast's root routes serve), granted alike.
    const featureProject = `fp_${n}`;
    for (const project of n === 1 ? [featureProject, 'default'] : [featureProject]) {
      const definition = { project, entities: [], data_sources: [], feature_views: [], on_demand_feature_views: [], feature_services: [] };
      const applied = await t.call(callers.admin, 'POST', '/api/capstan/v1/features/apply', { definition, base_revision: 0 });
      expect(applied.statusCode, applied.body).toBe(200);
      for (const [user, permission] of [['reader', 'READ'], ['editor', 'EDIT'], ['manager', 'MANAGE']] as const) {
        await t.admin('PUT', '/grants', { object_type: 'feature_project', object_id: project, user, permission });
      }
    }
    const created = await t.call(callers.admin, 'POST', `/api/2.0/mlflow-artifacts/mpu/create/${experimentId}/${runId}/artifacts`, { path: 'big.bin', num_parts: 1 });
    const partUrl = new URL((created.json().credentials as { url: string }[])[0]!.url);
    return { registeredModel, promotionRequestId, webhookId, globalWebhookId: globalWebhookId!, experimentId, experimentName, runId, modelId, targetUser, group, tokenId, partUrl: `${partUrl.pathname}${partUrl.search}`, deployment, featureProject };
  }

  function request(route: RegisteredRoute, f: Fixture): { url: string; body: Record<string, unknown> } {
    const url = route.url
      .replace(':name(^[^:/]+)::predict', `${f.deployment}:predict`)
      .replace(':name', f.deployment)
      .replace(':version', '1')
      .replace(':action', 'pause')
      .replace(':model_id', f.modelId)
      .replace(':tag_key', 'k')
      .replace(':username', f.targetUser)
      .replace(':group', f.group)
      .replace(':token_id', f.tokenId)
      .replace(':workspace', 'default')
      .replace(':upload_id', 'upload')
      .replace(':request_id', f.promotionRequestId)
      .replace(':run_id', 'no-such-run')
      .replace(':webhook_id', route.url.includes('global-webhooks') ? f.globalWebhookId : f.webhookId)
      .replace(':part_number', '1')
      .replace(':project', f.featureProject)
      .replace(':view', 'v')
      .replace('*', `${f.experimentId}/${f.runId}/artifacts/file.txt`);
    const body: Record<string, unknown> = {
      experiment_id: f.experimentId,
      experiment_ids: [f.experimentId],
      experiment_name: f.experimentName,
      run_id: f.runId,
      run_uuid: f.runId,
      run_ids: [f.runId],
      model_id: f.modelId,
      metric_key: 'loss',
      object_type: 'experiment',
      object_id: f.experimentId,
      user: f.targetUser,
      // Registry RPCs name their model; elsewhere `name` names something new, and any name will do.
      name: f.registeredModel,
      new_name: `renamed-${counter}`,
      version: '1',
      alias: 'champion',
      stage: 'Staging',
      archive_existing_versions: false,
      source: 's3://bucket/model',
      key: 'k',
      value: 'v',
      role: 'viewer',
      permission: 'READ',
      scopes: ['read'],
      path: route.method === 'GET' ? `${f.experimentId}/${f.runId}/artifacts` : 'file.bin',
      num_parts: 1,
      timestamp: 1,
      // The drift report reads the deployments its sides name.
      reference: { deployment: f.deployment, from: 0, to: 1 },
      current: { deployment: f.deployment, from: 0, to: 1 },
      // A monitor watches the deployment its body names; a profile reads the deployment window its body names.
      deployment: f.deployment,
      // Feature plan and apply act on the project their definition names.
      definition: { project: f.featureProject },
    };
    return { url, body };
  }

  // Every method here is one of the security test client's (automatic HEAD routes are skipped).
  const send = (caller: Caller, route: RegisteredRoute, url: string, body: Record<string, unknown>) =>
    t.call(caller, route.method as Parameters<SecureTestApp['call']>[1], url, body);

  function expectAllowed(response: LightMyRequestResponse, label: string): void {
    expect(response.statusCode, `${label}: ${response.body}`).not.toBe(401);
    if (response.statusCode === 403) expect(response.json().message, label).not.toMatch(/^Permission denied for/);
  }

  function expectDenied(response: LightMyRequestResponse, label: string, status: 401 | 403): void {
    expect(response.statusCode, `${label}: ${response.body}`).toBe(status);
    const body = response.json() as { error_code?: string; message?: string; error?: string; class?: string };
    // Inference routes answer in the Open Inference Protocol's `{error}` shape.
    if (body.error !== undefined) {
      if (status === 403) expect(body.error).toMatch(/^Permission denied for/);
      return;
    }
    // Feast's feature server routes in Feast's `{module, class, message}`.
    if (body.class !== undefined) {
      expect(body.class).toBe(status === 401 ? 'UNAUTHENTICATED' : 'PERMISSION_DENIED');
      if (status === 403) expect(body.message).toMatch(/^Permission denied for/);
      return;
    }
    expect(body.error_code).toBe(status === 401 ? 'UNAUTHENTICATED' : 'PERMISSION_DENIED');
    if (status === 403) expect(body.message).toMatch(/^Permission denied for/);
  }

  /** The caller the rule must admit, and the one just below it. */
  function pair(rule: AccessRule): { allowed: Caller; denied: Caller } {
    switch (rule.kind) {
      case 'authenticated':
        return rule.scope === 'read' ? { allowed: callers.stranger, denied: callers.strangerInferOnly } : { allowed: callers.stranger, denied: callers.strangerReadOnly };
      case 'admin':
        return { allowed: callers.admin, denied: callers.plainBasic };
      case 'workspace': {
        const below = { viewer: 'stranger', editor: 'ws-viewer', manager: 'ws-editor', admin: 'ws-manager' }[rule.role];
        return { allowed: callers[`ws-${rule.role}`], denied: callers[below] };
      }
      case 'object': {
        const levels = { READ: ['reader', 'stranger'], EDIT: ['editor', 'reader'], MANAGE: ['manager', 'editor'] } as const;
        const [allowed, denied] = levels[rule.permission];
        return { allowed: callers[allowed], denied: callers[denied] };
      }
      case 'inference':
        return { allowed: callers.strangerInferOnly, denied: callers.strangerReadOnly };
      default:
        throw new Error(`no caller pair for ${rule.kind}`);
    }
  }

  it('guards every registered route, and twin prefixes share one rule', () => {
    const routes = t.security.routes();
    expect(routes.length).toBeGreaterThan(100);
    for (const route of routes) expect(route.access, `${route.method} ${route.url}`).toBeDefined();
    for (const route of routes.filter((r) => r.url.startsWith('/ajax-api/'))) {
      const twin = routes.find((r) => r.method === route.method && r.url === route.url.replace('/ajax-api/', '/api/'));
      if (twin) expect(twin.access, route.url).toBe(route.access);
    }
  });

  it('declares exactly the expected rule on every route', () => {
    const all = t.security.routes();
    const declared = Object.fromEntries(
      all
        .filter((r) => !(r.url.startsWith('/ajax-api/') && all.some((o) => o.method === r.method && o.url === r.url.replace('/ajax-api/', '/api/'))))
        .filter((r) => !(r.method === 'HEAD' && all.some((g) => g.method === 'GET' && g.url === r.url)))
        .map((r) => [`${r.method} ${r.url}`, summary(r.access)]),
    );
    expect(declared).toEqual(EXPECTED_RULES);
  });

  it('refuses to register a route that declares no access rule', async () => {
    const { default: Fastify } = await import('fastify');
    const { createSecurityModule } = await import('../modules/security/index.js');
    const { openSqliteDatabase } = await import('../adapters/sql/sqlite/sqlite-database.js');
    const { MemoryWindowCounterStore } = await import('../adapters/counter/memory-window-counter.js');
    const { createLogger } = await import('../core/logger.js');
    const database = openSqliteDatabase(':memory:');
    const security = createSecurityModule({
      database,
      logger: createLogger('silent'),
      auth: { mode: 'on', allowInsecureRemote: false, throttle: { maxFailuresPerUser: 5, maxFailuresPerAddress: 5, windowSeconds: 60 } },
      counters: new MemoryWindowCounterStore(),
    });
    const app = Fastify();
    security.installHooks(app);
    expect(() => app.get('/unguarded', async () => ({}))).toThrow(/declares no access rule/);
    await app.close();
    await database.close();
  });

  it('admits the right caller and stops the one below it, on every route', async () => {
    const all = t.security.routes();
    // An /ajax-api twin shares its /api route's rule (checked above); routes only the UI calls stay in.
    const hasApiTwin = (r: RegisteredRoute) => r.url.startsWith('/ajax-api/') && all.some((o) => o.method === r.method && o.url === r.url.replace('/ajax-api/', '/api/'));
    const routes = all.filter((r) => !hasApiTwin(r));
    const tested = new Set<string>();
    for (const route of routes) {
      if (route.method === 'HEAD' && routes.some((r) => r.method === 'GET' && r.url === route.url)) continue;
      const label = `${route.method} ${route.url}`;
      const f = await fixture();
      const { url, body } = request(route, f);
      if (route.access.kind === 'public') {
        expectAllowed(await send(undefined, route, url, body), label);
      } else if (route.access.kind === 'signed') {
        expectAllowed(await t.call(undefined, 'PUT', f.partUrl, { x: 1 }), label);
        // Another first character (a signature starting with 'A' would otherwise be left intact, 1 time in 64).
        const tampered = f.partUrl.replace(/Signature=(.)/, (_, c: string) => `Signature=${c === 'A' ? 'B' : 'A'}`);
        expectDenied(await t.call(undefined, 'PUT', tampered, { x: 1 }), `${label} (tampered)`, 401);
        expectDenied(await t.call(undefined, 'PUT', f.partUrl.split('?')[0]!, { x: 1 }), `${label} (unsigned)`, 401);
      } else {
        expectDenied(await send(undefined, route, url, body), `${label} (anonymous)`, 401);
        const { allowed, denied } = pair(route.access);
        expectDenied(await send(denied, route, url, body), `${label} (denied caller)`, 403);
        expectAllowed(await send(allowed, route, url, body), `${label} (allowed caller)`);
      }
      tested.add(label);
    }
    expect(tested.size).toBe(routes.filter((r) => !(r.method === 'HEAD' && routes.some((g) => g.method === 'GET' && g.url === r.url))).length);
    expect(tested.size).toBeGreaterThan(60);
  }, 180_000);
});
