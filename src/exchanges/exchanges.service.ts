import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { isDatabaseId } from '../../libs/database/database-id.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { Connection, decodeCursor, toConnection } from '../../libs/graphql/pagination.js';
import { refusable, Refusal, refusedPayload } from '../../libs/graphql/refusal.js';
import { byIds, requestLoader } from '../../libs/graphql/request-loaders.js';
import { AccessPolicy, forbidden } from '../access/access.policy.js';
import { ANONYMOUS } from '../access/actor.js';
import type { Actor, MemberActor } from '../access/actor.js';
import { AuditedAction, AuditLogService } from '../audit/audit-log.service.js';
import { EventsService, eventTypesOf, memberKey, toEvent } from '../events/events.service.js';
import { OutboxService } from '../events/outbox.service.js';
import { SYSTEM_CODES } from '../ledger/ledger-caller.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { CreateTransferPayload } from '../ledger/models/ledger.models.js';
import { CommunitiesService } from '../communities/communities.service.js';
import {
  ConfirmExchangeInput,
  ExchangeActionInput,
  ExchangesArgs,
  MarkDeliveredInput,
  ProposeExchangeInput,
  ProposeGroupExchangeInput,
  ResolveDisputeInput,
  ReviewExchangeInput,
  SettleExchangeGroupInput,
} from './dto/exchange.inputs.js';
import { assertTransition, ExchangeMover, transitionRefusal } from './exchange-states.js';
import { exchangeError, ExchangeErrorCode } from './exchanges.errors.js';
import { ExchangeChange, ExchangesRepository } from './exchanges.repository.js';
import { ListingsService } from '../listings/listings.service.js';
import {
  Exchange,
  ExchangeActivity,
  ExchangeGroup,
  ExchangeGroupPayload,
  ExchangePayload,
  Review,
  ReviewPayload,
  ReviewSummary,
} from './models/exchange.models.js';
import { DisputeOutcome, ExchangeRole, ExchangeStatus } from './models/exchange-enums.js';
import { Listing } from '../listings/models/listing.models.js';
import { ListingKind, ListingNature, ListingStatus } from '../listings/models/listing-enums.js';

const EXCHANGE_EVENTS = eventTypesOf('exchange');

const refusedExchange = refusedPayload(exchangeError, { exchange: null });
const refusedGroup = refusedPayload(exchangeError, { group: null, exchanges: [] });
const refusedReview = refusedPayload(exchangeError, { review: null });

/** Keys of the system's own ledger writes, in the system's scope (no client can take them): one of each per exchange, ever. */
const ledgerKey = (step: 'hold' | 'post' | 'void' | 'extra', exchangeId: string): string =>
  `system exchange-${step} ${exchangeId}`;

const secondsFromNow = (seconds: number): Date => new Date(Date.now() + seconds * 1000);

function succeeded(payload: CreateTransferPayload): boolean {
  return payload.userErrors.length === 0;
}

/** Who does which step: the other party accepts, the provider delivers, the receiver confirms. */
type Party = 'provider' | 'receiver';

/** Who makes a move: their parts in the state table (exchange-states.ts), and the capacity audited. */
interface Mover {
  by: readonly ExchangeMover[];
  as: AuditedAction['as'];
}

const SYSTEM: Mover = { by: ['system'], as: 'system' };
const GROUP_SETTLEMENT: Mover = { by: ['group settlement'], as: 'member' };

/** The refusal of a move the table does not allow these movers, null when it does. */
function refusedMove(exchange: Exchange, to: ExchangeStatus, mover: Mover): ExchangePayload | null {
  const refusal = transitionRefusal(exchange, to, mover.by);
  return refusal && refusedExchange(refusal);
}

/**
 * The exchange workflow. Each step locks the exchange, checks its state and the caller's part in
 * it against the state table (exchange-states.ts), moves money only through the ledger (a hold,
 * then a post or a void), and writes its audit row and its outbox event in the same transaction.
 */
const EXCHANGES = Symbol('exchanges');

interface ExchangeLoaders {
  exchange: DataLoader<string, Exchange | null>;
  group: DataLoader<string, ExchangeGroup | null>;
}

