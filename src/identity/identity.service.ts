import { Injectable } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { ClientError, ErrorCode } from '../../libs/graphql/error-code.js';
import { ConnectionCursors, CountedConnection, PageRequest } from '../../libs/graphql/pagination.js';
import { isDatabaseId } from '../../libs/database/database-id.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { refusedPayload } from '../../libs/graphql/refusal.js';
import { AccessPolicy, forbidden } from '../access/access.policy.js';
import { AuditLogService } from '../audit/audit-log.service.js';
import { ANONYMOUS, PartnerScope } from '../access/actor.js';
import { RateLimiterService } from '../access/rate-limiter.service.js';
import type { Actor, AuthenticatedActor } from '../access/actor.js';
import { authError, AuthErrorCode } from './identity.errors.js';
import { SessionCache } from './session-cache.service.js';
import { IdentityRepository } from './identity.repository.js';
import { AuthPayload, AuthTokens, ChangePasswordPayload, Session } from './models/identity.models.js';
import { requireStrongPassword } from '../../libs/security/password-strength.js';
import { hashPassword, verifyPassword } from '../../libs/security/passwords.js';
import { newToken, TOKEN_PREFIX, tokenHash } from '../../libs/security/tokens.js';
import { ChangePasswordInput, LoginInput } from './dto/identity.inputs.js';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;

/** The credentials a request presents: its Authorization header, and X-Acting-For for a partner app acting for a member. */
export interface PresentedCredentials {
  authorization?: string;
  actingFor?: string;
}

/** A login, token refresh or invitation refused: no tokens. */
export const refusedLogin = refusedPayload(authError, { tokens: null });
const refusedPasswordChange = refusedPayload(authError, { changed: false });

export const foldEmail = (email: string): string => email.trim().toLowerCase();

const secondsFromNow = (seconds: number): Date => new Date(Date.now() + seconds * 1000);

/**
 * A presented but unusable credential fails the whole request with 401, rather than quietly
 * running it as anonymous: the client must learn to refresh or log in again.
 */
export function rejectCredentials(message: string, code = ErrorCode.UNAUTHENTICATED): GraphQLError {
  const status = code === ErrorCode.UNAUTHENTICATED ? 401 : 403;
  return new GraphQLError(message, { originalError: new ClientError(code, message), extensions: { http: { status } } });
}

const SESSION_CURSORS = new ConnectionCursors('SessionConnection');

/** Logins, sessions and the tokens that carry them; and turning a request's credentials into an actor. */
@Injectable()
export class IdentityService {
  constructor(
    private readonly identity: IdentityRepository,
    private readonly access: AccessPolicy,
    private readonly audit: AuditLogService,
    private readonly db: TransactionalConnection,
    private readonly limiter: RateLimiterService,
    private readonly sessionCache: SessionCache,
  ) {}

  /** Rate-limited per email and address, per email and per address; a wrong password and an unknown email answer alike. */
  async login(input: LoginInput, address: string): Promise<AuthPayload> {
    const checked = await this.checkPassword(input.email, input.password, address);
    if ('refusal' in checked) return refusedLogin(checked.refusal);
    return { tokens: await this.startSession(checked.memberId), userErrors: [] };
  }

  /**
   * The member an email and password prove, under login's limits, without starting a session: the
   * OAuth sign-in page proves who approves an app, and the app gets tokens of its own.
   */
  async checkPassword(
    email: string,
    password: string,
    address: string,
  ): Promise<{ memberId: string } | { refusal: AuthErrorCode }> {
    const folded = foldEmail(email);
    const credentials = await this.identity.credentials(folded);
    const refusal = await this.passwordRefusal(folded, credentials?.passwordHash ?? null, password, address);
    return refusal ? { refusal } : { memberId: credentials!.memberId };
  }

  /**
   * Checks a password under the login limits. The guess is counted before the password is
   * verified, in one statement, so that concurrent guesses cannot overtake the count; the right
   * password gives its guess back. A member without a password (or no member) always fails.
   */
  private async passwordRefusal(
    email: string,
    passwordHash: string | null,
    password: string,
    address: string,
  ): Promise<AuthErrorCode | null> {
    const attempt = await this.limiter.takeLoginAttempt(email, address);
    if (!attempt) return AuthErrorCode.TOO_MANY_ATTEMPTS;
    if (!(await verifyPassword(passwordHash, password))) return AuthErrorCode.INVALID_CREDENTIALS;
    await this.limiter.loginSucceeded(attempt);
    return null;
  }

