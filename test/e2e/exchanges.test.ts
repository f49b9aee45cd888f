import { jest } from '@jest/globals';
import { ErrorCode } from '../../libs/graphql/error-code.js';
import { createLedgerFixture, LedgerFixture } from '../support/ledger-fixture.js';
import { useTestApp } from '../support/test-app.js';
import { MembershipRole } from '../../src/members/models/member-enums.js';
import { asPartner, grantPartnerConsent, registerPartnerApp } from './auth-client.js';
import { expectForbidden, expectQueryRefused, NONEXISTENT_ID } from './denials.js';
import { expectInvalidInput, gql, newKey } from './graphql-client.js';
import {
  accept,
  acceptedExchange,
  amountsWithCode,
  confirm,
  deliver,
  deliveredExchange,
  exchangeCommunity,
  expectStepRefused,
  expectTrail,
  fetchExchange,
  grant,
  holdOf,
  listedExchangeIds,
  listingQuantity,
  makeDue,
  memberReviews,
  money,
  moneyOf,
  offerGoods,
  offerService,
  Party,
  proposedExchange,
  proposeOn,
  readExchange,
  REVIEW_EXCHANGE,
  REVIEW_FIELDS,
  reviewExchange,
  stepAudit,
  stepOk,
  stepPayload,
  sweepExchanges,
  tryStep,
} from './exchange-client.js';
import { changeListing } from './listing-client.js';
import { attempt, succeed } from './member-client.js';
import { globalId, rowId } from '../support/global-ids.js';

const { UNAUTHENTICATED } = ErrorCode;

/** What every scene starts with: the receiver holds 600, the provider nothing, and the work is estimated at 60. */
const RECEIVER_FUNDS = 600n;
const ESTIMATE = 60;

/**
 * The exchange workflow through GraphQL over real HTTP: proposed (on a listing or directly),
 * accepted with a hold on the receiver's account, delivered, confirmed (in part, or with an
 * approved extra), cancelled, disputed and resolved, confirmed or lapsed by the sweeper, and
 * reviewed. Every test checks both parties' money to the unit, and the audit and outbox trail.
 */
