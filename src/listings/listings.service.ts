import { Injectable } from '@nestjs/common';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { isDatabaseId } from '../../libs/database/database-id.js';
import { CountedConnection, decodeCursor, toConnection, withTotalCount } from '../../libs/graphql/pagination.js';
import { refusedPayload } from '../../libs/graphql/refusal.js';
import { byIds, requestLoader } from '../../libs/graphql/request-loaders.js';
import { AccessPolicy, forbidden, ManagerRole } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import { AuditLogService } from '../audit/audit-log.service.js';
import { OutboxService } from '../events/outbox.service.js';
import { CreateListingInput, ListingsArgs, UpdateListingInput } from './dto/listing.inputs.js';
import { listingError, ListingErrorCode } from './listings.errors.js';
import { ListingChanges, ListingsRepository } from './listings.repository.js';
import { Listing, ListingCategory, ListingPayload } from './models/listing.models.js';
import { ListingNature, ListingStatus } from './models/listing-enums.js';

const refusedListing = refusedPayload(listingError, { listing: null });

/** Refusals that need no database: checked before anything is written. */
function contentRefusal(nature: ListingNature, changes: ListingChanges): ListingErrorCode | null {
  if (changes.price !== undefined && changes.price < 0n) return ListingErrorCode.PRICE_MUST_NOT_BE_NEGATIVE;
  if (nature === ListingNature.SERVICE && changes.quantity !== undefined && changes.quantity !== null)
    return ListingErrorCode.QUANTITY_IS_FOR_GOODS;
  return null;
}

/** Listings: posted by active members, seen by their community, changed by their author (or closed by a manager). */
const LISTINGS = Symbol('listings');

@Injectable()
export class ListingsService {
  constructor(
    private readonly listings: ListingsRepository,
    private readonly access: AccessPolicy,
    private readonly audit: AuditLogService,
    private readonly db: TransactionalConnection,
    private readonly outbox: OutboxService,
  ) {}

  categories(): Promise<ListingCategory[]> {
    return this.listings.categories();
  }

  async create(actor: Actor, input: CreateListingInput): Promise<ListingPayload> {
    const member = this.access.requireAuthenticated(actor);
    if (member.kind !== 'member' || !(await this.access.isActiveMember(actor, input.communityId))) throw forbidden();
    const refusal =
      contentRefusal(input.nature, input) ??
      (input.nature === ListingNature.GOODS && input.quantity == null ? ListingErrorCode.QUANTITY_REQUIRED : null);
    if (refusal) return refusedListing(refusal);
    if (!(await this.listings.categoryExists(input.category))) return refusedListing(ListingErrorCode.UNKNOWN_CATEGORY);
    return this.db.transaction(async () => {
      const listing = await this.listings.insert({
        communityId: input.communityId,
        memberId: member.memberId,
        kind: input.kind,
        nature: input.nature,
        title: input.title,
        description: input.description ?? '',
        category: input.category,
        tags: input.tags ?? [],
        pricing: input.pricing,
        price: input.price,
        quantity: input.quantity ?? null,
        district: input.district ?? '',
        availability: input.availability ?? '',
        expiresAt: input.expiresAt ?? null,
      });
      await this.announce(listing, 'listing.created');
      return { listing, userErrors: [] };
    });
  }

  /** The author changes, pauses, resumes or closes it; a manager of the community may close it, audited. */
  async update(actor: Actor, input: UpdateListingInput): Promise<ListingPayload> {
    const { listingId, ...changes } = input;
    const { listing, managerRole } = await this.changeable(actor, listingId, changes);
    const refusal = contentRefusal(listing.nature, changes);
    if (refusal) return refusedListing(refusal);
    if (changes.category && !(await this.listings.categoryExists(changes.category)))
      return refusedListing(ListingErrorCode.UNKNOWN_CATEGORY);
    return this.db.transaction(async () => {
      // Checked under the row lock: a change racing a close must not reopen the listing.
      if ((await this.listings.lock(listing.id)).status === ListingStatus.CLOSED)
        return refusedListing(ListingErrorCode.LISTING_CLOSED);
      const updated = await this.listings.update(listing.id, changes);
      if (managerRole) {
        await this.audit.record(actor, {
          as: managerRole,
          action: 'listing.close',
          communityId: listing.communityId,
          targetType: 'listing',
          targetId: listing.id,
        });
      }
      await this.announce(updated, updated.status === ListingStatus.CLOSED ? 'listing.closed' : 'listing.updated');
      return { listing: updated, userErrors: [] };
    });
  }

