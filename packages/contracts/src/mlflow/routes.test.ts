import { describe, expect, it } from 'vitest';
import { MLFLOW_ARTIFACTS_ROUTES, MLFLOW_ROUTES } from './routes.js';

describe('MLFLOW_ROUTES', () => {
  it('maps every rpc to a distinct method and path', () => {
    const keys = Object.values(MLFLOW_ROUTES).map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('has paths relative to the prefix', () => {
    for (const route of [...Object.values(MLFLOW_ROUTES), ...Object.values(MLFLOW_ARTIFACTS_ROUTES)]) {
      expect(route.path).toMatch(/^\/[a-z]/);
      expect(route.path).not.toContain('/api/');
    }
  });

  it('keeps artifact proxy routes distinct', () => {
    const keys = Object.values(MLFLOW_ARTIFACTS_ROUTES).map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
