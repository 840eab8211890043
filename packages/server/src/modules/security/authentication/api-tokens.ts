import { createHash, randomBytes } from 'node:crypto';

/** Every Capstan API token starts with this, so it is recognisable in a leaked file or a secret scanner. */
export const TOKEN_PREFIX = 'cap_';

export interface NewToken {
  /** The secret, shown to its owner once. */
  token: string;
  /** Public id used to list and revoke. */
  tokenId: string;
  /** What the database keeps. */
  hash: string;
}

export function generateToken(): NewToken {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, tokenId: `tok_${randomBytes(9).toString('base64url')}`, hash: hashToken(token) };
}

/** Tokens carry 256 random bits, so SHA-256 is enough: there is nothing to guess. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function looksLikeApiToken(value: string): boolean {
  return value.startsWith(TOKEN_PREFIX) && value.length > TOKEN_PREFIX.length;
}
