import { base64url, exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CapstanError } from '../../../../core/errors.js';
import { createJwtVerifier, looksLikeJwt, type JwtSettings, type JwtVerifier } from './jwt-verifier.js';
import { startJwksServer, type JwksServer } from './test-support/jwks-server.js';

const ISSUER = 'https://idp.example.com/realms/capstan';
const AUDIENCE = 'capstan';
const SECRET = 'a-shared-secret-that-is-at-least-32-bytes-long';
const SECRET_KEY = new TextEncoder().encode(SECRET);

interface SigningKey {
  alg: 'RS256' | 'ES256';
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

async function makeKey(alg: SigningKey['alg'], kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { alg, kid, privateKey, publicKey, publicJwk };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Signs a token with sensible defaults; a claim set to undefined is left out of the token. */
function sign(key: SigningKey | Uint8Array, claims: JWTPayload = {}, alg?: string): Promise<string> {
  const payload: JWTPayload = { iss: ISSUER, aud: AUDIENCE, sub: 'alice', iat: nowSeconds(), exp: nowSeconds() + 3600, ...claims };
  if (key instanceof Uint8Array) return new SignJWT(payload).setProtectedHeader({ alg: alg ?? 'HS256' }).sign(key);
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid }).sign(key.privateKey);
}

