import { Injectable } from '@nestjs/common';
import { isDatabaseId } from '../../libs/database/database-id.js';
import { ConnectionCursors, CountedConnection, PageRequest } from '../../libs/graphql/pagination.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { byIds, requestLoader } from '../../libs/graphql/request-loaders.js';
import { AccessPolicy, forbidden } from '../access/access.policy.js';
import { Actor, PartnerScope } from '../access/actor.js';
import { AuditLogService } from '../audit/audit-log.service.js';
import { RegisterPartnerAppInput } from './dto/identity.inputs.js';
import { PartnerAppRow } from '../directory/partner-app.row.js';
import { IdentityRepository } from './identity.repository.js';
import { PartnerApp, PartnerAppKeyPayload } from './models/identity.models.js';
import { newToken, TOKEN_PREFIX, tokenHash } from '../../libs/security/tokens.js';

const PARTNER_APPS = Symbol('partnerApps');
const PARTNER_APP_CURSORS = new ConnectionCursors('PartnerAppConnection');

/** Partner apps are registered by the managers of their community; members consent to be acted for. */
@Injectable()
export class PartnerAppsService {
  constructor(
    private readonly identity: IdentityRepository,
    private readonly access: AccessPolicy,
    private readonly audit: AuditLogService,
    private readonly db: TransactionalConnection,
  ) {}

  async register(actor: Actor, input: RegisterPartnerAppInput): Promise<PartnerAppKeyPayload> {
    const role = await this.access.requireManager(actor, input.communityId);
    const member = this.access.requireMember(actor);
    return this.db.transaction(async () => {
      const app = await this.identity.insertPartnerApp({
        name: input.name,
        communityId: input.communityId,
        scopes: [...new Set(input.scopes)],
        createdBy: member.memberId,
      });
      const apiKey = await this.issueKey(app.id);
      await this.audit.record(actor, {
        as: role,
        action: 'partner_app.register',
        communityId: app.communityId,
        targetType: 'partner_app',
        targetId: app.id,
        details: { scopes: app.scopes },
      });
      return { partnerApp: app, apiKey, userErrors: [] };
    });
  }

  /** A new key; the old one stops working at once. */
  async rotateKey(actor: Actor, partnerAppId: string): Promise<PartnerAppKeyPayload> {
    const { app, role } = await this.managedApp(actor, partnerAppId);
    if (app.revokedAt) throw forbidden();
    return this.db.transaction(async () => {
      const apiKey = await this.issueKey(app.id);
      await this.audit.record(actor, {
        as: role,
        action: 'partner_app.rotate_key',
        communityId: app.communityId,
        targetType: 'partner_app',
        targetId: app.id,
      });
      return { partnerApp: app, apiKey, userErrors: [] };
    });
  }

  async revoke(actor: Actor, partnerAppId: string, reason: string | null): Promise<PartnerApp> {
    const { app, role } = await this.managedApp(actor, partnerAppId);
    return this.db.transaction(async () => {
      await this.identity.revokePartnerApp(app.id);
      await this.audit.record(actor, {
        as: role,
        action: 'partner_app.revoke',
        communityId: app.communityId,
        targetType: 'partner_app',
        targetId: app.id,
        reason,
      });
      return (await this.identity.findPartnerApp(app.id))!;
    });
  }

  async listFor(actor: Actor, communityId: string): Promise<PartnerApp[]> {
    await this.access.requireManager(actor, communityId);
    return this.identity.partnerAppsOf(communityId);
  }

  /**
   * A partner app reached through a field of another object (an audit entry's): shown to those
   * `partnerApps(communityId)` shows it to, the managers of its community; else null. Batched per request.
   */
  async visiblePartnerApp(actor: Actor, partnerAppId: string, requestContext: object): Promise<PartnerApp | null> {
    const loader = requestLoader(requestContext, PARTNER_APPS, () =>
      byIds((ids) => this.identity.findPartnerApps(ids)),
    );
    const app = await loader.load(partnerAppId);
    return app && (await this.access.managerRole(actor, app.communityId)) ? app : null;
  }

  /** The same apps as listFor, for the same callers, a page at a time. */
  async pageFor(actor: Actor, communityId: string, page: PageRequest): Promise<CountedConnection<PartnerApp>> {
    await this.access.requireManager(actor, communityId);
    return PARTNER_APP_CURSORS.countedPage<PartnerApp>(page, {
      rows: (after, limit) => this.identity.partnerAppsPage(communityId, after?.[0], limit),
      keyOf: (app) => [BigInt(app.id)],
      count: () => this.identity.countPartnerAppsOf(communityId),
    });
  }

  /** The member's own decision, made in person: a partner app cannot grant itself consent. */
  async grantConsent(actor: Actor, partnerAppId: string): Promise<boolean> {
    const member = this.access.requireMemberInPerson(actor);
    const app = isDatabaseId(partnerAppId) ? await this.identity.findPartnerApp(partnerAppId) : null;
    if (!app || app.revokedAt || !app.scopes.includes(PartnerScope.ACT_FOR_MEMBER)) throw forbidden();
    await this.db.transaction(async () => {
      await this.identity.grantConsent(app.id, member.memberId);
      await this.audit.record(actor, {
        as: 'member',
        action: 'partner_consent.grant',
        communityId: app.communityId,
        targetType: 'partner_app',
        targetId: app.id,
      });
    });
    return true;
  }

  /** The member's own decision too, in person; takes effect at once: the app's next request for this member is refused. */
  async revokeConsent(actor: Actor, partnerAppId: string): Promise<boolean> {
    const member = this.access.requireMemberInPerson(actor);
    const app = isDatabaseId(partnerAppId) ? await this.identity.findPartnerApp(partnerAppId) : null;
    if (!app) return false;
    return this.db.transaction(async () => {
      const revoked = await this.identity.revokeConsent(app.id, member.memberId);
      if (revoked)
        await this.audit.record(actor, {
          as: 'member',
          action: 'partner_consent.revoke',
          communityId: app.communityId,
          targetType: 'partner_app',
          targetId: app.id,
        });
      return revoked;
    });
  }

  private async managedApp(
    actor: Actor,
    partnerAppId: string,
  ): Promise<{ app: PartnerAppRow; role: 'coordinator' | 'admin' }> {
    this.access.requireAuthenticated(actor);
    const app = isDatabaseId(partnerAppId) ? await this.identity.findPartnerApp(partnerAppId) : null;
    const role = app ? await this.access.managerRole(actor, app.communityId) : null;
    if (!app || !role) throw forbidden();
    return { app, role };
  }

  private async issueKey(partnerAppId: string): Promise<string> {
    const apiKey = newToken(TOKEN_PREFIX.apiKey);
    await this.identity.replaceApiKey(partnerAppId, tokenHash(apiKey));
    return apiKey;
  }
}
