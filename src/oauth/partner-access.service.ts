import { Injectable } from '@nestjs/common';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { AccessPolicy, forbidden, ManagerRole } from '../access/access.policy.js';
import { PartnerScope } from '../access/actor.js';
import type { Actor } from '../access/actor.js';
import { AuditLogService } from '../audit/audit-log.service.js';
import type { PartnerAppRow } from '../directory/partner-app.row.js';
import { UpdatePartnerAppProfileInput, RevokePartnerAppConsentsInput } from './dto/oauth.inputs.js';
import {
  PartnerConsent,
  RevokePartnerAppConsentsPayload,
  UpdatePartnerAppProfilePayload,
  Viewer,
  ViewerKind,
} from './models/oauth.models.js';
import { oauthError, OAuthErrorCode } from './oauth.errors.js';
import { OAuthServer } from './oauth-server.js';
import { OAuthRepository } from './oauth.repository.js';

/** What a member's consent lets an app do, however it was given (OAuth or grantPartnerConsent). */
const CONSENTED_SCOPES = [PartnerScope.ACT_FOR_MEMBER];

/**
 * Who is calling (`viewer`); members' consents to partner apps; and what coordinators manage of
 * an app's OAuth side: its profile (redirect URIs and the metadata members check) and its consents.
 */
@Injectable()
export class PartnerAccessService {
  constructor(
    private readonly repository: OAuthRepository,
    private readonly access: AccessPolicy,
    private readonly audit: AuditLogService,
    private readonly db: TransactionalConnection,
    private readonly server: OAuthServer,
  ) {}

  /** Anyone may ask; the answer describes the caller's own credentials only. */
  async viewer(actor: Actor): Promise<Viewer> {
    const nobody = { memberId: null, partnerApp: null, actingForMemberId: null, communityId: null, scopes: [] };
    if (actor.kind === 'anonymous') return { kind: ViewerKind.ANONYMOUS, ...nobody };
    if (actor.kind === 'partner') {
      const [app] = await this.repository.partnerApps([actor.partnerAppId]);
      return {
        ...nobody,
        kind: ViewerKind.PARTNER_APP,
        partnerApp: app,
        communityId: actor.communityId,
        scopes: actor.scopes,
      };
    }
    if (actor.viaPartnerAppId) {
      const [app] = await this.repository.partnerApps([actor.viaPartnerAppId]);
      return {
        ...nobody,
        kind: ViewerKind.PARTNER_APP,
        partnerApp: app,
        actingForMemberId: actor.memberId,
        communityId: actor.withinCommunityId,
        scopes: CONSENTED_SCOPES,
      };
    }
    return { ...nobody, kind: actor.isAdmin ? ViewerKind.ADMIN : ViewerKind.MEMBER, memberId: actor.memberId };
  }

  /** Your live consents, newest first, in person only: an app never learns which other apps you use. */
  async consentsOf(actor: Actor): Promise<PartnerConsent[]> {
    const member = this.access.requireMemberInPerson(actor);
    const consents = await this.repository.liveConsentsOf(member.memberId);
    const apps = new Map(
      (await this.repository.partnerApps(consents.map((consent) => consent.partnerAppId))).map((app) => [app.id, app]),
    );
    return consents.map((consent) => ({
      id: consent.id,
      partnerApp: apps.get(consent.partnerAppId)!,
      scopes: CONSENTED_SCOPES,
      grantedAt: consent.createdAt,
    }));
  }

  /** Coordinators and admins of the app's community; audited. Redirect URIs are checked as the OAuth server will. */
  async updateProfile(actor: Actor, input: UpdatePartnerAppProfileInput): Promise<UpdatePartnerAppProfilePayload> {
    const { app, role } = await this.managedApp(actor, input.partnerAppId);
    if (app.revokedAt) throw forbidden();
    const redirectUris = [...new Set(input.redirectUris)];
    if (redirectUris.length > 0 && !app.scopes.includes(PartnerScope.ACT_FOR_MEMBER)) {
      return { partnerApp: null, userErrors: [oauthError(OAuthErrorCode.PARTNER_APP_CANNOT_ACT_FOR_MEMBERS)] };
    }
    const refusal = redirectUris.length > 0 ? await this.server.redirectUrisRefusal(app.id, redirectUris) : null;
    if (refusal) {
      const error = oauthError(OAuthErrorCode.REDIRECT_URI_INVALID);
      return { partnerApp: null, userErrors: [{ ...error, message: `${error.message} (${refusal})` }] };
    }
    const change = {
      redirectUris,
      owner: input.owner ?? null,
      websiteUrl: input.websiteUrl ?? null,
      logoUrl: input.logoUrl ?? null,
      contactEmail: input.contactEmail ?? null,
    };
    return this.db.transaction(async () => {
      await this.repository.updateProfile(app.id, change);
      await this.audit.record(actor, {
        as: role,
        action: 'partner_app.update_profile',
        communityId: app.communityId,
        targetType: 'partner_app',
        targetId: app.id,
        details: change,
      });
      const [updated] = await this.repository.partnerApps([app.id]);
      return { partnerApp: updated, userErrors: [] };
    });
  }

  /**
   * Coordinators and admins end members' consents to an app (one member's, or all) without
   * revoking the app: its API key keeps working for what it does as itself. The tokens issued under
   * those consents stop working with this commit; audited.
   */
  async revokeConsents(actor: Actor, input: RevokePartnerAppConsentsInput): Promise<RevokePartnerAppConsentsPayload> {
    const { app, role } = await this.managedApp(actor, input.partnerAppId);
    return this.db.transaction(async () => {
      const revoked = await this.repository.revokeConsentsOfApp(app.id, input.memberId ?? null);
      if (revoked.length === 0) return { revokedCount: 0, userErrors: [oauthError(OAuthErrorCode.NO_LIVE_CONSENT)] };
      await this.audit.record(actor, {
        as: role,
        action: 'partner_consent.revoke_for_app',
        communityId: app.communityId,
        targetType: 'partner_app',
        targetId: app.id,
        reason: input.reason,
        details: { memberIds: revoked.map((consent) => consent.memberId) },
      });
      return { revokedCount: revoked.length, userErrors: [] };
    });
  }

  /** Missing and not yours look alike (FORBIDDEN). */
  private async managedApp(actor: Actor, partnerAppId: string): Promise<{ app: PartnerAppRow; role: ManagerRole }> {
    this.access.requireAuthenticated(actor);
    const [app] = await this.repository.partnerApps([partnerAppId]);
    const role = app ? await this.access.managerRole(actor, app.communityId) : null;
    if (!app || !role) throw forbidden();
    return { app, role };
  }
}
