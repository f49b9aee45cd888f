import { Injectable } from '@nestjs/common';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { ConnectionCursors, CountedConnection, PageRequest } from '../../libs/graphql/pagination.js';
import { refusedPayload } from '../../libs/graphql/refusal.js';
import { byIds, requestLoader } from '../../libs/graphql/request-loaders.js';
import { AccessPolicy, forbidden } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import { AuditLogService } from '../audit/audit-log.service.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { Currency } from '../ledger/models/ledger.models.js';
import { CommunityErrorCode, communityError } from './communities.errors.js';
import { CommunitiesRepository } from './communities.repository.js';
import { CommunityPoliciesInput, CreateCommunityInput, UpdateCommunityPoliciesInput } from './dto/community.inputs.js';
import { Community, CommunityPayload, CommunityPolicies } from './models/community.models.js';

/** Seoul Time Bank's defaults: a 5-hour starter grant (in minutes), no credit line, no cap. */
export const DEFAULT_POLICIES: CommunityPolicies = {
  starterGrant: 300n,
  defaultLowerLimit: 0n,
  defaultUpperLimit: null,
  autoConfirmSeconds: 3 * 24 * 3600,
  holdTimeoutSeconds: 7 * 24 * 3600,
  balancesVisible: false,
};

function applyChanges(current: CommunityPolicies, changes: CommunityPoliciesInput | undefined): CommunityPolicies {
  if (!changes) return current;
  return {
    starterGrant: changes.starterGrant ?? current.starterGrant,
    defaultLowerLimit: changes.defaultLowerLimit ?? current.defaultLowerLimit,
    defaultUpperLimit: changes.clearDefaultUpperLimit ? null : (changes.defaultUpperLimit ?? current.defaultUpperLimit),
    autoConfirmSeconds: changes.autoConfirmSeconds ?? current.autoConfirmSeconds,
    holdTimeoutSeconds: changes.holdTimeoutSeconds ?? current.holdTimeoutSeconds,
    balancesVisible: changes.balancesVisible ?? current.balancesVisible,
  };
}

/** The same rules as the database's CHECKs on communities, asked first so that a refusal is data. */
function consistent(policies: CommunityPolicies): boolean {
  const upperOk = policies.defaultUpperLimit === null || policies.defaultUpperLimit >= policies.starterGrant;
  return policies.starterGrant >= 0n && policies.defaultLowerLimit <= 0n && upperOk;
}

const toAudited = (policies: CommunityPolicies): Record<string, unknown> => ({
  ...policies,
  starterGrant: policies.starterGrant.toString(),
  defaultLowerLimit: policies.defaultLowerLimit.toString(),
  defaultUpperLimit: policies.defaultUpperLimit?.toString() ?? null,
});

const refusedCommunity = refusedPayload(communityError, { community: null });

const COMMUNITIES = Symbol('communities');

/** Communities and their policies: created by admins, governed by their coordinators. */
const COMMUNITY_CURSORS = new ConnectionCursors('CommunityConnection');

@Injectable()
export class CommunitiesService {
  constructor(
    private readonly communities: CommunitiesRepository,
    private readonly ledger: LedgerService,
    private readonly access: AccessPolicy,
    private readonly audit: AuditLogService,
    private readonly db: TransactionalConnection,
  ) {}

  /** A community is born with its currency, the currency's system accounts, and its policies. */
  async create(actor: Actor, input: CreateCommunityInput): Promise<CommunityPayload> {
    this.access.requireAdmin(actor);
    const policies = applyChanges(DEFAULT_POLICIES, input.policies);
    if (!consistent(policies)) return refusedCommunity(CommunityErrorCode.POLICY_INVALID);
    return this.db.transaction(async () => {
      if (await this.communities.findBySlug(input.slug)) return refusedCommunity(CommunityErrorCode.SLUG_TAKEN);
      const community = await this.createWithPolicies(input, policies);
      await this.audit.record(actor, {
        as: 'admin',
        action: 'community.create',
        communityId: community.id,
        targetType: 'community',
        targetId: community.id,
        details: { policies: toAudited(policies) },
      });
      return { community, userErrors: [] };
    });
  }

  /** For the demo seed, which is the system acting: the same path as an admin's, without the actor. */
  async createWithPolicies(input: CreateCommunityInput, policies: CommunityPolicies): Promise<Community> {
    return this.db.transaction(async () => {
      const community = await this.communities.insert(input.slug, input.name);
      await this.ledger.createCurrency({
        communityId: community.id,
        code: input.currencyCode,
        name: input.currencyName,
        symbol: input.currencySymbol,
        minorUnitsPerUnit: input.minorUnitsPerUnit,
      });
      await this.communities.updatePolicies(community.id, policies);
      return community;
    });
  }

  /** Coordinators change their community's rules; the audit row keeps the rules before and after. */
  async updatePolicies(actor: Actor, input: UpdateCommunityPoliciesInput): Promise<CommunityPayload> {
    const role = await this.access.requireManager(actor, input.communityId);
    return this.db.transaction(async () => {
      const before = await this.communities.lockPolicies(input.communityId);
      if (!before) throw forbidden();
      const after = applyChanges(before, input.policies);
      if (!consistent(after)) return refusedCommunity(CommunityErrorCode.POLICY_INVALID);
      await this.communities.updatePolicies(input.communityId, after);
      await this.audit.record(actor, {
        as: role,
        action: 'community.update_policies',
        communityId: input.communityId,
        targetType: 'community',
        targetId: input.communityId,
        reason: input.reason,
        details: { before: toAudited(before), after: toAudited(after) },
      });
      return { community: await this.communities.find(input.communityId), userErrors: [] };
    });
  }

  /** Null when no community has this id. */
  policies(communityId: string): Promise<CommunityPolicies | null> {
    return this.communities.policies(communityId);
  }

  list(): Promise<Community[]> {
    return this.communities.list();
  }

  /** Every community, public as the list is, oldest first. */
  page(page: PageRequest): Promise<CountedConnection<Community>> {
    return COMMUNITY_CURSORS.countedPage(page, {
      rows: (after, limit) => this.communities.page(after?.[0], limit),
      keyOf: (community) => [BigInt(community.id)],
      count: () => this.communities.count(),
    });
  }

  find(id: string): Promise<Community | null> {
    return this.communities.find(id);
  }

  /**
   * A community reached through a field of another object, batched per request. Communities are
   * public (`community(slug)` shows any of them to anyone), so no object's community is ever hidden.
   */
  async load(requestContext: object, communityId: string): Promise<Community> {
    const loader = requestLoader(requestContext, COMMUNITIES, () => byIds((ids) => this.communities.findMany(ids)));
    return (await loader.load(communityId))!;
  }

  findBySlug(slug: string): Promise<Community | null> {
    return this.communities.findBySlug(slug);
  }

  currenciesOf(communityId: string): Promise<Currency[]> {
    return this.ledger.currenciesOf(communityId);
  }
}
