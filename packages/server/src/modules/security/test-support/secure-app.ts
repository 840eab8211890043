import type { LightMyRequestResponse } from 'fastify';
import type { CapstanConfig } from '../../../core/config.js';
import type { TestDialect } from '../../../adapters/sql/test-support/test-databases.js';
import { createTestApp, type TestApp } from '../../../app/test-support/test-app.js';

export const ADMIN = 'root-admin';
export const ADMIN_PASSWORD = 'correct horse battery staple';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface SecureTestApp extends TestApp {
  /** `Authorization` header of the bootstrap admin (Basic). */
  adminAuth: string;
  /** Sends a request with the given Authorization header (or none). GET bodies become the query string. */
  call(auth: string | undefined, method: Method, url: string, body?: Record<string, unknown>, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** Calls the security API as the admin and fails the test on an error status. */
  admin(method: Method, path: string, body?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Creates a user (optionally with a password) and returns a Bearer header for a fresh token with `scopes`. */
  userWithToken(username: string, scopes?: string[], password?: string): Promise<string>;
}

export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** A whole app with authentication on and a bootstrap admin, on a fresh database. */
export async function createSecureTestApp(
  dialect: TestDialect,
  auth: Partial<CapstanConfig['auth']> = {},
  config: Partial<CapstanConfig> = {},
): Promise<SecureTestApp> {
  const t = await createTestApp(dialect, {
    ...config,
    auth: {
      mode: 'on',
      allowInsecureRemote: false,
      adminUsername: ADMIN,
      adminPassword: ADMIN_PASSWORD,
      throttle: { maxFailuresPerUser: 10, maxFailuresPerAddress: 1000, windowSeconds: 900 },
      ...auth,
    },
  });
  const adminAuth = basic(ADMIN, ADMIN_PASSWORD);
  const call: SecureTestApp['call'] = (authorization, method, url, body, headers = {}) => {
    const allHeaders = { ...headers, ...(authorization ? { authorization } : {}) };
    if (method === 'GET') return t.app.inject({ method, url, headers: allHeaders, query: toQuery(body ?? {}) });
    return t.app.inject({ method, url, headers: allHeaders, ...(body ? { payload: body } : {}) });
  };
  const admin: SecureTestApp['admin'] = async (method, path, body) => {
    const response = await call(adminAuth, method, `/api/capstan/v1${path}`, body);
    if (response.statusCode >= 400) throw new Error(`${method} ${path} failed: ${response.statusCode} ${response.body}`);
    return response.json();
  };
  return {
    ...t,
    adminAuth,
    call,
    admin,
    async userWithToken(username, scopes = ['read', 'write'], password) {
      await admin('POST', '/users', { username, ...(password ? { password } : {}) });
      const created = await admin('POST', '/tokens', { user: username, name: `${username}-token`, scopes });
      return `Bearer ${String(created.token)}`;
    },
  };
}

function toQuery(body: Record<string, unknown>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(body)) out[k] = Array.isArray(v) ? v.map(String) : String(v);
  return out;
}