/** How many of a member's reviews `Member.reviews` shows. */
export const LATEST_REVIEWS = 50;

@Injectable()
export class ExchangesService {
  constructor(
    private readonly exchanges: ExchangesRepository,
    private readonly listings: ListingsService,
    private readonly outbox: OutboxService,
    private readonly communities: CommunitiesService,
    private readonly ledger: LedgerService,
    private readonly access: AccessPolicy,
    private readonly audit: AuditLogService,
    private readonly db: TransactionalConnection,
    private readonly events: EventsService,
  ) {}

  /** Live: every change to the caller's own exchanges (not those they audit), each presented as they would read it. */
  followMine(actor: Actor, after?: bigint): Promise<AsyncIterableIterator<ExchangeActivity>> {
    const { memberId } = this.access.requireMember(actor);
    return this.events.subscribe(
      actor,
      {
        types: EXCHANGE_EVENTS,
        about: (event) => event.memberIds.includes(memberId),
        key: memberKey(memberId),
        after,
      },
      async (event) => ({ event: toEvent(event), exchange: await this.find(actor, event.aggregateId) }),
    );
  }

  /** Against a listing (its kind decides who provides), or directly to another member of the community. */
  async propose(actor: Actor, input: ProposeExchangeInput): Promise<ExchangePayload> {
    const proposer = this.access.requireMember(actor);
    const listing = input.listingId ? await this.listings.findUnchecked(input.listingId) : null;
    if (input.listingId && !listing) throw forbidden();
    const communityId = listing?.communityId ?? input.communityId;
    if (!communityId || (!listing && (!input.counterpartyId || !input.role)))
      return refusedExchange(ExchangeErrorCode.DIRECT_EXCHANGE_INCOMPLETE);
    if (!(await this.access.isActiveMember(actor, communityId))) throw forbidden();
    const refusal = listing
      ? listingRefusal(listing, proposer.memberId, input.quantity)
      : input.quantity !== undefined
        ? ExchangeErrorCode.QUANTITY_IS_FOR_GOODS
        : null;
    if (refusal) return refusedExchange(refusal);
    if (input.estimatedAmount <= 0n) return refusedExchange(ExchangeErrorCode.ESTIMATE_MUST_BE_POSITIVE);
    const counterpartyId = listing?.memberId ?? input.counterpartyId!;
    const proposerProvides = listing ? listing.kind === ListingKind.REQUEST : input.role === ExchangeRole.PROVIDER;
    const [providerId, receiverId] = proposerProvides
      ? [proposer.memberId, counterpartyId]
      : [counterpartyId, proposer.memberId];
    const providerAccountId = await this.exchanges.activeAccountOf(providerId, communityId);
    const receiverAccountId = await this.exchanges.activeAccountOf(receiverId, communityId);
    if (counterpartyId === proposer.memberId) return refusedExchange(ExchangeErrorCode.OWN_LISTING);
    if (!providerAccountId || !receiverAccountId) return refusedExchange(ExchangeErrorCode.COUNTERPARTY_NOT_MEMBER);
    return this.db.transaction(async () => {
      const exchange = await this.exchanges.insert({
        communityId,
        listingId: listing?.id ?? null,
        groupId: null,
        proposerId: proposer.memberId,
        providerId,
        providerAccountId,
        receiverId,
        receiverAccountId,
        description: input.description,
        estimatedAmount: input.estimatedAmount,
        quantity: input.quantity ?? null,
      });
      await this.recordStep(actor, 'member', exchange, 'exchange.proposed', null);
      return { exchange, userErrors: [] };
    });
  }

