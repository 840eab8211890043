import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPSTAN_API_PREFIX } from '@capstan/contracts';
import { TEST_DIALECTS } from '../../../adapters/sql/test-support/test-databases.js';
import { basic } from '../../security/test-support/secure-app.js';
import { seedLineage, type SeededLineage } from '../lineage/test-support/seed-lineage.js';
import { openRegistryWorld, type RegistryWorld } from '../lineage/test-support/registry-world.js';
import { ADMIN, createCardApp, STRANGER, type CardApp } from './test-support/card-app.js';

const CARD = `${CAPSTAN_API_PREFIX}/model-versions/card`;
const LINEAGE = `${CAPSTAN_API_PREFIX}/model-versions/lineage`;
const admin = basic(ADMIN.username, ADMIN.password);

describe.each(TEST_DIALECTS)('lineage and model card routes on %s', (dialect) => {
  let w: RegistryWorld;
  let c: CardApp;
  let seeded: SeededLineage;
  beforeAll(async () => {
    w = await openRegistryWorld(dialect);
    seeded = await seedLineage(w, 'fraud');
    c = await createCardApp(w);
  });
  afterAll(async () => {
    await c.close();
    await w.cleanup();
  });

  const get = (url: string, query: Record<string, string>, authorization = admin) => c.app.inject({ method: 'GET', url, query, headers: { authorization } });
  const patch = (payload: Record<string, unknown>, authorization = admin) => c.app.inject({ method: 'PATCH', url: CARD, payload, headers: { authorization } });

  it('answers the lineage graph and the card as JSON or Markdown', async () => {
    const lineage = await get(LINEAGE, { name: 'fraud', version: '1' });
    expect(lineage.statusCode).toBe(200);
    expect(lineage.json().root).toBe('model_version:fraud/1');
    expect(lineage.json().edges).toContainEqual({ from: 'model_version:fraud/1', to: `run:${seeded.childRunId}`, relation: 'produced_by' });

    const card = await get(CARD, { name: 'fraud', version: '1' });
    expect(card.statusCode).toBe(200);
    expect(card.json()).toMatchObject({ name: 'fraud', version: '1', training: { run_id: seeded.childRunId }, lineage: lineage.json() });

    const md = await get(CARD, { name: 'fraud', version: '1', format: 'markdown' });
    expect(md.statusCode).toBe(200);
    expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(md.body).toContain('# Model card: fraud version 1');
    expect(md.body).toContain('| features | amount\\|merchant |');
    expect((await get(CARD, { name: 'fraud', version: '1', format: 'pdf' })).json()).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: "Invalid format 'pdf': use json or markdown." });
  });

  it('answers MLflow errors for unknown models and versions, and checks access', async () => {
    expect((await get(CARD, { name: 'fraud', version: '9' })).json()).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Model Version (name=fraud, version=9) not found' });
    expect((await get(LINEAGE, { name: 'fraud', version: 'x' })).json()).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: "Model version must be an integer, got 'x'" });
    expect((await get(LINEAGE, { name: 'nope', version: '1' })).statusCode).toBe(404);
    expect((await get(CARD, { name: 'fraud', version: '1' }, basic(STRANGER.username, STRANGER.password))).statusCode).toBe(403);
    expect((await patch({ name: 'fraud', version: '1', summary: 's' }, basic(STRANGER.username, STRANGER.password))).statusCode).toBe(403);
  });

  it('edits the card, records who did it, and audits the change', async () => {
    const edited = await patch({ name: 'fraud', version: '1', summary: 'Scores payments.', ethical_considerations: 'Reviewed for bias by region.' });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ summary: 'Scores payments.', ethical_considerations: 'Reviewed for bias by region.', intended_use: 'Scoring card payments', edited_by: ADMIN.username });
    expect((await get(CARD, { name: 'fraud', version: '1' })).json().summary).toBe('Scores payments.');
    await c.security.audit.flush();
    const events = (await c.security.audit.query({ action: 'registry.updateModelCard', outcome: 'success' })).events;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: ADMIN.username, target: 'registered_model:fraud/1', outcome: 'success' });
    expect(JSON.stringify(events[0]!.details)).toContain('Reviewed for bias by region.');
  });

  it('refuses unknown fields and text over the limit before touching anything', async () => {
    const unknown = await patch({ name: 'fraud', version: '1', summary: 'fine', licence: 'MIT' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(unknown.json().message).toContain("Unknown model card field 'licence'");
    const long = await patch({ name: 'fraud', version: '1', limitations: 'x'.repeat(10_001) });
    expect(long.json()).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: "Model card field 'limitations' is longer than 10000 characters." });
    expect((await patch({ name: 'fraud', version: '7', summary: 'x' })).statusCode).toBe(404);
    expect((await get(CARD, { name: 'fraud', version: '1' })).json().limitations).toBeUndefined();
  });
});
