import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CapstanError } from '../../core/errors.js';
import { installErrorHandling } from './error-handler.js';

describe('error dialects', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = Fastify();
    installErrorHandling(app);
    const fail = async () => {
      throw new CapstanError('RESOURCE_DOES_NOT_EXIST', 'no model fraud');
    };
    app.get('/mlflow-style', fail);
    app.get('/oip-style', { config: { errorShape: 'oip' } }, fail);
    app.post('/oip-json', { config: { errorShape: 'oip' } }, async () => ({}));
    app.get('/oip-crash', { config: { errorShape: 'oip' } }, async () => {
      throw new Error('secret internals');
    });
    await app.ready();
  });
  afterAll(async () => app.close());

  it("renders MLflow's shape by default and the Open Inference Protocol's where a route asks for it", async () => {
    const mlflow = await app.inject({ method: 'GET', url: '/mlflow-style' });
    expect(mlflow.statusCode).toBe(404);
    expect(mlflow.json()).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'no model fraud' });
    const oip = await app.inject({ method: 'GET', url: '/oip-style' });
    expect(oip.statusCode).toBe(404);
    expect(oip.json()).toEqual({ error: 'no model fraud' });
  });

  it('uses the dialect for framework errors and hides internals of unexpected ones', async () => {
    const badJson = await app.inject({ method: 'POST', url: '/oip-json', payload: '{nope', headers: { 'content-type': 'application/json' } });
    expect(badJson.statusCode).toBe(400);
    expect(Object.keys(badJson.json())).toEqual(['error']);
    const crash = await app.inject({ method: 'GET', url: '/oip-crash' });
    expect(crash.statusCode).toBe(500);
    expect(crash.json()).toEqual({ error: 'Internal server error; see the server log for this request id' });
  });
});