  /**
   * A group exchange: the provider offers a place to each receiver, from their own service offer or
   * directly. Each receiver accepts their own place (with its own hold), or cancels it.
   */
  async proposeGroup(actor: Actor, input: ProposeGroupExchangeInput): Promise<ExchangeGroupPayload> {
    const provider = this.access.requireMember(actor);
    const listing = input.listingId ? await this.listings.findUnchecked(input.listingId) : null;
    if (input.listingId && !listing) throw forbidden();
    const communityId = listing?.communityId ?? input.communityId;
    if (!communityId) return refusedGroup(ExchangeErrorCode.DIRECT_EXCHANGE_INCOMPLETE);
    if (!(await this.access.isActiveMember(actor, communityId))) throw forbidden();
    const ownOffer =
      listing &&
      listing.memberId === provider.memberId &&
      listing.kind === ListingKind.OFFER &&
      listing.nature === ListingNature.SERVICE;
    if (listing && (!ownOffer || !isAvailable(listing))) return refusedGroup(ExchangeErrorCode.LISTING_NOT_AVAILABLE);
    if (input.estimatedAmount <= 0n) return refusedGroup(ExchangeErrorCode.ESTIMATE_MUST_BE_POSITIVE);
    const providerAccountId = (await this.exchanges.activeAccountOf(provider.memberId, communityId))!;
    const receiverAccounts: string[] = [];
    for (const receiverId of input.receiverIds) {
      const accountId =
        receiverId === provider.memberId ? null : await this.exchanges.activeAccountOf(receiverId, communityId);
      if (!accountId) return refusedGroup(ExchangeErrorCode.RECEIVER_NOT_MEMBER);
      receiverAccounts.push(accountId);
    }
    return this.db.transaction(async () => {
      const group = await this.exchanges.insertGroup({
        communityId,
        listingId: listing?.id ?? null,
        providerId: provider.memberId,
        description: input.description,
        estimatedAmount: input.estimatedAmount,
      });
      const exchanges: Exchange[] = [];
      for (const [index, receiverId] of input.receiverIds.entries()) {
        const exchange = await this.exchanges.insert({
          communityId,
          listingId: group.listingId,
          groupId: group.id,
          proposerId: provider.memberId,
          providerId: provider.memberId,
          providerAccountId,
          receiverId,
          receiverAccountId: receiverAccounts[index],
          description: input.description,
          estimatedAmount: input.estimatedAmount,
          quantity: null,
        });
        await this.recordStep(actor, 'member', exchange, 'exchange.proposed', null);
        exchanges.push(exchange);
      }
      return { group, exchanges, userErrors: [] };
    });
  }

  /**
   * The provider settles the group after the class or the repair day, as one linked batch: every
   * accepted place pays the actual amount up to its hold (the receivers agreed to the hold when
   * they accepted), or, if the ledger refuses any of them, none does.
   */
  async settleGroup(actor: Actor, input: SettleExchangeGroupInput): Promise<ExchangeGroupPayload> {
    const member = this.access.requireMember(actor);
    const group = await this.visibleGroup(actor, input.groupId);
    if (group.providerId !== member.memberId) return refusedGroup(ExchangeErrorCode.WRONG_PARTY);
    if (input.actualAmount < 0n) return refusedGroup(ExchangeErrorCode.ACTUAL_MUST_NOT_BE_NEGATIVE);
    return refusable(this.db, refusedGroup, async () => {
      const now = new Date();
      const settles = (place: Exchange) => !transitionRefusal(place, ExchangeStatus.CONFIRMED, GROUP_SETTLEMENT.by);
      const held = (await this.exchanges.lockPlaces(group.id)).filter((place) => settles(place) && place.dueAt! > now);
      if (held.length === 0) return refusedGroup(ExchangeErrorCode.NOTHING_TO_SETTLE);
      const settled: Exchange[] = [];
      for (const place of held) {
        const amount = input.actualAmount < place.estimatedAmount ? input.actualAmount : place.estimatedAmount;
        await this.settle(place, amount);
        const change = { status: ExchangeStatus.CONFIRMED, actualAmount: input.actualAmount, dueAt: null };
        settled.push((await this.transition(actor, GROUP_SETTLEMENT, place, change)).exchange!);
      }
      return { group, exchanges: settled, userErrors: [] };
    });
  }

  /** The group with the places the actor may see: all for its provider and auditors, their own for a receiver. */
  async findGroup(actor: Actor, groupId: string): Promise<ExchangeGroupPayload> {
    const group = await this.visibleGroup(actor, groupId);
    return { group, exchanges: await this.placesVisibleTo(actor, group), userErrors: [] };
  }