describe('exchanges over GraphQL', () => {
  const t = useTestApp();

  /** A fresh community: the receiver (600 unless told), the provider (0), and as many others (0) as asked. */
  async function scene(
    others = 0,
    receiverFunds = RECEIVER_FUNDS,
  ): Promise<{ fixture: LedgerFixture; communityId: string; receiver: Party; provider: Party; others: Party[] }> {
    const { fixture, parties } = await exchangeCommunity(t, [
      { balance: receiverFunds },
      {},
      ...Array.from({ length: others }, () => ({})),
    ]);
    const [receiver, provider, ...rest] = parties;
    return { fixture, communityId: globalId('Community', fixture.community.id), receiver, provider, others: rest };
  }

  /** The hold is still reserved: the receiver's available balance is down by the estimate, and the provider expects it. */
  const HELD = [money(600, 540, 60), money(0, 0, 0, 60)];
  const UNTOUCHED = [money(600), money(0)];

  describe('paths', () => {
    it('happy: a listing offer, the receiver proposes, the provider accepts (hold), delivers at the estimate, the receiver confirms: the estimate moves', async () => {
      const { communityId, receiver, provider } = await scene();
      const listing = await offerService(provider, communityId);

      const proposed = await proposeOn(receiver, listing.id, ESTIMATE);
      expect(proposed).toEqual({
        id: expect.any(String),
        communityId,
        listingId: listing.id,
        proposerId: receiver.memberId,
        providerId: provider.memberId,
        receiverId: receiver.memberId,
        description: 'Two hours in the garden',
        status: 'PROPOSED',
        estimatedAmount: '60',
        actualAmount: null,
        quantity: null,
        holdTransferId: null,
        dueAt: null,
        reason: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(await moneyOf(receiver, provider)).toEqual(UNTOUCHED);

      const accepted = await accept(provider, proposed.id);
      expect(accepted).toMatchObject({
        status: 'ACCEPTED',
        holdTransferId: expect.any(String),
        dueAt: expect.any(String),
      });
      expect(await moneyOf(receiver, provider)).toEqual(HELD);
      expect(await holdOf(receiver.client, accepted.holdTransferId!)).toEqual({
        amount: '60',
        code: 'exchange_hold',
        kind: 'PENDING',
        debitAccountId: receiver.accountId,
        creditAccountId: provider.accountId,
        pendingStatus: 'OPEN',
        resolution: null,
      });

      const delivered = await deliver(provider, proposed.id, ESTIMATE);
      expect(delivered).toMatchObject({
        status: 'DELIVERED',
        actualAmount: '60',
        holdTransferId: accepted.holdTransferId,
      });
      // Now the date it confirms itself (3 days by default), no longer when the hold lapses (7 days).
      expect(Date.parse(delivered.dueAt!)).toBeLessThan(Date.parse(accepted.dueAt!));
      expect(await moneyOf(receiver, provider)).toEqual(HELD);

      const confirmed = await confirm(receiver, proposed.id);
      expect(confirmed).toMatchObject({ status: 'CONFIRMED', actualAmount: '60', dueAt: null });
      expect(await moneyOf(receiver, provider)).toEqual([money(540), money(60)]);
      expect(await holdOf(provider.client, accepted.holdTransferId!)).toMatchObject({
        pendingStatus: 'POSTED',
        resolution: { kind: 'POST_PENDING', amount: '60' },
      });

      await expectTrail(t, proposed, ['proposed', 'accepted', 'delivered', 'confirmed']);
      const actors = await Promise.all(
        ['proposed', 'accepted', 'delivered', 'confirmed'].map((status) => stepAudit(t, proposed, status)),
      );
      expect(actors.map(([row]) => [row.actorMemberId, row.actorRole])).toEqual([
        [rowId(receiver.memberId), 'member'],
        [rowId(provider.memberId), 'member'],
        [rowId(provider.memberId), 'member'],
        [rowId(receiver.memberId), 'member'],
      ]);
      expect(actors[3][0].details).toMatchObject({
        exchangeId: rowId(proposed.id),
        status: 'confirmed',
        estimatedAmount: '60',
        actualAmount: '60',
      });
    });

    it('partial: delivered below the estimate, confirming posts the actual amount and releases the rest', async () => {
      const { communityId, receiver, provider } = await scene();
      const delivered = await deliveredExchange(receiver, provider, communityId, ESTIMATE, 45);

      await confirm(receiver, delivered.id);

      expect(await moneyOf(receiver, provider)).toEqual([money(555), money(45)]);
      expect(await holdOf(receiver.client, delivered.holdTransferId!)).toMatchObject({
        pendingStatus: 'POSTED',
        resolution: { kind: 'POST_PENDING', amount: '45' },
      });
      await expectTrail(t, delivered, ['proposed', 'accepted', 'delivered', 'confirmed']);
    });

    it('over the estimate: refused without approval (nothing moves); approved, the hold posts and the difference is a second transfer', async () => {
      const { communityId, receiver, provider } = await scene();
      const delivered = await deliveredExchange(receiver, provider, communityId, ESTIMATE, 90);

      await expectStepRefused(
        receiver.client,
        'confirmExchange',
        { exchangeId: delivered.id },
        'AMOUNT_ABOVE_HOLD_NEEDS_APPROVAL',
      );
      expect(await fetchExchange(receiver.client, delivered.id)).toMatchObject({ status: 'DELIVERED' });
      expect(await moneyOf(receiver, provider)).toEqual(HELD);
      await expectTrail(t, delivered, ['proposed', 'accepted', 'delivered']);

      expect(await confirm(receiver, delivered.id, true)).toMatchObject({ status: 'CONFIRMED', actualAmount: '90' });
      expect(await moneyOf(receiver, provider)).toEqual([money(510), money(90)]);
      expect(await holdOf(receiver.client, delivered.holdTransferId!)).toMatchObject({
        resolution: { kind: 'POST_PENDING', amount: '60' },
      });
      expect(await amountsWithCode(provider, 'exchange_extra')).toEqual(['30']);
      await expectTrail(t, delivered, ['proposed', 'accepted', 'delivered', 'confirmed']);
    });

    it('over the estimate when the receiver cannot pay the difference: EXTRA_PAYMENT_REFUSED, nothing changes, and it confirms once they can', async () => {
      // A receiver with 80: enough for the 60 held, not for 100 in all.
      const { fixture, communityId, receiver, provider } = await scene(0, 80n);
      const delivered = await deliveredExchange(receiver, provider, communityId, ESTIMATE, 100);

      await expectStepRefused(
        receiver.client,
        'confirmExchange',
        { exchangeId: delivered.id, approveAmountAboveHold: true },
        'EXTRA_PAYMENT_REFUSED',
      );
      expect(await fetchExchange(receiver.client, delivered.id)).toMatchObject({
        status: 'DELIVERED',
        actualAmount: '100',
      });
      expect(await moneyOf(receiver, provider)).toEqual([money(80, 20, 60), money(0, 0, 0, 60)]);
      expect(await holdOf(receiver.client, delivered.holdTransferId!)).toMatchObject({
        pendingStatus: 'OPEN',
        resolution: null,
      });
      expect(await amountsWithCode(provider, 'exchange_extra')).toEqual([]);
      await expectTrail(t, delivered, ['proposed', 'accepted', 'delivered']);

      // The refused attempt left no claim on the ledger's keys: with 20 more, the same confirmation goes through.
      await grant(fixture, receiver, 20);
      await confirm(receiver, delivered.id, true);
      expect(await moneyOf(receiver, provider)).toEqual([money(0), money(100)]);
      expect(await amountsWithCode(provider, 'exchange_extra')).toEqual(['40']);
      await expectTrail(t, delivered, ['proposed', 'accepted', 'delivered', 'confirmed']);
    });

    it('delivered at 0: confirming voids the hold and nothing moves; a negative amount is refused', async () => {
      const { communityId, receiver, provider } = await scene();
      const accepted = await acceptedExchange(receiver, provider, communityId, ESTIMATE);

      await expectStepRefused(
        provider.client,
        'markExchangeDelivered',
        { exchangeId: accepted.id, actualAmount: '-1' },
        'ACTUAL_MUST_NOT_BE_NEGATIVE',
      );
      await deliver(provider, accepted.id, 0);
      expect(await confirm(receiver, accepted.id)).toMatchObject({ status: 'CONFIRMED', actualAmount: '0' });

      expect(await moneyOf(receiver, provider)).toEqual(UNTOUCHED);
      expect(await holdOf(receiver.client, accepted.holdTransferId!)).toMatchObject({
        pendingStatus: 'VOIDED',
        resolution: { kind: 'VOID_PENDING', amount: '60' },
      });
      await expectTrail(t, accepted, ['proposed', 'accepted', 'delivered', 'confirmed']);
    });
  });

  describe('cancel', () => {
    it.each([
      ['the receiver, who proposed', 'receiver'],
      ['the provider', 'provider'],
    ] as const)('from PROPOSED, by %s: cancelled with its reason, nothing held', async (_, who) => {
      const { communityId, receiver, provider } = await scene();
      const proposed = await proposedExchange(receiver, provider, communityId, ESTIMATE);

      const cancelled = await stepOk({ receiver, provider }[who].client, 'cancelExchange', {
        exchangeId: proposed.id,
        reason: '  Plans changed  ',
      });

      expect(cancelled).toMatchObject({
        status: 'CANCELLED',
        reason: 'Plans changed',
        holdTransferId: null,
        dueAt: null,
      });
      expect(await moneyOf(receiver, provider)).toEqual(UNTOUCHED);
      await expectTrail(t, proposed, ['proposed', 'cancelled']);
    });

    it.each([
      ['the receiver', 'receiver'],
      ['the provider', 'provider'],
    ] as const)('from ACCEPTED, by %s: the hold is released', async (_, who) => {
      const { communityId, receiver, provider } = await scene();
      const accepted = await acceptedExchange(receiver, provider, communityId, ESTIMATE);
      expect(await moneyOf(receiver, provider)).toEqual(HELD);

      const cancelled = await stepOk({ receiver, provider }[who].client, 'cancelExchange', { exchangeId: accepted.id });

      expect(cancelled).toMatchObject({ status: 'CANCELLED', reason: null, dueAt: null });
      expect(await moneyOf(receiver, provider)).toEqual(UNTOUCHED);
      expect(await holdOf(receiver.client, accepted.holdTransferId!)).toMatchObject({ pendingStatus: 'VOIDED' });
      await expectTrail(t, accepted, ['proposed', 'accepted', 'cancelled']);
    });

    it('after delivery, and after confirmation, neither party can cancel: WRONG_STATUS, nothing changes', async () => {
      const { communityId, receiver, provider } = await scene();
      const delivered = await deliveredExchange(receiver, provider, communityId, ESTIMATE, 50);

      for (const party of [receiver, provider])
        await expectStepRefused(party.client, 'cancelExchange', { exchangeId: delivered.id }, 'WRONG_STATUS');
      expect(await fetchExchange(receiver.client, delivered.id)).toMatchObject({ status: 'DELIVERED' });
      expect(await moneyOf(receiver, provider)).toEqual(HELD);

      await confirm(receiver, delivered.id);
      for (const party of [receiver, provider])
        await expectStepRefused(party.client, 'cancelExchange', { exchangeId: delivered.id }, 'WRONG_STATUS');
      expect(await moneyOf(receiver, provider)).toEqual([money(550), money(50)]);
      await expectTrail(t, delivered, ['proposed', 'accepted', 'delivered', 'confirmed']);
    });
  });

  describe('dispute', () => {
    it('needs a reason and a delivery; disputed, it waits for a coordinator and never confirms itself', async () => {
      const { communityId, receiver, provider } = await scene();
      const accepted = await acceptedExchange(receiver, provider, communityId, ESTIMATE);

      await expectStepRefused(
        receiver.client,
        'disputeExchange',
        { exchangeId: accepted.id, reason: 'Too early' },
        'WRONG_STATUS',
      );
      await deliver(provider, accepted.id, 45);
      await expectStepRefused(receiver.client, 'disputeExchange', { exchangeId: accepted.id }, 'REASON_REQUIRED');
      await expectStepRefused(
        receiver.client,
        'disputeExchange',
        { exchangeId: accepted.id, reason: '   ' },
        'REASON_REQUIRED',
      );
      await expectTrail(t, accepted, ['proposed', 'accepted', 'delivered']);

      const disputed = await stepOk(receiver.client, 'disputeExchange', {
        exchangeId: accepted.id,
        reason: 'Half the weeds are still there',
      });

      expect(disputed).toMatchObject({
        status: 'DISPUTED',
        reason: 'Half the weeds are still there',
        dueAt: null,
        actualAmount: '45',
      });
      expect(await moneyOf(receiver, provider)).toEqual(HELD);
      await expectStepRefused(receiver.client, 'confirmExchange', { exchangeId: accepted.id }, 'WRONG_STATUS');
      await expectStepRefused(
        provider.client,
        'disputeExchange',
        { exchangeId: accepted.id, reason: 'Me too' },
        'WRONG_STATUS',
      );
      await expectTrail(t, accepted, ['proposed', 'accepted', 'delivered', 'disputed']);
    });

    it.each([
      ['POST_FULL', undefined, 'post_full', [money(540), money(60)], { kind: 'POST_PENDING', amount: '60' }, '60'],
      ['POST_PART', '25', 'post_part', [money(575), money(25)], { kind: 'POST_PENDING', amount: '25' }, '25'],
      ['VOID', undefined, 'void', [money(600), money(0)], { kind: 'VOID_PENDING', amount: '60' }, '0'],
    ])(
      'the coordinator resolves %s (amount %s): the hold settles so, audited with the reason',
      async (outcome, amount, auditedOutcome, finalMoney, resolution, paid) => {
        const { fixture, communityId, receiver, provider } = await scene();
        const delivered = await deliveredExchange(receiver, provider, communityId, ESTIMATE, 45);
        // Either party may dispute: here the provider, who says the work came to more than was stated.
        await stepOk(provider.client, 'disputeExchange', { exchangeId: delivered.id, reason: 'It took longer' });

        const resolved = await stepOk(fixture.asCoordinator(), 'resolveExchangeDispute', {
          exchangeId: delivered.id,
          outcome,
          amount,
          reason: 'Heard both sides',
        });

        expect(resolved).toMatchObject({
          status: 'RESOLVED',
          reason: 'Heard both sides',
          actualAmount: paid,
          dueAt: null,
        });
        expect(await moneyOf(receiver, provider)).toEqual(finalMoney);
        expect(await holdOf(receiver.client, delivered.holdTransferId!)).toMatchObject({ resolution });
        await expectTrail(t, delivered, ['proposed', 'accepted', 'delivered', 'disputed', 'resolved']);
        expect(await stepAudit(t, delivered, 'resolved')).toEqual([
          {
            actorMemberId: fixture.coordinator.memberId,
            actorRole: 'coordinator',
            reason: 'Heard both sides',
            details: expect.objectContaining({ status: 'resolved', outcome: auditedOutcome, actualAmount: paid }),
          },
        ]);
      },
    );

    it('refuses a resolution without an amount to post in part, above the hold, without a reason, or of an undisputed exchange; nothing changes', async () => {
      const { fixture, communityId, receiver, provider } = await scene();
      const coordinator = fixture.asCoordinator();
      const delivered = await deliveredExchange(receiver, provider, communityId, ESTIMATE, 45);
      const resolve = (input: Record<string, unknown>) => ({
        exchangeId: delivered.id,
        outcome: 'POST_PART',
        reason: 'Heard both sides',
        ...input,
      });

      await expectStepRefused(coordinator, 'resolveExchangeDispute', resolve({ amount: '30' }), 'WRONG_STATUS');
      await stepOk(receiver.client, 'disputeExchange', { exchangeId: delivered.id, reason: 'Not done' });
      await expectStepRefused(coordinator, 'resolveExchangeDispute', resolve({}), 'AMOUNT_REQUIRED');
      await expectStepRefused(coordinator, 'resolveExchangeDispute', resolve({ amount: '61' }), 'AMOUNT_EXCEEDS_HOLD');
      await expectStepRefused(
        coordinator,
        'resolveExchangeDispute',
        resolve({ amount: '30', reason: '   ' }),
        'REASON_REQUIRED',
      );
      expectInvalidInput(await tryStep(coordinator, 'resolveExchangeDispute', resolve({ amount: '30', reason: '' })), [
        ['input', 'reason'],
      ]);

      expect(await fetchExchange(receiver.client, delivered.id)).toMatchObject({ status: 'DISPUTED' });
      expect(await moneyOf(receiver, provider)).toEqual(HELD);
      await expectTrail(t, delivered, ['proposed', 'accepted', 'delivered', 'disputed']);
    });

    it("neither the parties nor another community's coordinator may resolve it: FORBIDDEN, nothing changes", async () => {
      const { communityId, receiver, provider } = await scene();
      const elsewhere = await createLedgerFixture(t, []);
      const delivered = await deliveredExchange(receiver, provider, communityId, ESTIMATE, 45);
      await stepOk(receiver.client, 'disputeExchange', { exchangeId: delivered.id, reason: 'Not done' });
      const input = { exchangeId: delivered.id, outcome: 'VOID', reason: 'In my favour' };

      for (const client of [receiver.client, provider.client, elsewhere.asCoordinator()])
        expectForbidden(await tryStep(client, 'resolveExchangeDispute', input));

      expect(await fetchExchange(receiver.client, delivered.id)).toMatchObject({ status: 'DISPUTED' });
      expect(await moneyOf(receiver, provider)).toEqual(HELD);
      await expectTrail(t, delivered, ['proposed', 'accepted', 'delivered', 'disputed']);
    });
  });

  describe('the sweeper', () => {
    it('confirms a delivered exchange once its delay has passed, posting what was delivered', async () => {
      const { communityId, receiver, provider } = await scene();
      const delivered = await deliveredExchange(receiver, provider, communityId, ESTIMATE, 45);

      await makeDue(t, delivered.id);
      await sweepExchanges(t);
      const confirmed = await fetchExchange(receiver.client, delivered.id);

      expect(confirmed).toMatchObject({
        status: 'CONFIRMED',
        reason: 'confirmed automatically after the community delay',
        dueAt: null,
        actualAmount: '45',
      });
      expect(await moneyOf(receiver, provider)).toEqual([money(555), money(45)]);
      await expectTrail(t, delivered, ['proposed', 'accepted', 'delivered', 'confirmed']);
      expect(await stepAudit(t, delivered, 'confirmed')).toEqual([
        expect.objectContaining({ actorMemberId: null, actorRole: 'system', reason: confirmed.reason }),
      ]);
    });

    it('confirming by itself above the estimate posts only the hold: the receiver never approved more', async () => {
      const { communityId, receiver, provider } = await scene();
      const delivered = await deliveredExchange(receiver, provider, communityId, ESTIMATE, 90);

      await makeDue(t, delivered.id);
      await sweepExchanges(t);
      expect(await fetchExchange(receiver.client, delivered.id)).toMatchObject({ status: 'CONFIRMED' });

      expect(await moneyOf(receiver, provider)).toEqual([money(540), money(60)]);
      expect(await amountsWithCode(provider, 'exchange_extra')).toEqual([]);
      await expectTrail(t, delivered, ['proposed', 'accepted', 'delivered', 'confirmed']);
    });

    it('lapses an accepted exchange whose hold timed out before delivery: EXPIRED, the hold released and the goods back on the listing', async () => {
      const { communityId, receiver, provider } = await scene();
      const listing = await offerGoods(provider, communityId, 3);
      const proposed = await proposeOn(receiver, listing.id, ESTIMATE, { quantity: 2 });
      await accept(provider, proposed.id);
      expect(await listingQuantity(receiver.client, listing.id)).toBe(1);

      await makeDue(t, proposed.id);
      await sweepExchanges(t);
      const expired = await fetchExchange(receiver.client, proposed.id);

      expect(expired).toMatchObject({ status: 'EXPIRED', reason: 'the hold expired before delivery', dueAt: null });
      expect(await moneyOf(receiver, provider)).toEqual(UNTOUCHED);
      expect(await holdOf(receiver.client, expired.holdTransferId!)).toMatchObject({ pendingStatus: 'VOIDED' });
      expect(await listingQuantity(receiver.client, listing.id)).toBe(3);
      await expectTrail(t, proposed, ['proposed', 'accepted', 'expired']);
      expect(await stepAudit(t, proposed, 'expired')).toEqual([
        expect.objectContaining({ actorMemberId: null, actorRole: 'system' }),
      ]);
    });

    it('delivering after the hold timed out is refused with HOLD_EXPIRED, and the exchange lapses', async () => {
      const { communityId, receiver, provider } = await scene();
      const accepted = await acceptedExchange(receiver, provider, communityId, ESTIMATE);

      // No sweeper runs until the test calls one: the delivery is the first to see the hold's time run out.
      await makeDue(t, accepted.id);
      const payload = await stepPayload(provider.client, 'markExchangeDelivered', {
        exchangeId: accepted.id,
        actualAmount: '60',
      });
      expect(payload).toMatchObject({ exchange: null, userErrors: [{ code: 'HOLD_EXPIRED' }] });

      await sweepExchanges(t);
      expect(await fetchExchange(receiver.client, accepted.id)).toMatchObject({ status: 'EXPIRED' });
      expect(await moneyOf(receiver, provider)).toEqual(UNTOUCHED);
      await expectTrail(t, accepted, ['proposed', 'accepted', 'expired']);
    });

    it('an exchange the ledger will not settle (a frozen account) goes to the coordinator as disputed; the others still confirm', async () => {
      const { fixture, parties } = await exchangeCommunity(t, [
        { balance: RECEIVER_FUNDS },
        {},
        { balance: RECEIVER_FUNDS },
        {},
      ]);
      const [receiverA, providerA, receiverB, providerB] = parties;
      const communityId = fixture.community.id;
      const blocked = await deliveredExchange(receiverA, providerA, communityId, ESTIMATE, 45);
      const healthy = await deliveredExchange(receiverB, providerB, communityId, ESTIMATE, 50);
      // A frozen account cannot receive: the blocked exchange's hold cannot post.
      await succeed(fixture.asCoordinator(), 'freezeAccount', {
        accountId: providerA.accountId,
        reason: 'Under review',
      });
      try {
        await makeDue(t, blocked.id);
        await makeDue(t, healthy.id);

        await sweepExchanges(t);
        expect(await fetchExchange(receiverB.client, healthy.id)).toMatchObject({ status: 'CONFIRMED' });
        const disputed = await fetchExchange(receiverA.client, blocked.id);

        expect(await moneyOf(receiverB, providerB)).toEqual([money(550), money(50)]);
        expect(disputed).toMatchObject({
          status: 'DISPUTED',
          dueAt: null,
          reason: 'could not be confirmed automatically: the ledger refused to settle the hold',
        });
        expect(await moneyOf(receiverA, providerA)).toEqual(HELD);
        await expectTrail(t, blocked, ['proposed', 'accepted', 'delivered', 'disputed']);
        expect(await stepAudit(t, blocked, 'disputed')).toEqual([
          expect.objectContaining({ actorMemberId: null, actorRole: 'system' }),
        ]);
      } finally {
        await succeed(fixture.asCoordinator(), 'unfreezeAccount', {
          accountId: providerA.accountId,
          reason: 'Cleared',
        });
      }
      await stepOk(fixture.asCoordinator(), 'resolveExchangeDispute', {
        exchangeId: blocked.id,
        outcome: 'POST_PART',
        amount: '45',
        reason: 'As delivered',
      });
      expect(await moneyOf(receiverA, providerA)).toEqual([money(555), money(45)]);
      await expectTrail(t, blocked, ['proposed', 'accepted', 'delivered', 'disputed', 'resolved']);
    });
  });

  describe('direct exchanges, without a listing', () => {
    it('proposed by the receiver (role RECEIVER): the counterparty provides and accepts; settles like any other', async () => {
      const { communityId, receiver, provider } = await scene();

      const proposed = await stepOk(receiver.client, 'proposeExchange', {
        communityId,
        counterpartyId: provider.memberId,
        role: 'RECEIVER',
        estimatedAmount: '60',
        description: 'You fixed my bike',
      });
      expect(proposed).toMatchObject({
        listingId: null,
        proposerId: receiver.memberId,
        providerId: provider.memberId,
        receiverId: receiver.memberId,
        status: 'PROPOSED',
      });

      await accept(provider, proposed.id);
      expect(await moneyOf(receiver, provider)).toEqual(HELD);
      await deliver(provider, proposed.id, 60);
      await confirm(receiver, proposed.id);
      expect(await moneyOf(receiver, provider)).toEqual([money(540), money(60)]);
      await expectTrail(t, proposed, ['proposed', 'accepted', 'delivered', 'confirmed']);
    });

    it('proposed by the provider (role PROVIDER): the receiver accepts, and so places the hold on their own account', async () => {
      const { communityId, receiver, provider } = await scene();

      const proposed = await stepOk(provider.client, 'proposeExchange', {
        communityId,
        counterpartyId: receiver.memberId,
        role: 'PROVIDER',
        estimatedAmount: '60',
      });
      expect(proposed).toMatchObject({
        proposerId: provider.memberId,
        providerId: provider.memberId,
        receiverId: receiver.memberId,
      });

      await expectStepRefused(provider.client, 'acceptExchange', { exchangeId: proposed.id }, 'WRONG_PARTY');
      await accept(receiver, proposed.id);
      expect(await moneyOf(receiver, provider)).toEqual(HELD);
      await deliver(provider, proposed.id, 30);
      await confirm(receiver, proposed.id);
      expect(await moneyOf(receiver, provider)).toEqual([money(570), money(30)]);
      await expectTrail(t, proposed, ['proposed', 'accepted', 'delivered', 'confirmed']);
    });

    it('refuses an incomplete proposal, a stranger for counterparty, a quantity, a non-positive estimate; writes nothing', async () => {
      const { communityId, receiver, provider } = await scene();
      const stranger = (await createLedgerFixture(t, [{}])).holders[0];
      const direct = { communityId, counterpartyId: provider.memberId, role: 'RECEIVER', estimatedAmount: '60' };
      const refusals: [Record<string, unknown>, string][] = [
        [{ communityId: undefined }, 'DIRECT_EXCHANGE_INCOMPLETE'],
        [{ counterpartyId: undefined }, 'DIRECT_EXCHANGE_INCOMPLETE'],
        [{ role: undefined }, 'DIRECT_EXCHANGE_INCOMPLETE'],
        [{ counterpartyId: stranger.memberId }, 'COUNTERPARTY_NOT_MEMBER'],
        [{ counterpartyId: NONEXISTENT_ID }, 'COUNTERPARTY_NOT_MEMBER'],
        [{ quantity: 1 }, 'QUANTITY_IS_FOR_GOODS'],
        [{ estimatedAmount: '0' }, 'ESTIMATE_MUST_BE_POSITIVE'],
      ];

      for (const [change, code] of refusals)
        await expectStepRefused(receiver.client, 'proposeExchange', { ...direct, ...change }, code);
      // Not a member of that community at all: denied, as if it did not exist.
      expectForbidden(
        await tryStep(t.as(stranger.token), 'proposeExchange', { ...direct, counterpartyId: receiver.memberId }),
      );

      expect(await exchangeCount(communityId)).toBe(0);
      expect(await moneyOf(receiver, provider)).toEqual(UNTOUCHED);
    });
  });

  describe('goods', () => {
    it('units are reserved on acceptance, not on proposal, and go back to the listing on cancellation', async () => {
      const { communityId, receiver, provider } = await scene();
      const listing = await offerGoods(provider, communityId, 5);

      const proposed = await proposeOn(receiver, listing.id, ESTIMATE, { quantity: 2 });
      expect(proposed).toMatchObject({ quantity: 2 });
      expect(await listingQuantity(receiver.client, listing.id)).toBe(5);
      await accept(provider, proposed.id);
      expect(await listingQuantity(receiver.client, listing.id)).toBe(3);
      expect(await moneyOf(receiver, provider)).toEqual(HELD);

      await stepOk(receiver.client, 'cancelExchange', { exchangeId: proposed.id, reason: 'Found some at the market' });

      expect(await listingQuantity(receiver.client, listing.id)).toBe(5);
      expect(await moneyOf(receiver, provider)).toEqual(UNTOUCHED);
      await expectTrail(t, proposed, ['proposed', 'accepted', 'cancelled']);
    });

    it('more units than are left: OUT_OF_STOCK on acceptance, nothing reserved nor held, still PROPOSED', async () => {
      const { communityId, receiver, provider } = await scene();
      const listing = await offerGoods(provider, communityId, 2);
      const proposed = await proposeOn(receiver, listing.id, ESTIMATE, { quantity: 3 });

      await expectStepRefused(provider.client, 'acceptExchange', { exchangeId: proposed.id }, 'OUT_OF_STOCK');

      expect(await fetchExchange(receiver.client, proposed.id)).toMatchObject({
        status: 'PROPOSED',
        holdTransferId: null,
      });
      expect(await listingQuantity(receiver.client, listing.id)).toBe(2);
      expect(await moneyOf(receiver, provider)).toEqual(UNTOUCHED);
      await expectTrail(t, proposed, ['proposed']);
    });

    it('refuses proposals: goods without a quantity, a service with one, a paused listing, your own listing', async () => {
      const { communityId, receiver, provider } = await scene();
      const goods = await offerGoods(provider, communityId, 5);
      const service = await offerService(provider, communityId);
      const paused = await offerService(provider, communityId, { title: 'Piano lessons' });
      await changeListing(provider.client, paused.id, { status: 'PAUSED' });
      const propose = (party: Party, listingId: string, extra: Record<string, unknown> = {}) =>
        stepPayload(party.client, 'proposeExchange', { listingId, estimatedAmount: '60', ...extra });

      expect(await propose(receiver, goods.id)).toMatchObject({
        exchange: null,
        userErrors: [{ code: 'QUANTITY_REQUIRED', field: ['input', 'quantity'] }],
      });
      expect(await propose(receiver, service.id, { quantity: 1 })).toMatchObject({
        exchange: null,
        userErrors: [{ code: 'QUANTITY_IS_FOR_GOODS', field: ['input', 'quantity'] }],
      });
      expect(await propose(receiver, paused.id)).toMatchObject({
        exchange: null,
        userErrors: [{ code: 'LISTING_NOT_AVAILABLE', field: ['input', 'listingId'] }],
      });
      expect(await propose(provider, goods.id, { quantity: 1 })).toMatchObject({
        exchange: null,
        userErrors: [{ code: 'OWN_LISTING', field: ['input', 'listingId'] }],
      });

      expect(await exchangeCount(communityId)).toBe(0);
      expect(await listingQuantity(receiver.client, goods.id)).toBe(5);
    });
  });

  it('HOLD_REFUSED when the receiver cannot afford the estimate: nothing reserved, still PROPOSED; once funded, the same acceptance goes through', async () => {
    const { fixture, communityId, receiver, provider } = await scene(0, 30n);
    const listing = await offerGoods(provider, communityId, 2);
    const proposed = await proposeOn(receiver, listing.id, ESTIMATE, { quantity: 1 });

    await expectStepRefused(provider.client, 'acceptExchange', { exchangeId: proposed.id }, 'HOLD_REFUSED');

    expect(await fetchExchange(receiver.client, proposed.id)).toMatchObject({
      status: 'PROPOSED',
      holdTransferId: null,
    });
    expect(await listingQuantity(receiver.client, listing.id)).toBe(2);
    expect(await moneyOf(receiver, provider)).toEqual([money(30), money(0)]);
    await expectTrail(t, proposed, ['proposed']);

    await grant(fixture, receiver, 30);
    expect(await accept(provider, proposed.id)).toMatchObject({ status: 'ACCEPTED' });
    expect(await listingQuantity(receiver.client, listing.id)).toBe(1);
    expect(await moneyOf(receiver, provider)).toEqual([money(60, 0, 60), money(0, 0, 0, 60)]);
    await expectTrail(t, proposed, ['proposed', 'accepted']);
  });

  describe('reviews', () => {
    const review = (party: Party, exchangeId: string, rating: number, comment = '') =>
      reviewExchange(party.client, { exchangeId, rating, comment });

    it('only after settlement, once per party, rated 1 to 5; the summary averages what others said', async () => {
      const {
        fixture,
        communityId,
        receiver,
        provider,
        others: [stranger],
      } = await scene(1);
      const first = await acceptedExchange(receiver, provider, communityId, ESTIMATE);

      expect(await review(receiver, first.id, 5)).toMatchObject({
        review: null,
        userErrors: [{ code: 'NOT_SETTLED' }],
      });
      await deliver(provider, first.id, 60);
      expect(await review(receiver, first.id, 5)).toMatchObject({
        review: null,
        userErrors: [{ code: 'NOT_SETTLED' }],
      });
      await confirm(receiver, first.id);

      for (const rating of [0, 6]) {
        expectInvalidInput(
          await receiver.client.graphql(REVIEW_EXCHANGE, { input: { exchangeId: first.id, rating } }),
          [['input', 'rating']],
        );
      }
      expectForbidden(await stranger.client.graphql(REVIEW_EXCHANGE, { input: { exchangeId: first.id, rating: 1 } }));
      expectForbidden(
        await fixture.asCoordinator().graphql(REVIEW_EXCHANGE, { input: { exchangeId: first.id, rating: 1 } }),
      );

      const byReceiver = await review(receiver, first.id, 5, 'Spotless garden');
      expect(byReceiver).toEqual({
        review: {
          id: expect.any(String),
          exchangeId: first.id,
          authorId: receiver.memberId,
          subjectId: provider.memberId,
          rating: 5,
          comment: 'Spotless garden',
          createdAt: expect.any(String),
        },
        userErrors: [],
      });
      expect(await review(provider, first.id, 4, 'Friendly')).toMatchObject({
        review: { authorId: provider.memberId, subjectId: receiver.memberId, rating: 4 },
      });
      expect(await review(receiver, first.id, 1, 'Changed my mind')).toMatchObject({
        review: null,
        userErrors: [{ code: 'ALREADY_REVIEWED' }],
      });

      // A second exchange, settled by a coordinator after a dispute, reviewed 4 by the same receiver.
      const second = await deliveredExchange(receiver, provider, communityId, ESTIMATE, 30);
      await stepOk(receiver.client, 'disputeExchange', { exchangeId: second.id, reason: 'Late' });
      await stepOk(fixture.asCoordinator(), 'resolveExchangeDispute', {
        exchangeId: second.id,
        outcome: 'POST_FULL',
        reason: 'It was done',
      });
      await review(receiver, second.id, 4);

      const ofProvider = await memberReviews(stranger.client, provider.memberId);
      expect(ofProvider.reviewSummary).toEqual({ count: 2, averageRating: 4.5 });
      expect(ofProvider.reviews.map((row) => [row.exchangeId, row.rating])).toEqual([
        [second.id, 4],
        [first.id, 5],
      ]);
      expect((await memberReviews(stranger.client, receiver.memberId)).reviewSummary).toEqual({
        count: 1,
        averageRating: 4,
      });
      expect((await memberReviews(stranger.client, stranger.memberId)).reviewSummary).toEqual({
        count: 0,
        averageRating: null,
      });

      const events = await t.dataSource.query(
        `SELECT aggregate_id AS "reviewId" FROM outbox_events WHERE topic = 'review.created' AND community_id = $1 ORDER BY id`,
        [rowId(communityId)],
      );
      expect(events).toHaveLength(3);
      expect(events[0]).toEqual({ reviewId: rowId(byReceiver.review!.id) });
      expect(await moneyOf(receiver, provider)).toEqual([money(480), money(120)]);

      // A page of members reads their reviews in one query per kind, whatever its size, with the same answers.
      const spy = jest.spyOn(t.dataSource, 'query');
      let page;
      let statements: string[];
      try {
        page = await gql<{ memberships: { edges: { node: { member: { id: string } } }[] } }>(
          fixture.asCoordinator(),
          `query Page($communityId: ID!) { memberships(communityId: $communityId, first: 20) { edges { node {
             member { id reviewSummary { count averageRating } reviews { ${REVIEW_FIELDS} } } } } } }`,
          { communityId },
        );
        // Read before mockRestore, which forgets the calls.
        statements = spy.mock.calls.map(([sql]) => sql).filter((sql) => /FROM reviews/.test(sql));
      } finally {
        spy.mockRestore();
      }
      expect(statements).toHaveLength(2);
      const members = page.memberships.edges.map(({ node }) => node.member);
      expect(members.length).toBeGreaterThanOrEqual(4);
      const byId = new Map(members.map((member) => [member.id, member]));
      for (const party of [provider, receiver, stranger]) {
        expect(byId.get(party.memberId)).toEqual(await memberReviews(stranger.client, party.memberId));
      }
    });
  });

  describe('access', () => {
    it("only the parties and the community's auditors read an exchange; anyone else is denied as if it did not exist", async () => {
      const {
        fixture,
        communityId,
        receiver,
        provider,
        others: [coMember],
      } = await scene(1);
      const elsewhere = await createLedgerFixture(t, []);
      const exchange = await proposedExchange(receiver, provider, communityId, ESTIMATE);
      const auditor = asPartner(
        t,
        (await registerPartnerApp(fixture.asCoordinator(), communityId, ['AUDIT_READ'], 'Exchange auditor')).apiKey,
      );
      const foreignAuditor = asPartner(
        t,
        (await registerPartnerApp(elsewhere.asCoordinator(), elsewhere.community.id, ['AUDIT_READ'], 'Other auditor'))
          .apiKey,
      );

      for (const client of [receiver.client, provider.client, fixture.asCoordinator(), auditor]) {
        expect(await fetchExchange(client, exchange.id)).toEqual(exchange);
      }
      for (const client of [coMember.client, elsewhere.asCoordinator(), foreignAuditor]) {
        expectForbidden(await readExchange(client, exchange.id));
        expectForbidden(await readExchange(client, NONEXISTENT_ID));
      }
      expectQueryRefused(await readExchange(t, exchange.id), UNAUTHENTICATED);
    });

    it("lists: each member their own; a community's whole list for its auditors only", async () => {
      const {
        fixture,
        communityId,
        receiver,
        provider,
        others: [coMember],
      } = await scene(1);
      const proposed = await proposedExchange(receiver, provider, communityId, ESTIMATE);
      const accepted = await acceptedExchange(receiver, provider, communityId, ESTIMATE);
      const auditor = asPartner(
        t,
        (await registerPartnerApp(fixture.asCoordinator(), communityId, ['AUDIT_READ'], 'Exchange auditor')).apiKey,
      );

      expect(await listedExchangeIds(receiver.client)).toEqual([accepted.id, proposed.id]);
      expect(await listedExchangeIds(provider.client, { status: 'ACCEPTED' })).toEqual([accepted.id]);
      expect(await listedExchangeIds(coMember.client)).toEqual([]);
      for (const client of [fixture.asCoordinator(), auditor])
        expect(await listedExchangeIds(client, { communityId })).toEqual([accepted.id, proposed.id]);
      expectForbidden(
        await receiver.client.graphql('query($c: ID) { exchanges(communityId: $c) { edges { node { id } } } }', {
          c: communityId,
        }),
      );
    });

    it("a partner app acting for a member sees only the member's exchanges of the app's community", async () => {
      const { fixture, communityId, receiver, provider } = await scene();
      const elsewhere = await createLedgerFixture(t, [{ balance: RECEIVER_FUNDS }]);
      const here = await proposedExchange(receiver, provider, communityId, ESTIMATE);
      // The provider also belongs to another community, where someone proposes an exchange to them directly.
      await t.members.admit(rowId(provider.memberId), elsewhere.community.id, MembershipRole.MEMBER);
      const there = await stepOk(elsewhere.as(elsewhere.members[0]), 'proposeExchange', {
        communityId: elsewhere.community.id,
        counterpartyId: provider.memberId,
        role: 'RECEIVER',
        estimatedAmount: '60',
      });
      const { apiKey, partnerApp } = await registerPartnerApp(
        fixture.asCoordinator(),
        communityId,
        ['ACT_FOR_MEMBER'],
        'Exchange helper',
      );
      expect(await grantPartnerConsent(provider.client, partnerApp.id)).toBe(true);
      const actingForProvider = asPartner(t, apiKey, provider.memberId);

      expect(await listedExchangeIds(provider.client)).toEqual([there.id, here.id]);
      expect(await fetchExchange(actingForProvider, here.id)).toMatchObject({ id: here.id });
      expectForbidden(await readExchange(actingForProvider, there.id));
      expect(await listedExchangeIds(actingForProvider)).toEqual([here.id]);
    });

    it('each step belongs to one party: the proposer cannot accept, only the provider delivers, only the receiver confirms; others are denied', async () => {
      const {
        fixture,
        communityId,
        receiver,
        provider,
        others: [coMember],
      } = await scene(1);
      const proposed = await proposedExchange(receiver, provider, communityId, ESTIMATE);
      const exchangeId = proposed.id;

      await expectStepRefused(receiver.client, 'acceptExchange', { exchangeId }, 'WRONG_PARTY');
      for (const client of [coMember.client, fixture.asCoordinator()]) {
        expectForbidden(await tryStep(client, 'acceptExchange', { exchangeId }));
        expectForbidden(await tryStep(client, 'cancelExchange', { exchangeId }));
      }
      expectForbidden(await tryStep(provider.client, 'acceptExchange', { exchangeId: NONEXISTENT_ID }));
      await accept(provider, exchangeId);

      await expectStepRefused(
        receiver.client,
        'markExchangeDelivered',
        { exchangeId, actualAmount: '60' },
        'WRONG_PARTY',
      );
      expectForbidden(await tryStep(coMember.client, 'markExchangeDelivered', { exchangeId, actualAmount: '60' }));
      await deliver(provider, exchangeId, 60);

      await expectStepRefused(provider.client, 'confirmExchange', { exchangeId }, 'WRONG_PARTY');
      for (const client of [coMember.client, fixture.asCoordinator()]) {
        expectForbidden(await tryStep(client, 'confirmExchange', { exchangeId }));
        expectForbidden(await tryStep(client, 'disputeExchange', { exchangeId, reason: 'Meddling' }));
      }

      expect(await fetchExchange(receiver.client, exchangeId)).toMatchObject({ status: 'DELIVERED' });
      expect(await moneyOf(receiver, provider)).toEqual(HELD);
      await expectTrail(t, proposed, ['proposed', 'accepted', 'delivered']);
    });

    it("the raw ledger API can neither post nor void an exchange's hold, whoever asks: FORBIDDEN, the hold untouched", async () => {
      const { fixture, communityId, receiver, provider } = await scene();
      const accepted = await acceptedExchange(receiver, provider, communityId, ESTIMATE);
      const pendingTransferId = accepted.holdTransferId!;

      for (const client of [receiver.client, provider.client, fixture.asCoordinator()]) {
        expectForbidden(await attempt(client, 'postPendingTransfer', { idempotencyKey: newKey(), pendingTransferId }));
        expectForbidden(await attempt(client, 'voidPendingTransfer', { idempotencyKey: newKey(), pendingTransferId }));
      }

      expect(await holdOf(receiver.client, pendingTransferId)).toMatchObject({
        pendingStatus: 'OPEN',
        resolution: null,
      });
      expect(await moneyOf(receiver, provider)).toEqual(HELD);
      expect(await fetchExchange(receiver.client, accepted.id)).toMatchObject({ status: 'ACCEPTED' });
      await expectTrail(t, accepted, ['proposed', 'accepted']);
    });

    it("confirming while a party's account is frozen is refused with SETTLEMENT_REFUSED (the ledger cannot post), and nothing changes", async () => {
      const { fixture, communityId, receiver, provider } = await scene();
      const delivered = await deliveredExchange(receiver, provider, communityId, ESTIMATE, 45);
      await succeed(fixture.asCoordinator(), 'freezeAccount', {
        accountId: provider.accountId,
        reason: 'Under review',
      });
      try {
        await expectStepRefused(receiver.client, 'confirmExchange', { exchangeId: delivered.id }, 'SETTLEMENT_REFUSED');
      } finally {
        await succeed(fixture.asCoordinator(), 'unfreezeAccount', { accountId: provider.accountId, reason: 'Cleared' });
      }

      expect(await fetchExchange(receiver.client, delivered.id)).toMatchObject({ status: 'DELIVERED' });
      expect(await moneyOf(receiver, provider)).toEqual(HELD);
      await expectTrail(t, delivered, ['proposed', 'accepted', 'delivered']);
      await confirm(receiver, delivered.id);
      expect(await moneyOf(receiver, provider)).toEqual([money(555), money(45)]);
    });
  });

  /** Exchanges of one community, straight from the database. */
  async function exchangeCount(communityId: string): Promise<number> {
    const [{ count }] = await t.dataSource.query(
      'SELECT count(*)::int AS count FROM exchanges WHERE community_id = $1',
      [rowId(communityId)],
    );
    return count;
  }
});
