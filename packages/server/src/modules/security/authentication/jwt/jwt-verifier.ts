import { createSecretKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, type CryptoKey, type JWTVerifyGetKey } from 'jose';
import { CapstanError, invalidParameter } from '../../../../core/errors.js';

export interface JwtSettings {
  /** Shared secret for HS256/HS384/HS512 tokens. */
  secret?: string;
  /** JWKS URL for RS256/RS384/RS512/ES256/ES384/PS256 tokens (keys fetched and cached; unknown `kid` triggers a refetch, rate-limited). */
  jwksUrl?: string;
  issuer: string;
  audience: string | string[];
  /** Accepted algorithms; default: HS256 when `secret` is set, RS256 and ES256 when `jwksUrl` is set. Never 'none'. */
  algorithms?: string[];
  /** Claim holding the username (default 'sub'; e.g. 'preferred_username' or 'email'). */
  usernameClaim?: string;
  /** Claim holding group names: an array of strings or a space/comma separated string (default 'groups'). */
  groupsClaim?: string;
  /** Allowed clock skew in seconds (default 60). */
  clockToleranceSeconds?: number;
}

export interface JwtIdentity {
  username: string;
  groups: string[];
  /** The token's `exp` claim, in seconds since the epoch. */
  expiresAt?: number;
  claims: Record<string, unknown>;
}

export interface JwtVerifier {
  verify(token: string): Promise<JwtIdentity>;
}

const HMAC_ALGORITHMS = new Set(['HS256', 'HS384', 'HS512']);
const JWKS_ALGORITHMS = new Set(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512']);
// RFC 7518 §3.2: an HMAC key must be at least as long as the hash output; 32 bytes covers HS256.
const MIN_SECRET_BYTES = 32;
// Keys are refetched at most this often for an unknown `kid`, so forged kids cannot hammer the IdP.
const JWKS_COOLDOWN_MS = 30_000;
// Cached keys expire so that keys the IdP has revoked stop being accepted.
const JWKS_CACHE_MAX_AGE_MS = 10 * 60_000;
const JWKS_TIMEOUT_MS = 5_000;

/** Marks a failure to obtain the IdP's keys, which says nothing about the caller's credentials. */
class JwksUnavailableError extends Error {}

const unauthenticated = (message: string) => new CapstanError('UNAUTHENTICATED', message);

export function createJwtVerifier(settings: JwtSettings): JwtVerifier {
  const algorithms = resolveAlgorithms(settings);
  const audience = checkAudience(settings.audience);
  if (!settings.issuer) throw invalidParameter('JWT issuer must be a non-empty string');
  const clockTolerance = settings.clockToleranceSeconds ?? 60;
  if (!Number.isFinite(clockTolerance) || clockTolerance < 0) {
    throw invalidParameter('JWT clockToleranceSeconds must be a non-negative number');
  }
  const usernameClaim = settings.usernameClaim ?? 'sub';
  const groupsClaim = settings.groupsClaim ?? 'groups';
  const secretKey = settings.secret === undefined ? undefined : createSecretKey(Buffer.from(settings.secret, 'utf8'));
  const remoteKeys =
    settings.jwksUrl === undefined
      ? undefined
      : createRemoteJWKSet(parseJwksUrl(settings.jwksUrl), {
          cooldownDuration: JWKS_COOLDOWN_MS,
          cacheMaxAge: JWKS_CACHE_MAX_AGE_MS,
          timeoutDuration: JWKS_TIMEOUT_MS,
        });

  // Keys are kept apart by algorithm family: an HS* token can only meet the shared secret and an
  // asymmetric token only the JWKS, so public key material can never serve as an HMAC secret
  // (algorithm confusion) even if the allow-list mixes both families.
  const getKey: JWTVerifyGetKey = async (header, token): Promise<CryptoKey | KeyObject> => {
    if (HMAC_ALGORITHMS.has(header.alg)) {
      if (!secretKey) throw new errors.JWKSNoMatchingKey();
      return secretKey;
    }
    if (!remoteKeys) throw new errors.JWKSNoMatchingKey();
    try {
      return await remoteKeys(header, token);
    } catch (err) {
      // These come from a successfully fetched key set, so the token is at fault.
      if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) throw err;
      throw new JwksUnavailableError('JWKS fetch failed', { cause: err });
    }
  };

  return {
    async verify(token) {
      let payload: Record<string, unknown>;
      try {
        ({ payload } = await jwtVerify(token, getKey, {
          algorithms,
          issuer: settings.issuer,
          audience,
          clockTolerance,
          requiredClaims: ['exp'],
        }));
      } catch (err) {
        throw translateError(err);
      }
      const username = payload[usernameClaim];
      if (typeof username !== 'string' || username.trim() === '') {
        throw unauthenticated(`JWT missing username claim '${usernameClaim}'`);
      }
      return {
        username,
        groups: parseGroups(payload[groupsClaim]),
        expiresAt: typeof payload.exp === 'number' ? payload.exp : undefined,
        claims: payload,
      };
    },
  };
}