  /** The places of a group the caller may see: all of them for its provider and auditors, a receiver's own. */
  async placesVisibleTo(actor: Actor, group: ExchangeGroup): Promise<Exchange[]> {
    const places = await this.exchanges.placesOf(group.id);
    const seesAll =
      (actor.kind === 'member' && actor.memberId === group.providerId) ||
      (await this.access.mayAudit(actor, group.communityId));
    return seesAll ? places : places.filter((place) => actor.kind === 'member' && place.receiverId === actor.memberId);
  }

  /** A group its provider, its receivers and its community's auditors may see; FORBIDDEN otherwise. */
  async visibleGroup(actor: Actor, groupId: string): Promise<ExchangeGroup> {
    this.access.requireAuthenticated(actor);
    const group = isDatabaseId(groupId) ? await this.exchanges.findGroup(groupId) : null;
    if (!group) throw forbidden();
    const withinReach = actor.kind === 'member' && (actor.withinCommunityId ?? group.communityId) === group.communityId;
    const party =
      withinReach &&
      (actor.memberId === group.providerId ||
        (await this.exchanges.placesOf(group.id)).some((place) => place.receiverId === actor.memberId));
    if (!party && !(await this.access.mayAudit(actor, group.communityId))) throw forbidden();
    return group;
  }

  /** The other party accepts: goods are reserved and the estimate is held on the receiver's account, or neither. */
  accept(actor: Actor, input: ExchangeActionInput): Promise<ExchangePayload> {
    return this.step(actor, input.exchangeId, async (exchange, mover, member) => {
      const refused = refusedMove(exchange, ExchangeStatus.ACCEPTED, mover);
      if (refused) return refused;
      // Standing may have changed since the proposal: a suspended member neither commits to pay nor is paid.
      if (!(await this.access.isActiveMember(actor, exchange.communityId))) throw forbidden();
      const counterpartyId = member.memberId === exchange.providerId ? exchange.receiverId : exchange.providerId;
      const counterpartyAccountId =
        counterpartyId === exchange.providerId ? exchange.providerAccountId : exchange.receiverAccountId;
      if ((await this.exchanges.activeAccountOf(counterpartyId, exchange.communityId)) !== counterpartyAccountId) {
        return refusedExchange(ExchangeErrorCode.COUNTERPARTY_NOT_MEMBER);
      }
      if (
        exchange.listingId &&
        exchange.quantity &&
        !(await this.exchanges.reserveUnits(exchange.listingId, exchange.quantity))
      ) {
        return refusedExchange(ExchangeErrorCode.OUT_OF_STOCK);
      }
      const hold = await this.ledger.createTransferInTransaction({
        idempotencyKey: ledgerKey('hold', exchange.id),
        debitAccountId: exchange.receiverAccountId,
        creditAccountId: exchange.providerAccountId,
        amount: exchange.estimatedAmount,
        pending: true,
        code: SYSTEM_CODES.EXCHANGE_HOLD,
        memo: `Exchange ${exchange.id}: hold`,
      });
      // Thrown, so that the reservation and the refused key roll back: a later accept may succeed.
      if (!succeeded(hold)) throw new Refusal(ExchangeErrorCode.HOLD_REFUSED);
      const { holdTimeoutSeconds } = (await this.communities.policies(exchange.communityId))!;
      return this.transition(actor, mover, exchange, {
        status: ExchangeStatus.ACCEPTED,
        holdTransferId: hold.transfer!.id,
        dueAt: secondsFromNow(holdTimeoutSeconds),
      });
    });
  }

  /** The provider states what the work came to; the exchange then confirms itself after the community's delay. */
  markDelivered(actor: Actor, input: MarkDeliveredInput): Promise<ExchangePayload> {
    return this.step(actor, input.exchangeId, async (exchange, mover) => {
      const refused = refusedMove(exchange, ExchangeStatus.DELIVERED, mover);
      if (refused) return refused;
      if (exchange.dueAt && exchange.dueAt <= new Date()) return refusedExchange(ExchangeErrorCode.HOLD_EXPIRED);
      if (input.actualAmount < 0n) return refusedExchange(ExchangeErrorCode.ACTUAL_MUST_NOT_BE_NEGATIVE);
      const { autoConfirmSeconds } = (await this.communities.policies(exchange.communityId))!;
      return this.transition(actor, mover, exchange, {
        status: ExchangeStatus.DELIVERED,
        actualAmount: input.actualAmount,
        dueAt: secondsFromNow(autoConfirmSeconds),
      });
    });
  }

