import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { invalidParameter } from '../../../core/errors.js';

/**
 * Password hashing with scrypt (memory-hard; OpenSSL's implementation through node:crypto). The
 * parameters travel inside each hash, `scrypt$N$r$p$salt$key`, so they can be raised later
 * without invalidating stored passwords.
 */
const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
/** scrypt needs 128·N·r bytes; allow headroom for stronger parameters read from stored hashes. */
const MAX_MEMORY = 256 * 1024 * 1024;

export const MIN_PASSWORD_LENGTH = 12;

function derive(password: string, salt: Buffer, options: ScryptOptions, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, length, { ...options, maxmem: MAX_MEMORY }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export function validateNewPassword(password: unknown): string {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
    throw invalidParameter(`Passwords must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  }
  if (password.length > 1024) throw invalidParameter('Passwords must be at most 1024 characters long');
  return password;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS, KEY_LENGTH);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) }, expected.length);
  return timingSafeEqual(actual, expected);
}

/**
 * Remembers recent successful verifications. MLflow clients send Basic credentials on every
 * request; running scrypt each time would cost ~50 ms of CPU per call and hand attackers a cheap
 * way to exhaust the server. Entries are keyed by a digest of the stored hash and the password, so
 * changing the password (a new stored hash) invalidates them without any bookkeeping.
 */
export class PasswordCheckCache {
  private readonly entries = new Map<string, number>();

  constructor(
    private readonly ttlMs = 5 * 60_000,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async verify(password: string, stored: string): Promise<boolean> {
    const key = createHash('sha256').update(stored).update('\0').update(password).digest('base64url');
    const expires = this.entries.get(key);
    if (expires !== undefined && expires > this.now()) return true;
    if (!(await verifyPassword(password, stored))) return false;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, this.now() + this.ttlMs);
    return true;
  }
}