/** Cheap syntactic check: three base64url segments, header decodes to JSON with an `alg`. Used to tell JWTs from other bearer tokens. */
export function looksLikeJwt(token: string): boolean {
  // The signature may be empty so that unsigned (`alg: none`) tokens reach the JWT verifier and get
  // a precise rejection instead of being treated as some other kind of token.
  const match = /^([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.exec(token);
  if (!match) return false;
  try {
    const header: unknown = JSON.parse(Buffer.from(match[1], 'base64url').toString('utf8'));
    return typeof header === 'object' && header !== null && typeof (header as { alg?: unknown }).alg === 'string';
  } catch {
    return false;
  }
}

function resolveAlgorithms(settings: JwtSettings): string[] {
  const { secret } = settings;
  const hasSecret = secret !== undefined;
  const hasJwks = settings.jwksUrl !== undefined;
  if (!hasSecret && !hasJwks) throw invalidParameter('JWT settings need a secret or a jwksUrl');
  if (hasSecret && Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) {
    throw invalidParameter(`JWT secret must be at least ${MIN_SECRET_BYTES} bytes`);
  }
  const algorithms = settings.algorithms ?? [...(hasSecret ? ['HS256'] : []), ...(hasJwks ? ['RS256', 'ES256'] : [])];
  if (algorithms.length === 0) throw invalidParameter('JWT algorithms must not be empty');
  for (const alg of algorithms) {
    if (HMAC_ALGORITHMS.has(alg)) {
      if (!hasSecret) throw invalidParameter(`JWT algorithm ${alg} needs a secret`);
    } else if (JWKS_ALGORITHMS.has(alg)) {
      if (!hasJwks) throw invalidParameter(`JWT algorithm ${alg} needs a jwksUrl`);
    } else {
      // Covers 'none' in any spelling: only signed tokens are ever accepted.
      throw invalidParameter(`JWT algorithm '${alg}' is not supported`);
    }
  }
  return algorithms;
}

function parseJwksUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidParameter('JWT jwksUrl must be an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalidParameter('JWT jwksUrl must be http(s)');
  return url;
}

function checkAudience(audience: string | string[]): string | string[] {
  const list = typeof audience === 'string' ? [audience] : audience;
  if (list.length === 0 || list.some((aud) => typeof aud !== 'string' || aud === '')) {
    throw invalidParameter('JWT audience must be a non-empty string or list of strings');
  }
  return audience;
}

function parseGroups(value: unknown): string[] {
  // Anything malformed yields fewer groups, never more: groups grant permissions.
  const raw = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/) : [];
  const groups = raw.filter((g): g is string => typeof g === 'string').map((g) => g.trim());
  return [...new Set(groups.filter((g) => g !== ''))];
}

// Fixed messages only: jose's messages and causes can carry claim values, and the token itself must
// never reach a log or a response.
function translateError(err: unknown): CapstanError {
  if (err instanceof JwksUnavailableError) {
    return new CapstanError('TEMPORARILY_UNAVAILABLE', 'JWT signing keys could not be fetched from the identity provider', {
      cause: err.cause,
    });
  }
  if (err instanceof errors.JWTExpired) return unauthenticated('JWT expired');
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.reason === 'missing') return unauthenticated(`JWT missing required claim '${err.claim}'`);
    if (err.claim === 'iss') return unauthenticated('JWT issuer mismatch');
    if (err.claim === 'aud') return unauthenticated('JWT audience mismatch');
    if (err.claim === 'nbf') return unauthenticated('JWT not yet valid');
    return unauthenticated(`JWT claim '${err.claim}' invalid`);
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return unauthenticated('JWT signature invalid');
  if (err instanceof errors.JOSEAlgNotAllowed) return unauthenticated('JWT algorithm not allowed');
  if (err instanceof errors.JWKSNoMatchingKey) return unauthenticated('JWT signing key not found');
  if (err instanceof errors.JWKSMultipleMatchingKeys) return unauthenticated('JWT signing key ambiguous');
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) return unauthenticated('JWT malformed');
  // Fail closed: whatever else jose rejects (unusable key, odd header) is still a rejected token.
  return unauthenticated('JWT invalid');
}