  /** The receiver confirms: the hold posts (in part when less was due); more than the hold needs their approval, and pays the difference with it. */
  confirm(actor: Actor, input: ConfirmExchangeInput): Promise<ExchangePayload> {
    return this.step(actor, input.exchangeId, async (exchange, mover) => {
      const refused = refusedMove(exchange, ExchangeStatus.CONFIRMED, mover);
      if (refused) return refused;
      const actual = exchange.actualAmount!;
      if (actual > exchange.estimatedAmount && !input.approveAmountAboveHold)
        return refusedExchange(ExchangeErrorCode.AMOUNT_ABOVE_HOLD_NEEDS_APPROVAL);
      await this.settle(exchange, actual);
      return this.transition(actor, mover, exchange, { status: ExchangeStatus.CONFIRMED, dueAt: null });
    });
  }

  /** Either party, before delivery: the hold is released and reserved goods return to the listing. */
  cancel(actor: Actor, input: ExchangeActionInput): Promise<ExchangePayload> {
    return this.step(actor, input.exchangeId, async (exchange, mover) => {
      const refused = refusedMove(exchange, ExchangeStatus.CANCELLED, mover);
      if (refused) return refused;
      if (exchange.status === ExchangeStatus.ACCEPTED) await this.release(exchange);
      return this.transition(actor, mover, exchange, {
        status: ExchangeStatus.CANCELLED,
        dueAt: null,
        reason: input.reason?.trim() || null,
      });
    });
  }

  /** Either party, after delivery, with a reason: the exchange stops confirming itself until a coordinator resolves it. */
  dispute(actor: Actor, input: ExchangeActionInput): Promise<ExchangePayload> {
    return this.step(actor, input.exchangeId, async (exchange, mover) => {
      const reason = input.reason?.trim();
      if (!reason) return refusedExchange(ExchangeErrorCode.REASON_REQUIRED);
      const refused = refusedMove(exchange, ExchangeStatus.DISPUTED, mover);
      if (refused) return refused;
      return this.transition(actor, mover, exchange, { status: ExchangeStatus.DISPUTED, dueAt: null, reason });
    });
  }

  /** A coordinator of the exchange's community posts the hold in full, in part, or voids it, always with a reason. */
  async resolveDispute(actor: Actor, input: ResolveDisputeInput): Promise<ExchangePayload> {
    this.access.requireAuthenticated(actor);
    const found = isDatabaseId(input.exchangeId) ? await this.exchanges.find(input.exchangeId) : null;
    const role = found ? await this.access.managerRole(actor, found.communityId) : null;
    if (!found || !role) throw forbidden();
    const reason = input.reason.trim();
    if (!reason) return refusedExchange(ExchangeErrorCode.REASON_REQUIRED);
    if (input.outcome === DisputeOutcome.POST_PART && input.amount === undefined)
      return refusedExchange(ExchangeErrorCode.AMOUNT_REQUIRED);
    const mover: Mover = { by: [role], as: role };
    return refusable(this.db, refusedExchange, async () => {
      const exchange = await this.exchanges.lock(found.id);
      const refused = refusedMove(exchange, ExchangeStatus.RESOLVED, mover);
      if (refused) return refused;
      const amount =
        input.outcome === DisputeOutcome.POST_FULL
          ? exchange.estimatedAmount
          : input.outcome === DisputeOutcome.VOID
            ? 0n
            : input.amount!;
      if (amount < 0n || amount > exchange.estimatedAmount)
        return refusedExchange(ExchangeErrorCode.AMOUNT_EXCEEDS_HOLD);
      await this.settle(exchange, amount);
      return this.transition(
        actor,
        mover,
        exchange,
        { status: ExchangeStatus.RESOLVED, actualAmount: amount, reason },
        { outcome: input.outcome },
      );
    });
  }