  /** A new session for a member whose identity is already proven (login, accepting an invitation). */
  async startSession(memberId: string): Promise<AuthTokens> {
    const tokens = this.newTokens(memberId);
    await this.identity.insertSession({
      memberId,
      accessTokenHash: tokenHash(tokens.accessToken),
      accessExpiresAt: tokens.accessTokenExpiresAt,
      refreshTokenHash: tokenHash(tokens.refreshToken),
      refreshExpiresAt: tokens.refreshTokenExpiresAt,
    });
    return tokens;
  }

  /**
   * Rotates both tokens. A refresh token works once: presenting a rotated one again means two
   * parties hold it, so the session ends for both.
   */
  async refreshTokens(refreshToken: string): Promise<AuthPayload> {
    const presented = tokenHash(refreshToken);
    const session = await this.identity.sessionForRefresh(presented);
    if (!session) return refusedLogin(AuthErrorCode.INVALID_REFRESH_TOKEN);
    if (session.replayed) {
      await this.identity.revokeSession(session.sessionId);
      return refusedLogin(AuthErrorCode.INVALID_REFRESH_TOKEN);
    }
    const tokens = this.newTokens(session.memberId);
    const rotated = await this.identity.rotate({
      sessionId: session.sessionId,
      memberId: session.memberId,
      presentedRefreshTokenHash: presented,
      accessTokenHash: tokenHash(tokens.accessToken),
      accessExpiresAt: tokens.accessTokenExpiresAt,
      refreshTokenHash: tokenHash(tokens.refreshToken),
      refreshExpiresAt: tokens.refreshTokenExpiresAt,
    });
    return rotated ? { tokens, userErrors: [] } : refusedLogin(AuthErrorCode.INVALID_REFRESH_TOKEN);
  }

  /** Ends this session, or every session of the member; their tokens stop working with this commit. */
  async logout(actor: Actor, everywhere: boolean): Promise<number> {
    const member = this.access.requireMemberInPerson(actor);
    if (everywhere) return this.identity.revokeSessionsOf(member.memberId);
    await this.identity.revokeSession(member.sessionId);
    return 1;
  }

  /** Your live sessions, to spot and end one you do not recognise. */
  async sessions(actor: Actor): Promise<Session[]> {
    const member = this.access.requireMemberInPerson(actor);
    const sessions = await this.identity.liveSessionsOf(member.memberId);
    return sessions.map((session) => ({ ...session, current: session.id === member.sessionId }));
  }

  /** A page of your live sessions, newest first: a session started between pages is not shown, none is repeated. */
  sessionsPage(actor: Actor, page: PageRequest): Promise<CountedConnection<Session>> {
    const member = this.access.requireMemberInPerson(actor);
    return SESSION_CURSORS.countedPage(page, {
      rows: async (after, limit) =>
        (await this.identity.liveSessionsOf(member.memberId, { beforeId: after?.[0], limit })).map((session) => ({
          ...session,
          current: session.id === member.sessionId,
        })),
      keyOf: (session) => [BigInt(session.id)],
      count: () => this.identity.countLiveSessionsOf(member.memberId),
    });
  }

  /** Ends one of your sessions, at once; false when it is not one of your live sessions. */
  revokeSession(actor: Actor, sessionId: string): Promise<boolean> {
    const member = this.access.requireMemberInPerson(actor);
    return isDatabaseId(sessionId) ? this.identity.revokeSessionOf(member.memberId, sessionId) : Promise.resolve(false);
  }

  /**
   * Needs the current password, checked (and rate-limited) like a login, and a new one that is
   * hard to guess. Every other session ends, so that whoever knew the old password is logged out.
   */
  async changePassword(actor: Actor, input: ChangePasswordInput, address: string): Promise<ChangePasswordPayload> {
    const member = this.access.requireMemberInPerson(actor);
    const credentials = await this.identity.credentialsOf(member.memberId);
    await requireStrongPassword(input.newPassword, 'newPassword', credentials);
    const refusal = await this.passwordRefusal(
      credentials.email,
      credentials.passwordHash,
      input.currentPassword,
      address,
    );
    if (refusal) return refusedPasswordChange(refusal);
    await this.db.transaction(async () => {
      await this.identity.setPassword(member.memberId, await hashPassword(input.newPassword));
      await this.identity.revokeSessionsOf(member.memberId, member.sessionId);
    });
    return { changed: true, userErrors: [] };
  }

