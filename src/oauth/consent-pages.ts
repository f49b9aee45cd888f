import { Injectable } from '@nestjs/common';
import express, { Request, Response, Router } from 'express';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import { AppConfig } from '../../libs/config/app-config.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { clientAddress } from '../access/actor.js';
import type { MemberActor } from '../access/actor.js';
import { AuditLogService } from '../audit/audit-log.service.js';
import { authError, AuthErrorCode } from '../identity/identity.errors.js';
import { IdentityService } from '../identity/identity.service.js';
import { OAUTH_SCOPES, OAuthServer, oidcProvider } from './oauth-server.js';
import { OAuthClientRow, OAuthRepository } from './oauth.repository.js';
import { ApprovableScope, consentPage, errorPage, loginPage, Page } from './pages.js';

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

const REFUSED_LOGIN_STATUS: Partial<Record<AuthErrorCode, number>> = { [AuthErrorCode.TOO_MANY_ATTEMPTS]: 429 };

function send(res: Response, shown: Page): void {
  res
    .status(shown.status)
    .set({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': shown.csp,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    })
    .send(shown.html);
}

const expired = (): Page =>
  errorPage(
    400,
    'This sign-in has expired',
    'The request to approve an app has expired, was already answered, or was opened in another browser.',
  );

/** A form field as the one string it must be, or null (absent, repeated, or too long). */
function field(body: unknown, name: string, maxLength: number): string | null {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value.length <= maxLength ? value : null;
}

/**
 * The pages a member sees when a partner app sends them here (oidc-provider's interactions): sign
 * in with email and password, then see the app's registered metadata and the scopes it asks, and
 * allow or deny. The library ties each page to its request with a short-lived, path-scoped,
 * SameSite cookie, which another site's form cannot send (CSRF); a cross-site Origin is refused too.
 */
@Injectable()
export class ConsentPages {
  constructor(
    private readonly server: OAuthServer,
    private readonly repository: OAuthRepository,
    private readonly identity: IdentityService,
    private readonly audit: AuditLogService,
    private readonly db: TransactionalConnection,
    private readonly config: AppConfig,
  ) {}

  /** Mounted at /oauth/interaction. */
  router(): Router {
    const router = express.Router();
    const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 });
    router.get('/:uid', (req, res) =>
      this.respond(req, res, (interaction, app, scopes) => this.show(interaction, app, scopes)),
    );
    router.post('/:uid/login', form, (req, res) =>
      this.respond(req, res, (interaction, app) => this.logIn(req, res, interaction, app)),
    );
    router.post('/:uid/consent', form, (req, res) =>
      this.respond(req, res, (interaction, app, scopes) => this.decide(req, res, interaction, app, scopes)),
    );
    return router;
  }

  /**
   * Loads the interaction the cookie names (it must be the one in the path), its app and the
   * scopes asked; a request for scopes a member cannot approve goes back to the app as invalid_scope.
   */
  private async respond(
    req: Request,
    res: Response,
    handle: (interaction: Interaction, app: OAuthClientRow, scopes: ApprovableScope[]) => Promise<Page | null>,
  ): Promise<void> {
    const origin = req.get('origin');
    if (req.method === 'POST' && origin !== undefined && origin !== new URL(this.config.publicUrl).origin) {
      return send(res, errorPage(403, 'Refused', "This form can only be sent from this server's own page."));
    }
    let interaction: Interaction;
    try {
      interaction = await (await this.server.provider()).interactionDetails(req, res);
    } catch (error) {
      if (error instanceof (await oidcProvider()).errors.SessionNotFound) return send(res, expired());
      throw error;
    }
    if (interaction.uid !== req.params.uid) return send(res, expired());
    const app = await this.repository.client(String(interaction.params.client_id));
    if (!app) return send(res, errorPage(400, 'This app is no longer registered', 'Its community has revoked it.'));
    const asked =
      typeof interaction.params.scope === 'string'
        ? [...new Set(interaction.params.scope.split(' ').filter(Boolean))]
        : [];
    const unsupported = asked.filter((scope) => !OAUTH_SCOPES.includes(scope));
    if (asked.length === 0 || unsupported.length > 0) {
      const description =
        `A member can approve scope=${OAUTH_SCOPES.join(' ')} only` +
        (unsupported.length > 0 ? `; not: ${unsupported.join(' ')}` : '; the request asked none');
      return this.finish(req, res, { error: 'invalid_scope', error_description: description });
    }
    const signedIn = interaction.prompt.name === 'consent' ? interaction.session?.accountId : undefined;
    if (signedIn && !(await this.repository.belongsTo(signedIn, app.communityId))) {
      // A consent outside the app's community would give it no reach: say so to the app, not "approved".
      return this.finish(req, res, {
        error: 'access_denied',
        error_description: `Only members of ${app.communityName} can allow this app to act for them`,
      });
    }
    const shown = await handle(interaction, app, asked as ApprovableScope[]);
    if (shown) send(res, shown);
  }

  private async show(interaction: Interaction, app: OAuthClientRow, scopes: ApprovableScope[]): Promise<Page> {
    if (interaction.prompt.name === 'login') return loginPage(interaction.uid, app, null);
    const member = interaction.session ? await this.repository.memberName(interaction.session.accountId) : null;
    if (interaction.prompt.name !== 'consent' || !member) return expired();
    return consentPage(interaction.uid, app, member, scopes, String(interaction.params.redirect_uri));
  }

  /** Checks the password as `login` does, with its limits, and signs the member in here only: no API session starts. */
  private async logIn(
    req: Request,
    res: Response,
    interaction: Interaction,
    app: OAuthClientRow,
  ): Promise<Page | null> {
    if (interaction.prompt.name !== 'login') return expired();
    const email = field(req.body, 'email', 254);
    const password = field(req.body, 'password', 200);
    if (!email || !password)
      return loginPage(interaction.uid, app, { status: 400, message: 'Enter your email and password.' }, email ?? '');
    const checked = await this.identity.checkPassword(email, password, clientAddress(req));
    if ('refusal' in checked) {
      const status = REFUSED_LOGIN_STATUS[checked.refusal] ?? 401;
      return loginPage(interaction.uid, app, { status, message: authError(checked.refusal).message }, email);
    }
    // Not remembered past the browser's session: a shared computer does not stay signed in.
    await this.finish(req, res, { login: { accountId: checked.memberId, remember: false } });
    return null;
  }

  /**
   * Allowing records the consent in partner_consents, as grantPartnerConsent does (so that the
   * same rules and the same withdrawal apply), audited; then the library's grant carries the scopes.
   */
  private async decide(
    req: Request,
    res: Response,
    interaction: Interaction,
    app: OAuthClientRow,
    scopes: ApprovableScope[],
  ): Promise<Page | null> {
    const memberId = interaction.session?.accountId;
    if (interaction.prompt.name !== 'consent' || !memberId) return expired();
    const decision = field(req.body, 'decision', 10);
    if (decision === 'deny') {
      await this.finish(req, res, {
        error: 'access_denied',
        error_description: 'The member did not allow the app to act for them',
      });
      return null;
    }
    if (decision !== 'approve') return errorPage(400, 'No decision', 'Choose Allow or Deny.');
    const member: MemberActor = {
      kind: 'member',
      memberId,
      isAdmin: false,
      sessionId: null,
      viaPartnerAppId: null,
      withinCommunityId: null,
    };
    await this.db.transaction(async () => {
      await this.repository.grantConsent(app.id, memberId);
      await this.audit.record(member, {
        as: 'member',
        action: 'partner_consent.grant',
        communityId: app.communityId,
        targetType: 'partner_app',
        targetId: app.id,
        details: { via: 'oauth', scopes },
      });
    });
    const { Grant } = await this.server.provider();
    const grant =
      (interaction.grantId ? await Grant.find(interaction.grantId) : undefined) ??
      new Grant({ accountId: memberId, clientId: app.id });
    grant.addOIDCScope(scopes);
    await this.finish(req, res, { consent: { grantId: await grant.save() } }, true);
    return null;
  }

  /** Hands the result to the library, which redirects the browser back into the authorization request. */
  private async finish(req: Request, res: Response, result: InteractionResults, merge = false): Promise<void> {
    return (await this.server.provider()).interactionFinished(req, res, result, { mergeWithLastSubmission: merge });
  }
}