  /** Each party may review the other once, after settlement. */
  async review(actor: Actor, input: ReviewExchangeInput): Promise<ReviewPayload> {
    const member = this.access.requireMember(actor);
    const exchange = await this.visibleExchange(actor, input.exchangeId);
    const party = partyOf(exchange, member);
    if (!party) throw forbidden();
    if (exchange.status !== ExchangeStatus.CONFIRMED && exchange.status !== ExchangeStatus.RESOLVED) {
      return refusedReview(ExchangeErrorCode.NOT_SETTLED);
    }
    const subjectId = party === 'provider' ? exchange.receiverId : exchange.providerId;
    return this.db.transaction(async () => {
      const review = await this.exchanges.insertReview({
        exchangeId: exchange.id,
        authorId: member.memberId,
        subjectId,
        rating: input.rating,
        comment: input.comment,
      });
      if (!review) return refusedReview(ExchangeErrorCode.ALREADY_REVIEWED);
      await this.outbox.append({
        topic: 'review.created',
        aggregateType: 'review',
        aggregateId: review.id,
        communityId: exchange.communityId,
        payload: { ...review },
        memberIds: [review.authorId, review.subjectId],
      });
      return { review, userErrors: [] };
    });
  }

  /** Review counts and averages by member id, in one query for a page of members; a member without reviews is absent. */
  reviewSummaries(memberIds: string[]): Promise<(ReviewSummary & { id: string })[]> {
    return this.exchanges.reviewSummaries(memberIds);
  }

  /** The latest reviews of each member, newest first, in one query for a page of members. */
  latestReviewsOf(memberIds: string[]): Promise<Review[]> {
    return this.exchanges.reviewsOf(memberIds, LATEST_REVIEWS);
  }

  async find(actor: Actor, exchangeId: string): Promise<Exchange> {
    return this.visibleExchange(actor, exchangeId);
  }

  /** An exchange reached through a field of another object (a review's): what `exchange(id)` would show, else null. */
  async visibleExchangeOrNull(actor: Actor, exchangeId: string, requestContext: object): Promise<Exchange | null> {
    const exchange = await this.loaders(requestContext).exchange.load(exchangeId);
    return exchange && (await this.maySeeExchange(actor, exchange)) ? exchange : null;
  }

  /**
   * The group of a place, for whoever sees the place: its parties are the group's provider and one
   * of its receivers, and its community's auditors are the group's. So it is never hidden from them.
   */
  async groupOfPlace(groupId: string, requestContext: object): Promise<ExchangeGroup> {
    return (await this.loaders(requestContext).group.load(groupId))!;
  }

  /** Yours, or with communityId a whole community's for its auditors. */
  async list(actor: Actor, args: ExchangesArgs): Promise<Connection<Exchange>> {
    this.access.requireAuthenticated(actor);
    if (args.communityId) await this.access.requireAuditor(actor, args.communityId);
    const member = args.communityId ? null : this.access.requireMember(actor);
    // Through a partner app, a member's own exchanges are only those of the app's community.
    const communityId = args.communityId ?? member?.withinCommunityId ?? undefined;
    const beforeId = decodeCursor(args.after);
    const rows = await this.exchanges.list({
      memberId: member?.memberId,
      communityId,
      status: args.status,
      beforeId,
      limit: args.first + 1,
    });
    return toConnection(
      rows,
      args.first,
      (exchange) => BigInt(exchange.id),
      (exchange) => exchange,
      beforeId === undefined,
    );
  }

  /**
   * For the sweeper, safe with many replicas (each locks what it takes, SKIP LOCKED), one exchange
   * per transaction so that one that cannot settle does not hold up the others: delivered
   * exchanges past the community's delay confirm themselves, posting what was delivered up to the
   * hold (the receiver never approved more); accepted ones past the hold timeout lapse.
   */
  async settleDue(limit: number): Promise<number> {
    let handled = 0;
    // In a transaction, as every background job's queries are: a request's own are told apart by running outside one.
    const due = await this.db.transaction(() => this.exchanges.dueIds(limit));
    for (const exchangeId of due) if (await this.settleOneDue(exchangeId)) handled++;
    return handled;
  }

  private async settleOneDue(exchangeId: string): Promise<boolean> {
    return this.db.transaction(async () => {
      const exchange = await this.exchanges.lockIfDue(exchangeId);
      if (!exchange) return false;
      if (exchange.status === ExchangeStatus.ACCEPTED) await this.expire(exchange);
      else await this.confirmOrDispute(exchange);
      return true;
    });
  }