  /** Admins end every session of a member (a lost device, a compromised account), at once; audited. */
  async revokeMemberSessions(actor: Actor, memberId: string, reason: string): Promise<number> {
    this.access.requireAdmin(actor);
    if (!isDatabaseId(memberId)) throw forbidden();
    return this.db.transaction(async () => {
      const ended = await this.identity.revokeSessionsOf(memberId);
      await this.audit.record(actor, {
        as: 'admin',
        action: 'member.revoke_sessions',
        communityId: null,
        targetType: 'member',
        targetId: memberId,
        reason,
        details: { ended },
      });
      return ended;
    });
  }

  /**
   * Who is calling. Runs once per request. A member's access token is checked against its session
   * as the database has it, read through the session cache (a change to it is heard at once, see
   * SessionCache); API keys are read every time.
   */
  async authenticate(credentials: PresentedCredentials): Promise<Actor> {
    if (!credentials.authorization) {
      if (credentials.actingFor) throw rejectCredentials('X-Acting-For needs a partner API key');
      return ANONYMOUS;
    }
    const match = /^Bearer ([A-Za-z0-9_-]{1,100})$/.exec(credentials.authorization);
    if (!match) throw rejectCredentials('Authorization must be "Bearer <access token or API key>"');
    const token = match[1];
    if (token.startsWith(TOKEN_PREFIX.apiKey)) return this.authenticatePartner(token, credentials.actingFor);
    if (credentials.actingFor) throw rejectCredentials('X-Acting-For needs a partner API key');
    const hash = tokenHash(token);
    const session = token.startsWith(TOKEN_PREFIX.access)
      ? await this.sessionCache.session(hash, () => this.identity.liveSession(hash))
      : null;
    if (!session) throw rejectCredentials('The access token is invalid, expired or revoked');
    return {
      kind: 'member',
      memberId: session.memberId,
      isAdmin: session.isAdmin,
      sessionId: session.sessionId,
      viaPartnerAppId: null,
      withinCommunityId: null,
      standings: session.standings,
    };
  }

  /**
   * The requester of an earlier request (an export link's), as their credentials stand now: null
   * when the session has ended, or the partner app is revoked or no longer has the member's
   * consent. Rights within communities are for the caller to check again on what is returned.
   */
  async currentStanding(requester: AuthenticatedActor): Promise<AuthenticatedActor | null> {
    if (requester.kind === 'partner') {
      const app = await this.identity.activePartnerApp(requester.partnerAppId);
      return app && { kind: 'partner', partnerAppId: app.id, communityId: app.communityId, scopes: app.scopes };
    }
    if (requester.viaPartnerAppId) {
      const app = await this.identity.activePartnerApp(requester.viaPartnerAppId);
      const consented =
        app?.scopes.includes(PartnerScope.ACT_FOR_MEMBER) &&
        (await this.identity.hasConsent(app.id, requester.memberId));
      return consented
        ? { ...requester, isAdmin: false, withinCommunityId: app!.communityId, standings: undefined }
        : null;
    }
    const session = requester.sessionId ? await this.identity.liveSessionById(requester.sessionId) : null;
    if (!session || session.memberId !== requester.memberId) return null;
    return { ...requester, isAdmin: session.isAdmin, standings: undefined };
  }

  private async authenticatePartner(apiKey: string, actingFor: string | undefined): Promise<Actor> {
    const app = await this.identity.liveApiKey(tokenHash(apiKey));
    if (!app) throw rejectCredentials('The API key is invalid or revoked');
    if (actingFor === undefined)
      return { kind: 'partner', partnerAppId: app.id, communityId: app.communityId, scopes: app.scopes };
    const consented =
      app.scopes.includes(PartnerScope.ACT_FOR_MEMBER) &&
      isDatabaseId(actingFor) &&
      (await this.identity.hasConsent(app.id, actingFor));
    if (!consented) throw rejectCredentials('This app has no consent to act for that member', ErrorCode.FORBIDDEN);
    return {
      kind: 'member',
      memberId: actingFor,
      isAdmin: false,
      sessionId: null,
      viaPartnerAppId: app.id,
      withinCommunityId: app.communityId,
    };
  }

  private newTokens(memberId: string): AuthTokens {
    return {
      memberId,
      accessToken: newToken(TOKEN_PREFIX.access),
      accessTokenExpiresAt: secondsFromNow(ACCESS_TOKEN_TTL_SECONDS),
      refreshToken: newToken(TOKEN_PREFIX.refresh),
      refreshTokenExpiresAt: secondsFromNow(REFRESH_TOKEN_TTL_SECONDS),
    };
  }
}