  /**
   * The listing's event, in the transaction of its change: for every active member of its community,
   * who may see the listing itself (docs/api.md, "Events"). Stock that exchanges reserve and release
   * is told by the exchanges' own events.
   */
  private announce(listing: Listing, type: string): Promise<void> {
    return this.outbox.append({
      topic: type,
      aggregateType: 'listing',
      aggregateId: listing.id,
      communityId: listing.communityId,
      payload: {
        listingId: listing.id,
        memberId: listing.memberId,
        kind: listing.kind,
        nature: listing.nature,
        title: listing.title,
        category: listing.category,
        pricing: listing.pricing,
        price: listing.price.toString(),
        quantity: listing.quantity,
        status: listing.status,
        expiresAt: listing.expiresAt,
      },
      memberIds: [listing.memberId],
      communityVisible: true,
    });
  }

  /** For the exchanges, which check the proposer's standing in the listing's community themselves. */
  findUnchecked(listingId: string): Promise<Listing | null> {
    return this.listings.find(listingId);
  }

  async find(actor: Actor, listingId: string): Promise<Listing> {
    this.access.requireAuthenticated(actor);
    const listing = isDatabaseId(listingId) ? await this.listings.find(listingId) : null;
    if (!listing || !(await this.maySee(actor, listing.communityId))) throw forbidden();
    return listing;
  }

  /** A listing reached through a field of another object (an exchange's): what `listing(id)` would show, else null. Batched per request. */
  async visibleListing(actor: Actor, listingId: string, requestContext: object): Promise<Listing | null> {
    const loader = requestLoader(requestContext, LISTINGS, () => byIds((ids) => this.listings.findMany(ids)));
    const listing = await loader.load(listingId);
    return listing && (await this.maySee(actor, listing.communityId)) ? listing : null;
  }

  async search(actor: Actor, args: ListingsArgs): Promise<CountedConnection<Listing>> {
    this.access.requireAuthenticated(actor);
    if (!(await this.maySee(actor, args.communityId))) throw forbidden();
    const beforeId = decodeCursor(args.after);
    const rows = await this.listings.search({ ...args, beforeId, limit: args.first + 1 });
    const page = toConnection(
      rows,
      args.first,
      (listing) => BigInt(listing.id),
      (listing) => listing,
      beforeId === undefined,
    );
    return withTotalCount(page, () => this.listings.countSearch(args));
  }

  /** A community's listings are for its active members and its auditors. */
  private async maySee(actor: Actor, communityId: string): Promise<boolean> {
    return (await this.access.isActiveMember(actor, communityId)) || this.access.mayAudit(actor, communityId);
  }

  /** Its author, while an active member, may change anything; someone else only as a manager of its community, and only to close it. */
  private async changeable(
    actor: Actor,
    listingId: string,
    changes: ListingChanges,
  ): Promise<{ listing: Listing; managerRole: ManagerRole | null }> {
    this.access.requireAuthenticated(actor);
    const listing = isDatabaseId(listingId) ? await this.listings.find(listingId) : null;
    if (!listing) throw forbidden();
    const author =
      actor.kind === 'member' &&
      actor.memberId === listing.memberId &&
      (await this.access.isActiveMember(actor, listing.communityId));
    if (author) return { listing, managerRole: null };
    const onlyClosing = Object.entries(changes).every(
      ([key, value]) => value === undefined || (key === 'status' && value === ListingStatus.CLOSED),
    );
    const managerRole =
      onlyClosing && changes.status ? await this.access.managerRole(actor, listing.communityId) : null;
    if (!managerRole) throw forbidden();
    return { listing, managerRole };
  }
}