  private async expire(exchange: Exchange): Promise<void> {
    await this.release(exchange);
    await this.transition(ANONYMOUS, SYSTEM, exchange, {
      status: ExchangeStatus.EXPIRED,
      dueAt: null,
      reason: 'the hold expired before delivery',
    });
  }

  /**
   * A delivered exchange past its delay confirms itself; if the ledger will not settle it (a frozen
   * or closed account), it is disputed for a coordinator to decide. Both in the transaction that
   * holds the exchange, so that no member's step slips in between.
   */
  private async confirmOrDispute(exchange: Exchange): Promise<void> {
    try {
      await this.db.savepoint(async () => {
        const actual = exchange.actualAmount!;
        await this.settle(exchange, actual < exchange.estimatedAmount ? actual : exchange.estimatedAmount);
        await this.transition(ANONYMOUS, SYSTEM, exchange, {
          status: ExchangeStatus.CONFIRMED,
          dueAt: null,
          reason: 'confirmed automatically after the community delay',
        });
      });
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      const reason = 'could not be confirmed automatically: the ledger refused to settle the hold';
      await this.transition(ANONYMOUS, SYSTEM, exchange, { status: ExchangeStatus.DISPUTED, dueAt: null, reason });
    }
  }

  /** Pays `amount` of what was delivered: the hold posts up to it (void at zero), and anything above is a second transfer. */
  private async settle(exchange: Exchange, amount: bigint): Promise<void> {
    const held = exchange.estimatedAmount;
    const resolution =
      amount === 0n
        ? await this.ledger.voidPendingTransfer({
            idempotencyKey: ledgerKey('void', exchange.id),
            pendingTransferId: exchange.holdTransferId!,
            memo: `Exchange ${exchange.id}`,
          })
        : await this.ledger.postPendingTransfer({
            idempotencyKey: ledgerKey('post', exchange.id),
            pendingTransferId: exchange.holdTransferId!,
            amount: amount < held ? amount : held,
            memo: `Exchange ${exchange.id}`,
          });
    // A frozen or closed account: thrown, so that the step rolls back and says why.
    if (!succeeded(resolution)) throw new Refusal(ExchangeErrorCode.SETTLEMENT_REFUSED);
    if (amount <= held) return;
    const extra = await this.ledger.createTransferInTransaction({
      idempotencyKey: ledgerKey('extra', exchange.id),
      debitAccountId: exchange.receiverAccountId,
      creditAccountId: exchange.providerAccountId,
      amount: amount - held,
      code: SYSTEM_CODES.EXCHANGE_EXTRA,
      memo: `Exchange ${exchange.id}: above the estimate`,
    });
    // Thrown: the posted hold rolls back with it, so the exchange stays delivered and can be confirmed later.
    if (!succeeded(extra)) throw new Refusal(ExchangeErrorCode.EXTRA_PAYMENT_REFUSED);
  }

  /**
   * Returns reserved goods to the listing, then voids the hold. In that order, as accepting does,
   * every path locks the listing before the accounts, so accepts and cancels cannot deadlock.
   */
  private async release(exchange: Exchange): Promise<void> {
    if (exchange.listingId && exchange.quantity)
      await this.exchanges.releaseUnits(exchange.listingId, exchange.quantity);
    const voided = await this.ledger.voidPendingTransfer({
      idempotencyKey: ledgerKey('void', exchange.id),
      pendingTransferId: exchange.holdTransferId!,
      memo: `Exchange ${exchange.id}`,
    });
    if (!succeeded(voided))
      throw new Error(`exchange ${exchange.id}: the ledger refused to release its hold: ${voided.userErrors[0].code}`);
  }

  private async transition(
    actor: Actor,
    mover: Mover,
    exchange: Exchange,
    change: ExchangeChange,
    details: Record<string, unknown> = {},
  ): Promise<ExchangePayload> {
    assertTransition(exchange, change.status, mover.by);
    const changed = await this.exchanges.change(exchange.id, change);
    await this.recordStep(actor, mover.as, changed, `exchange.${change.status}`, changed.reason, details);
    return { exchange: changed, userErrors: [] };
  }

