import { CapstanError } from '../../../core/errors.js';
import type { AuthMethod, Principal } from '../principal.js';
import { USER_SCOPES } from '../principal.js';
import type { GroupStore } from '../stores/group-store.js';
import type { TokenStore } from '../stores/token-store.js';
import type { UserRecord, UserStore } from '../stores/user-store.js';
import { looksLikeApiToken } from './api-tokens.js';
import type { JwtVerifier } from './jwt/jwt-verifier.js';
import { looksLikeJwt } from './jwt/jwt-verifier.js';
import type { LoginThrottle } from './login-throttle.js';
import type { PasswordCheckCache } from './passwords.js';

export interface AuthenticatorDeps {
  users: UserStore;
  groups: GroupStore;
  tokens: TokenStore;
  passwords: PasswordCheckCache;
  throttle: LoginThrottle;
  jwt?: { verifier: JwtVerifier; adminGroup?: string };
  now: () => number;
}

/** A failed sign-in: the reason is for the audit log and the response; never the credential. */
export class AuthenticationFailed extends CapstanError {
  constructor(
    message: string,
    readonly method: AuthMethod,
    readonly username?: string,
    /** True when this failure started a lockout of the account or address. */
    readonly lockoutStarted = false,
  ) {
    super('UNAUTHENTICATED', message);
  }
}

/**
 * Turns an `Authorization` header into a principal: `Bearer cap_...` (API token), `Bearer <JWT>`
 * (identity provider, when configured) or `Basic` (username and password, what MLflow clients send
 * from MLFLOW_TRACKING_USERNAME/PASSWORD). No header means anonymous; anything else fails.
 */
export class Authenticator {
  constructor(private readonly deps: AuthenticatorDeps) {}

  async authenticate(header: string | undefined, address: string): Promise<Principal | undefined> {
    if (header === undefined || header === '') return undefined;
    const space = header.indexOf(' ');
    const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
    const credential = space < 0 ? '' : header.slice(space + 1).trim();
    if (scheme === 'basic') return this.basic(credential, address);
    if (scheme === 'bearer') {
      await this.deps.throttle.check(address);
      if (looksLikeApiToken(credential)) return this.token(credential, address);
      if (this.deps.jwt && looksLikeJwt(credential)) return this.jwt(credential, address);
      return this.fail('Unrecognised bearer token', 'token', address);
    }
    return this.fail('Unsupported authorization scheme; use Bearer or Basic', 'none', address);
  }

  private async basic(credential: string, address: string): Promise<Principal> {
    const decoded = Buffer.from(credential, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return this.fail('Malformed Basic credentials', 'basic', address);
    const username = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    await this.deps.throttle.check(address, username);
    const found = await this.deps.users.findWithGroups(username);
    const user = found?.user;
    // Unknown users and wrong passwords get the same answer, so usernames cannot be probed.
    if (!user || user.passwordHash === null || !(await this.deps.passwords.verify(password, user.passwordHash))) {
      return this.fail('Invalid username or password', 'basic', address, username);
    }
    if (user.disabled) return this.fail('User is disabled', 'basic', address, username);
    await this.deps.throttle.recordSuccess(username);
    return this.principal(user, 'basic', USER_SCOPES, found.groupIds);
  }

  private async token(secret: string, address: string): Promise<Principal> {
    const token = await this.deps.tokens.findBySecret(secret);
    if (!token) return this.fail('Invalid API token', 'token', address);
    if (token.revokedAt !== null) return this.fail('API token has been revoked', 'token', address, token.username);
    if (token.expiresAt !== null && token.expiresAt <= this.deps.now()) return this.fail('API token has expired', 'token', address, token.username);
    if (token.ownerDisabled) return this.fail('The token owner is disabled', 'token', address, token.username);
    await this.deps.tokens.touch(token);
    // A token never carries more than its owner has: `admin` scope matters only for admins.
    const owner = { userId: token.userId, username: token.username, isAdmin: token.ownerIsAdmin };
    return { ...this.principal(owner, 'token', token.scopes, token.ownerGroupIds), tokenId: token.tokenId, deployments: token.deployments };
  }

  private async jwt(credential: string, address: string): Promise<Principal> {
    const jwt = this.deps.jwt;
    if (!jwt) return this.fail('Unrecognised bearer token', 'jwt', address);
    let identity;
    try {
      identity = await jwt.verifier.verify(credential);
    } catch (err) {
      if (err instanceof CapstanError && err.code === 'UNAUTHENTICATED') return this.fail(err.message, 'jwt', address);
      throw err;
    }
    const user = await this.deps.users.ensureExternal(identity.username);
    if (user.disabled) return this.fail('User is disabled', 'jwt', address, user.username);
    const principal = this.principal(user, 'jwt', USER_SCOPES, await this.deps.groups.groupIdsOf(user.userId, identity.groups));
    const adminByClaim = jwt.adminGroup !== undefined && identity.groups.includes(jwt.adminGroup);
    return adminByClaim ? { ...principal, isAdmin: true } : principal;
  }

  private principal(user: Pick<UserRecord, 'userId' | 'username' | 'isAdmin'>, method: AuthMethod, scopes: Principal['scopes'], groupIds: readonly number[]): Principal {
    return { userId: user.userId, username: user.username, isAdmin: user.isAdmin, groupIds, authMethod: method, scopes };
  }

  private async fail(message: string, method: AuthMethod, address: string, username?: string): Promise<never> {
    const lockoutStarted = await this.deps.throttle.recordFailure(address, username);
    throw new AuthenticationFailed(message, method, username, lockoutStarted);
  }
}