function unsignedToken(claims: JWTPayload): string {
  const encode = (value: object) => base64url.encode(JSON.stringify(value));
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ iss: ISSUER, aud: AUDIENCE, sub: 'alice', ...claims })}.`;
}

/** Asserts the rejection and that neither the token nor any of its parts leaks into the message. */
async function expectRejected(verifier: JwtVerifier, token: string, code: string, message: RegExp): Promise<void> {
  const error = await verifier.verify(token).then(
    () => new Error('expected the token to be rejected'),
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(CapstanError);
  const { code: actualCode, message: actualMessage } = error as CapstanError;
  expect({ code: actualCode, message: actualMessage }).toMatchObject({ code, message: expect.stringMatching(message) });
  expect(actualMessage).not.toContain(token);
  for (const part of token.split('.').filter((segment) => segment.length > 0)) expect(actualMessage).not.toContain(part);
}

let rsa: SigningKey;
let ec: SigningKey;
let jwks: JwksServer;

beforeAll(async () => {
  [rsa, ec] = await Promise.all([makeKey('RS256', 'rsa-1'), makeKey('ES256', 'ec-1')]);
  jwks = await startJwksServer([rsa.publicJwk, ec.publicJwk]);
});
afterAll(() => jwks.close());

const jwksVerifier = (extra: Partial<JwtSettings> = {}) =>
  createJwtVerifier({ jwksUrl: jwks.url, issuer: ISSUER, audience: AUDIENCE, ...extra });
const secretVerifier = (extra: Partial<JwtSettings> = {}) =>
  createJwtVerifier({ secret: SECRET, issuer: ISSUER, audience: AUDIENCE, ...extra });

describe('createJwtVerifier: accepted tokens', () => {
  it('verifies RS256 tokens against the JWKS', async () => {
    const exp = nowSeconds() + 600;
    const identity = await jwksVerifier().verify(await sign(rsa, { exp }));
    expect(identity).toMatchObject({ username: 'alice', groups: [], expiresAt: exp, claims: { iss: ISSUER, sub: 'alice' } });
  });

  it('verifies ES256 tokens against the JWKS', async () => {
    expect((await jwksVerifier().verify(await sign(ec))).username).toBe('alice');
  });

  it('verifies HS256 tokens with the shared secret', async () => {
    expect((await secretVerifier().verify(await sign(SECRET_KEY))).username).toBe('alice');
  });

  it('reads groups from an array or a space/comma separated string, dropping junk', async () => {
    const verifier = jwksVerifier();
    expect((await verifier.verify(await sign(rsa, { groups: ['ml-admins', 'viewers', 7, '', 'viewers'] }))).groups).toEqual([
      'ml-admins',
      'viewers',
    ]);
    expect((await verifier.verify(await sign(rsa, { groups: 'ml-admins viewers' }))).groups).toEqual(['ml-admins', 'viewers']);
    expect((await verifier.verify(await sign(rsa, { groups: 'a, b,c' }))).groups).toEqual(['a', 'b', 'c']);
  });

  it('uses custom username and groups claims', async () => {
    const verifier = jwksVerifier({ usernameClaim: 'preferred_username', groupsClaim: 'roles' });
    const identity = await verifier.verify(await sign(rsa, { preferred_username: 'bob', roles: ['editors'] }));
    expect(identity).toMatchObject({ username: 'bob', groups: ['editors'] });
  });

  it('accepts an audience array when one entry matches, on either side', async () => {
    expect((await jwksVerifier().verify(await sign(rsa, { aud: ['other-app', AUDIENCE] }))).username).toBe('alice');
    expect((await jwksVerifier({ audience: ['other-app', AUDIENCE] }).verify(await sign(rsa))).username).toBe('alice');
  });

  it('tolerates clock skew within clockToleranceSeconds', async () => {
    const token = await sign(rsa, { exp: nowSeconds() - 30, nbf: nowSeconds() + 30 });
    expect((await jwksVerifier().verify(token)).username).toBe('alice');
  });

  it('keeps HS and JWKS keys apart when both are configured', async () => {
    const verifier = createJwtVerifier({
      secret: SECRET,
      jwksUrl: jwks.url,
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256', 'RS256'],
    });
    expect((await verifier.verify(await sign(SECRET_KEY))).username).toBe('alice');
    expect((await verifier.verify(await sign(rsa))).username).toBe('alice');
    // Even with HS256 allowed, the public key never serves as the HMAC secret.
    const forged = await sign(new TextEncoder().encode(JSON.stringify(rsa.publicJwk)));
    await expectRejected(verifier, forged, 'UNAUTHENTICATED', /^JWT signature invalid$/);
  });
});

describe('createJwtVerifier: rejected tokens', () => {
  it('rejects tokens expired beyond the tolerance', async () => {
    await expectRejected(jwksVerifier(), await sign(rsa, { exp: nowSeconds() - 120 }), 'UNAUTHENTICATED', /^JWT expired$/);
  });

  it('rejects tokens whose nbf is in the future', async () => {
    const token = await sign(rsa, { nbf: nowSeconds() + 300 });
    await expectRejected(jwksVerifier(), token, 'UNAUTHENTICATED', /^JWT not yet valid$/);
  });

  it('rejects a wrong issuer or audience', async () => {
    await expectRejected(jwksVerifier(), await sign(rsa, { iss: 'https://evil.example.com/' }), 'UNAUTHENTICATED', /^JWT issuer mismatch$/);
    await expectRejected(jwksVerifier(), await sign(rsa, { aud: 'other-app' }), 'UNAUTHENTICATED', /^JWT audience mismatch$/);
  });

  it('rejects tokens without exp', async () => {
    await expectRejected(jwksVerifier(), await sign(rsa, { exp: undefined }), 'UNAUTHENTICATED', /missing required claim 'exp'/);
  });

  it('rejects a tampered payload', async () => {
    const [header, , signature] = (await sign(rsa)).split('.');
    const forgedPayload = base64url.encode(JSON.stringify({ iss: ISSUER, aud: AUDIENCE, sub: 'admin', exp: nowSeconds() + 3600 }));
    await expectRejected(jwksVerifier(), `${header}.${forgedPayload}.${signature}`, 'UNAUTHENTICATED', /^JWT signature invalid$/);
  });

  it('rejects alg none', async () => {
    const token = unsignedToken({ exp: nowSeconds() + 3600 });
    await expectRejected(jwksVerifier(), token, 'UNAUTHENTICATED', /^JWT algorithm not allowed$/);
    await expectRejected(secretVerifier(), token, 'UNAUTHENTICATED', /^JWT algorithm not allowed$/);
  });

  it('rejects HS256 tokens signed with the RSA public key (algorithm confusion)', async () => {
    const pem = new TextEncoder().encode(await exportSPKI(rsa.publicKey));
    const jwkBytes = new TextEncoder().encode(JSON.stringify(rsa.publicJwk));
    for (const verifier of [jwksVerifier({ algorithms: ['RS256'] }), jwksVerifier()]) {
      for (const keyBytes of [pem, jwkBytes]) {
        await expectRejected(verifier, await sign(keyBytes), 'UNAUTHENTICATED', /^JWT algorithm not allowed$/);
      }
    }
  });

  it('rejects algorithms outside the allow-list', async () => {
    await expectRejected(jwksVerifier({ algorithms: ['RS256'] }), await sign(ec), 'UNAUTHENTICATED', /^JWT algorithm not allowed$/);
    await expectRejected(secretVerifier(), await sign(rsa), 'UNAUTHENTICATED', /^JWT algorithm not allowed$/);
  });

  it('rejects a kid the JWKS does not know', async () => {
    const stranger = await makeKey('RS256', 'not-published');
    await expectRejected(jwksVerifier(), await sign(stranger), 'UNAUTHENTICATED', /^JWT signing key not found$/);
  });

  it('rejects a missing, empty or non-string username claim', async () => {
    await expectRejected(jwksVerifier(), await sign(rsa, { sub: undefined }), 'UNAUTHENTICATED', /username claim 'sub'/);
    await expectRejected(jwksVerifier(), await sign(rsa, { sub: '  ' }), 'UNAUTHENTICATED', /username claim 'sub'/);
    const verifier = jwksVerifier({ usernameClaim: 'email' });
    await expectRejected(verifier, await sign(rsa, { email: 42 }), 'UNAUTHENTICATED', /username claim 'email'/);
  });

  it('rejects garbage as malformed', async () => {
    await expectRejected(jwksVerifier(), 'not-a-jwt', 'UNAUTHENTICATED', /^JWT malformed$/);
  });
});

describe('createJwtVerifier: JWKS fetching', () => {
  it('refetches for a new kid after rotation, but no more often than the cooldown allows', async () => {
    // Only Date is faked: jose's cache clock moves while sockets and fetch keep real timers.
    vi.useFakeTimers({ toFake: ['Date'] });
    const server = await startJwksServer([rsa.publicJwk]);
    try {
      const verifier = createJwtVerifier({ jwksUrl: server.url, issuer: ISSUER, audience: AUDIENCE });
      await verifier.verify(await sign(rsa));
      expect(server.fetchCount).toBe(1);

      const rotated = await makeKey('RS256', 'rsa-2');
      server.setKeys([rsa.publicJwk, rotated.publicJwk]);
      const fresh = await sign(rotated);
      // Inside the cooldown an unknown kid does not reach the IdP, so forged kids cannot hammer it.
      await expectRejected(verifier, fresh, 'UNAUTHENTICATED', /^JWT signing key not found$/);
      expect(server.fetchCount).toBe(1);

      vi.setSystemTime(Date.now() + 31_000);
      expect((await verifier.verify(fresh)).username).toBe('alice');
      expect(server.fetchCount).toBe(2);

      // Past the cooldown a kid that is still unknown after the refetch stays rejected.
      vi.setSystemTime(Date.now() + 31_000);
      await expectRejected(verifier, await sign(await makeKey('RS256', 'rsa-9')), 'UNAUTHENTICATED', /^JWT signing key not found$/);
      expect(server.fetchCount).toBe(3);
    } finally {
      vi.useRealTimers();
      await server.close();
    }
  });

  it('reports an unreachable JWKS as TEMPORARILY_UNAVAILABLE, not as bad credentials', async () => {
    const server = await startJwksServer([rsa.publicJwk]);
    const verifier = createJwtVerifier({ jwksUrl: server.url, issuer: ISSUER, audience: AUDIENCE });
    await server.close();
    await expectRejected(verifier, await sign(rsa), 'TEMPORARILY_UNAVAILABLE', /could not be fetched/);
  });

  it('reports a failing JWKS endpoint as TEMPORARILY_UNAVAILABLE and recovers', async () => {
    const server = await startJwksServer([rsa.publicJwk]);
    try {
      const verifier = createJwtVerifier({ jwksUrl: server.url, issuer: ISSUER, audience: AUDIENCE });
      server.failWith(503);
      await expectRejected(verifier, await sign(rsa), 'TEMPORARILY_UNAVAILABLE', /could not be fetched/);
      server.failWith(undefined);
      expect((await verifier.verify(await sign(rsa))).username).toBe('alice');
    } finally {
      await server.close();
    }
  });
});

describe('createJwtVerifier: settings', () => {
  const base = { issuer: ISSUER, audience: AUDIENCE };
  it.each<[string, JwtSettings, RegExp]>([
    ['neither secret nor jwksUrl', base, /secret or a jwksUrl/],
    ['a short secret', { ...base, secret: 'x'.repeat(31) }, /at least 32 bytes/],
    ['an empty secret', { ...base, secret: '' }, /at least 32 bytes/],
    ["alg 'none'", { ...base, secret: SECRET, algorithms: ['none'] }, /'none' is not supported/],
    ["alg 'NONE'", { ...base, secret: SECRET, algorithms: ['HS256', 'NONE'] }, /'NONE' is not supported/],
    ['an empty algorithm list', { ...base, secret: SECRET, algorithms: [] }, /must not be empty/],
    ['HS256 without a secret', { ...base, jwksUrl: 'https://idp.example.com/jwks', algorithms: ['HS256'] }, /needs a secret/],
    ['RS256 without a jwksUrl', { ...base, secret: SECRET, algorithms: ['RS256'] }, /needs a jwksUrl/],
    ['a relative jwksUrl', { ...base, jwksUrl: '/jwks' }, /absolute URL/],
    ['a non-http jwksUrl', { ...base, jwksUrl: 'file:///etc/jwks.json' }, /http\(s\)/],
    ['an empty issuer', { ...base, secret: SECRET, issuer: '' }, /issuer/],
    ['an empty audience list', { ...base, secret: SECRET, audience: [] }, /audience/],
    ['an empty audience', { ...base, secret: SECRET, audience: '' }, /audience/],
    ['a negative clock tolerance', { ...base, secret: SECRET, clockToleranceSeconds: -1 }, /clockToleranceSeconds/],
  ])('rejects %s', (_label, settings, message) => {
    expect(() => createJwtVerifier(settings)).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(message) }),
    );
  });
});

describe('looksLikeJwt', () => {
  it('recognises signed and unsigned JWTs', async () => {
    expect(looksLikeJwt(await sign(rsa))).toBe(true);
    expect(looksLikeJwt(await sign(SECRET_KEY))).toBe(true);
    expect(looksLikeJwt(unsignedToken({}))).toBe(true);
  });

  it.each([
    ['a cap_ token', 'cap_3f9a2b7c4d5e6f708192a3b4c5d6e7f8'],
    ['a random string', 'Zm9vYmFyYmF6cXV4'],
    ['an empty string', ''],
    ['two segments', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0'],
    ['four segments', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln.c2ln'],
    ['a header that is not JSON', 'abc.def.ghi'],
    ['a header without alg', `${base64url.encode('{"typ":"JWT"}')}.e30.c2ln`],
    ['a header whose alg is not a string', `${base64url.encode('{"alg":1}')}.e30.c2ln`],
    ['non-base64url characters', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIi+/=.c2ln'],
  ])('rejects %s', (_label, token) => {
    expect(looksLikeJwt(token)).toBe(false);
  });
});