  /** The audit row and the outbox event of a step, in its transaction. */
  private async recordStep(
    actor: Actor,
    as: AuditedAction['as'],
    exchange: Exchange,
    topic: string,
    reason: string | null,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    const payload = {
      exchangeId: exchange.id,
      groupId: exchange.groupId,
      status: exchange.status,
      providerId: exchange.providerId,
      receiverId: exchange.receiverId,
      estimatedAmount: exchange.estimatedAmount.toString(),
      actualAmount: exchange.actualAmount?.toString() ?? null,
      ...details,
    };
    await this.audit.record(actor, {
      as,
      action: topic,
      communityId: exchange.communityId,
      targetType: 'exchange',
      targetId: exchange.id,
      reason,
      details: payload,
    });
    await this.outbox.append({
      topic,
      aggregateType: 'exchange',
      aggregateId: exchange.id,
      communityId: exchange.communityId,
      payload,
      memberIds: [exchange.providerId, exchange.receiverId],
    });
  }

  /** A party's step: checks who may see it, then locks it and runs `act` in one transaction that a refusal rolls back. */
  private async step(
    actor: Actor,
    exchangeId: string,
    act: (exchange: Exchange, mover: Mover, member: MemberActor) => Promise<ExchangePayload>,
  ): Promise<ExchangePayload> {
    const member = this.access.requireMember(actor);
    const found = await this.visibleExchange(actor, exchangeId);
    if (!partyOf(found, member)) throw forbidden();
    return refusable(this.db, refusedExchange, async () => {
      const exchange = await this.exchanges.lock(found.id);
      return act(exchange, partyMover(exchange, member), member);
    });
  }

  /** Its parties (within a partner app's community), and its community's auditors. Missing and hidden look alike. */
  private async visibleExchange(actor: Actor, exchangeId: string): Promise<Exchange> {
    this.access.requireAuthenticated(actor);
    const exchange = isDatabaseId(exchangeId) ? await this.exchanges.find(exchangeId) : null;
    if (!exchange || !(await this.maySeeExchange(actor, exchange))) throw forbidden();
    return exchange;
  }

  private async maySeeExchange(actor: Actor, exchange: Exchange): Promise<boolean> {
    if (actor.kind === 'member' && partyOf(exchange, actor)) return true;
    return this.access.mayAudit(actor, exchange.communityId);
  }

  /** Exchanges and groups, batched for one request. */
  private loaders(requestContext: object): ExchangeLoaders {
    return requestLoader(requestContext, EXCHANGES, () => ({
      exchange: byIds((ids) => this.exchanges.findMany(ids)),
      group: byIds((ids) => this.exchanges.findGroups(ids)),
    }));
  }
}

/** A party moves as their side of the exchange, and as its counterparty unless they proposed it. */
function partyMover(exchange: Exchange, member: MemberActor): Mover {
  const side = partyOf(exchange, member)!;
  return { by: exchange.proposerId === member.memberId ? [side] : [side, 'counterparty'], as: 'member' };
}

function partyOf(exchange: Exchange, actor: MemberActor): Party | null {
  if (actor.withinCommunityId !== null && actor.withinCommunityId !== exchange.communityId) return null;
  if (actor.memberId === exchange.providerId) return 'provider';
  return actor.memberId === exchange.receiverId ? 'receiver' : null;
}

/** Active and not past its expiry. */
function isAvailable(listing: Listing): boolean {
  return listing.status === ListingStatus.ACTIVE && (listing.expiresAt === null || listing.expiresAt > new Date());
}

function listingRefusal(listing: Listing, proposerId: string, quantity: number | undefined): ExchangeErrorCode | null {
  if (!isAvailable(listing)) return ExchangeErrorCode.LISTING_NOT_AVAILABLE;
  if (listing.memberId === proposerId) return ExchangeErrorCode.OWN_LISTING;
  if (listing.nature === ListingNature.GOODS && quantity === undefined) return ExchangeErrorCode.QUANTITY_REQUIRED;
  if (listing.nature === ListingNature.SERVICE && quantity !== undefined)
    return ExchangeErrorCode.QUANTITY_IS_FOR_GOODS;
  return null;
}
