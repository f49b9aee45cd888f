import { HeldLocks, holdLocks } from '../support/held-locks.js';
import { ErrorCode } from '../../libs/graphql/error-code.js';
import { createLedgerFixture, LedgerFixture } from '../support/ledger-fixture.js';
import { GraphqlClient, GraphqlResponse, TestApp, useTestApp } from '../support/test-app.js';
import { asPartner, registerPartnerApp } from './auth-client.js';
import { expectForbidden, expectQueryRefused, NONEXISTENT_ID } from './denials.js';
import { expectInvalidInput, gql, USER_ERRORS, UserErrorView } from './graphql-client.js';
import {
  accept,
  amountsWithCode,
  EXCHANGE_FIELDS,
  exchangeCommunity,
  exchangeTrail,
  ExchangeView,
  expectStepRefused,
  expectTrail,
  fetchExchange,
  holdOf,
  makeDue,
  Money,
  money,
  moneyOf,
  offerGoods,
  offerService,
  Party,
  readExchange,
  stepOk,
  stepOutcome,
  sweepExchanges,
  tryStep,
} from './exchange-client.js';
import { changeListing } from './listing-client.js';
import { auditRows, pendingMember, succeed } from './member-client.js';
import { globalId, rowId } from '../support/global-ids.js';

const { UNAUTHENTICATED } = ErrorCode;

/** Each receiver starts with 600; each place holds 60 (an hour of the class). */
const RECEIVER_FUNDS = 600n;
const ESTIMATE = 60;

const GROUP_FIELDS = 'id communityId listingId providerId description estimatedAmount createdAt';
/** `EXCHANGE_FIELDS` (shared with the single-exchange tests) does not ask for the group a place belongs to. */
const PLACE_FIELDS = `${EXCHANGE_FIELDS} groupId`;
const GROUP_PAYLOAD = `group { ${GROUP_FIELDS} } exchanges { ${PLACE_FIELDS} } ${USER_ERRORS}`;
const PROPOSE_GROUP = `mutation ProposeGroupExchange($input: ProposeGroupExchangeInput!) { proposeGroupExchange(input: $input) { ${GROUP_PAYLOAD} } }`;
const SETTLE_GROUP = `mutation SettleExchangeGroup($input: SettleExchangeGroupInput!) { settleExchangeGroup(input: $input) { ${GROUP_PAYLOAD} } }`;
const EXCHANGE_GROUP = `query ExchangeGroup($id: ID!) { exchangeGroup(id: $id) { ${GROUP_PAYLOAD} } }`;
const GROUP_EXCHANGE = `query GroupExchange($id: ID!) { groupExchange(id: $id) { ${GROUP_FIELDS} exchanges { ${PLACE_FIELDS} } } }`;

interface GroupView {
  id: string;
  communityId: string;
  listingId: string | null;
  providerId: string;
  description: string;
  estimatedAmount: string;
  createdAt: string;
}

type PlaceView = ExchangeView & { groupId: string | null };

interface GroupPayloadView {
  group: GroupView | null;
  exchanges: PlaceView[];
  userErrors: UserErrorView[];
}

/** A group as proposed: the group, and its places in the order of the receivers named. */
interface ProposedGroup {
  group: GroupView;
  places: PlaceView[];
}

function proposeGroupRaw(client: GraphqlClient, input: Record<string, unknown>): Promise<GraphqlResponse> {
  return client.graphql(PROPOSE_GROUP, { input });
}

async function proposeGroupPayload(client: GraphqlClient, input: Record<string, unknown>): Promise<GroupPayloadView> {
  return (await gql<{ proposeGroupExchange: GroupPayloadView }>(client, PROPOSE_GROUP, { input })).proposeGroupExchange;
}

/** A proposal that must go through. */
async function proposeGroup(provider: Party, input: Record<string, unknown>): Promise<ProposedGroup> {
  const payload = await proposeGroupPayload(provider.client, {
    estimatedAmount: String(ESTIMATE),
    description: 'Kimchi class',
    ...input,
  });
  expect(payload.userErrors).toEqual([]);
  return { group: payload.group!, places: payload.exchanges };
}

/** Refused as data: no group, no places, exactly this code. */
async function expectProposalRefused(
  client: GraphqlClient,
  input: Record<string, unknown>,
  code: string,
): Promise<void> {
  const payload = await proposeGroupPayload(client, input);
  expect({
    group: payload.group,
    exchanges: payload.exchanges,
    codes: payload.userErrors.map((error) => error.code),
  }).toEqual({ group: null, exchanges: [], codes: [code] });
}

function settleRaw(client: GraphqlClient, groupId: string, actualAmount: number | string): Promise<GraphqlResponse> {
  return client.graphql(SETTLE_GROUP, { input: { groupId, actualAmount: String(actualAmount) } });
}

async function settlePayload(
  client: GraphqlClient,
  groupId: string,
  actualAmount: number | string,
): Promise<GroupPayloadView> {
  return (
    await gql<{ settleExchangeGroup: GroupPayloadView }>(client, SETTLE_GROUP, {
      input: { groupId, actualAmount: String(actualAmount) },
    })
  ).settleExchangeGroup;
}

/** A settlement that must go through: the places it settled. */
async function settle(provider: Party, groupId: string, actualAmount: number): Promise<PlaceView[]> {
  const payload = await settlePayload(provider.client, groupId, actualAmount);
  expect(payload.userErrors).toEqual([]);
  return payload.exchanges;
}

async function expectSettlementRefused(
  client: GraphqlClient,
  groupId: string,
  actualAmount: number,
  code: string,
): Promise<void> {
  const payload = await settlePayload(client, groupId, actualAmount);
  expect({
    group: payload.group,
    exchanges: payload.exchanges,
    codes: payload.userErrors.map((error) => error.code),
  }).toEqual({ group: null, exchanges: [], codes: [code] });
}

/** How a concurrent settlement ended: OK with the ids it settled, the code of its one refusal, or of a top-level error. */
async function settleOutcome(client: GraphqlClient, groupId: string, actualAmount: number): Promise<string> {
  const response = await settleRaw(client, groupId, actualAmount);
  if (response.errors?.length) return `error:${response.errors[0].extensions?.code ?? 'UNKNOWN'}`;
  const payload = (response.data as { settleExchangeGroup: GroupPayloadView }).settleExchangeGroup;
  return payload.userErrors.length
    ? payload.userErrors.map((error) => error.code).join(',')
    : `OK ${payload.exchanges.map((place) => place.id).join(',')}`;
}

function readGroup(client: GraphqlClient, id: string): Promise<GraphqlResponse> {
  return client.graphql(EXCHANGE_GROUP, { id });
}

/** The group as the deprecated exchangeGroup answers it, checked to be what groupExchange answers too. */
async function fetchGroup(client: GraphqlClient, id: string): Promise<GroupPayloadView> {
  const payload = (await gql<{ exchangeGroup: GroupPayloadView }>(client, EXCHANGE_GROUP, { id })).exchangeGroup;
  const group = (await gql<{ groupExchange: GroupView & { exchanges: PlaceView[] } }>(client, GROUP_EXCHANGE, { id }))
    .groupExchange;
  expect(group).toEqual({ ...payload.group, exchanges: payload.exchanges });
  return payload;
}

const ids = (places: { id: string }[]): string[] => places.map((place) => place.id);

/** A receiver's money while their place is held, and before (or after release). */
const HELD = money(600, 540, 60);
const UNTOUCHED = money(600);
/** The provider, expecting `held` places' holds and paid for `paid` places, each the estimate. */
const providerMoney = (paid: number, held: number): Money =>
  money(paid * ESTIMATE, paid * ESTIMATE, 0, held * ESTIMATE);

/** Locks a place's row, so that requests queue behind the test in the order it chooses. */
function lockExchange(t: TestApp, exchangeId: string): Promise<HeldLocks> {
  return holdLocks(t, [['SELECT 1 FROM exchanges WHERE id = $1 FOR UPDATE', [rowId(exchangeId)]]]);
}

/**
 * Group exchanges through GraphQL over real HTTP: a provider offers a place to each of several
 * receivers, each receiver accepts (with their own hold) or cancels their own place, and the
 * provider settles every accepted, still-held place at once as one linked batch: all are paid,
 * up to their holds, or none is. Every test checks each party's money to the unit, and the audit
 * and outbox trail of each place.
 */
describe('group exchanges over GraphQL', () => {
  const t = useTestApp();

  interface Scene {
    fixture: LedgerFixture;
    communityId: string;
    provider: Party;
    receivers: Party[];
    /** Active members of the community outside the group, with nothing on their accounts. */
    others: Party[];
  }

  /** A fresh community: the provider (0), `receiverCount` receivers (600 each), and `otherCount` other members (0). */
  async function scene(receiverCount = 3, otherCount = 0): Promise<Scene> {
    const specs = [
      {},
      ...Array.from({ length: receiverCount }, () => ({ balance: RECEIVER_FUNDS })),
      ...Array.from({ length: otherCount }, () => ({})),
    ];
    const { fixture, parties } = await exchangeCommunity(t, specs);
    const [provider, ...rest] = parties;
    return {
      fixture,
      communityId: globalId('Community', fixture.community.id),
      provider,
      receivers: rest.slice(0, receiverCount),
      others: rest.slice(receiverCount),
    };
  }

  /** A direct group with a place for every receiver of the scene; the first `acceptedCount` receivers accept theirs. */
  async function groupWithAccepted(
    { communityId, provider, receivers }: Scene,
    acceptedCount: number,
  ): Promise<ProposedGroup> {
    const proposed = await proposeGroup(provider, {
      communityId,
      receiverIds: receivers.map((receiver) => receiver.memberId),
    });
    const places: PlaceView[] = [];
    for (const [index, place] of proposed.places.entries()) {
      places.push(
        index < acceptedCount ? { ...(await accept(receivers[index], place.id)), groupId: place.groupId } : place,
      );
    }
    return { group: proposed.group, places };
  }

  /** The places as their provider now reads them, in order. */
  async function statusesOf(provider: Party, places: { id: string }[]): Promise<string[]> {
    return Promise.all(places.map(async (place) => (await fetchExchange(provider.client, place.id)).status));
  }

  /** Each place went through exactly these states: one audit row and one outbox event for each, pairwise in one transaction. */
  async function expectTrails(places: PlaceView[], statuses: string[][]): Promise<void> {
    for (const [index, place] of places.entries()) await expectTrail(t, place, statuses[index]);
  }

  /** Exchanges and groups of one community, straight from the database. */
  async function groupRows(
    communityId: string,
  ): Promise<{ groups: number; exchanges: number; auditRows: number; events: number }> {
    const [row] = await t.dataSource.query(
      `SELECT (SELECT count(*)::int FROM exchange_groups WHERE community_id = $1) AS groups,
              (SELECT count(*)::int FROM exchanges WHERE community_id = $1) AS exchanges,
              (SELECT count(*)::int FROM audit_log WHERE community_id = $1 AND target_type = 'exchange') AS "auditRows",
              (SELECT count(*)::int FROM outbox_events WHERE community_id = $1 AND aggregate_type = 'exchange') AS events`,
      [rowId(communityId)],
    );
    return row;
  }

  /**
   * Each receiver's money and the provider's agree with the places' states: a confirmed place paid
   * the estimate, an accepted one holds it, any other moved nothing.
   */
  async function expectMoneyAgreesWithStates(
    provider: Party,
    receivers: Party[],
    places: { id: string }[],
  ): Promise<void> {
    const statuses = await statusesOf(provider, places);
    const paid = statuses.filter((status) => status === 'CONFIRMED').length;
    const held = statuses.filter((status) => status === 'ACCEPTED').length;
    const expected = statuses.map((status) =>
      status === 'CONFIRMED' ? money(540) : status === 'ACCEPTED' ? HELD : UNTOUCHED,
    );
    expect(await moneyOf(provider, ...receivers)).toEqual([providerMoney(paid, held), ...expected]);
  }

  describe('proposing', () => {
    it("from the provider's own active service offer: a PROPOSED place per receiver, in order, and nothing held yet", async () => {
      const { communityId, provider, receivers } = await scene(2);
      const listing = await offerService(provider, communityId);

      const { group, places } = await proposeGroup(provider, {
        listingId: listing.id,
        receiverIds: receivers.map((receiver) => receiver.memberId),
      });

      expect(group).toEqual({
        id: expect.any(String),
        communityId,
        listingId: listing.id,
        providerId: provider.memberId,
        description: 'Kimchi class',
        estimatedAmount: '60',
        createdAt: expect.any(String),
      });
      expect(places).toEqual(
        receivers.map((receiver) => ({
          id: expect.any(String),
          communityId,
          listingId: listing.id,
          groupId: group.id,
          proposerId: provider.memberId,
          providerId: provider.memberId,
          receiverId: receiver.memberId,
          description: 'Kimchi class',
          status: 'PROPOSED',
          estimatedAmount: '60',
          actualAmount: null,
          quantity: null,
          holdTransferId: null,
          dueAt: null,
          reason: null,
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
        })),
      );
      expect(await moneyOf(provider, ...receivers)).toEqual([money(0), UNTOUCHED, UNTOUCHED]);
      await expectTrails(places, [['proposed'], ['proposed']]);
      const [proposedRow] = await auditRows(t, { communityId, action: 'exchange.proposed', targetId: places[1].id });
      expect(proposedRow).toMatchObject({
        actorMemberId: rowId(provider.memberId),
        actorRole: 'member',
        details: { groupId: rowId(group.id), receiverId: rowId(receivers[1].memberId) },
      });
    });

    it('directly, naming the community: the places have no listing', async () => {
      const { communityId, provider, receivers } = await scene(2);

      const { group, places } = await proposeGroup(provider, {
        communityId,
        receiverIds: receivers.map((receiver) => receiver.memberId),
      });

      expect(group).toMatchObject({ communityId, listingId: null, providerId: provider.memberId });
      expect(places.map((place) => [place.listingId, place.groupId, place.receiverId, place.status])).toEqual(
        receivers.map((receiver) => [null, group.id, receiver.memberId, 'PROPOSED']),
      );
      await expectTrails(places, [['proposed'], ['proposed']]);
    });

    it('refuses a listing that is not your own active service offer, a receiver who is not an active member, the provider, no community, a non-positive estimate; writes nothing', async () => {
      const {
        fixture,
        communityId,
        provider,
        receivers,
        others: [suspended],
      } = await scene(2, 1);
      const elsewhere = await createLedgerFixture(t, [{}]);
      const applicant = await pendingMember(t, fixture);
      await succeed(fixture.asCoordinator(), 'suspendMembership', {
        membershipId: fixture.holders.find((holder) => holder.memberId === rowId(suspended.memberId))!.membershipId,
        reason: 'Test suspension',
      });
      const someoneElsesOffer = await offerService(receivers[0], communityId);
      const ownRequest = await offerService(provider, communityId, { kind: 'REQUEST' });
      const ownGoods = await offerGoods(provider, communityId, 5);
      const ownPaused = await offerService(provider, communityId);
      await changeListing(provider.client, ownPaused.id, { status: 'PAUSED' });
      const groupsBefore = await groupRows(communityId);

      const receiverIds = receivers.map((receiver) => receiver.memberId);
      const direct = { communityId, receiverIds, estimatedAmount: '60' };
      const refusals: [Record<string, unknown>, string][] = [
        [{ communityId: undefined, listingId: someoneElsesOffer.id }, 'LISTING_NOT_AVAILABLE'],
        [{ communityId: undefined, listingId: ownRequest.id }, 'LISTING_NOT_AVAILABLE'],
        [{ communityId: undefined, listingId: ownGoods.id }, 'LISTING_NOT_AVAILABLE'],
        [{ communityId: undefined, listingId: ownPaused.id }, 'LISTING_NOT_AVAILABLE'],
        [{ receiverIds: [receiverIds[0], elsewhere.holders[0].memberId] }, 'RECEIVER_NOT_MEMBER'],
        [{ receiverIds: [receiverIds[0], applicant.memberId] }, 'RECEIVER_NOT_MEMBER'],
        [{ receiverIds: [receiverIds[0], suspended.memberId] }, 'RECEIVER_NOT_MEMBER'],
        [{ receiverIds: [receiverIds[0], NONEXISTENT_ID] }, 'RECEIVER_NOT_MEMBER'],
        [{ receiverIds: [...receiverIds, provider.memberId] }, 'RECEIVER_NOT_MEMBER'],
        [{ communityId: undefined }, 'DIRECT_EXCHANGE_INCOMPLETE'],
        [{ estimatedAmount: '0' }, 'ESTIMATE_MUST_BE_POSITIVE'],
        [{ estimatedAmount: '-60' }, 'ESTIMATE_MUST_BE_POSITIVE'],
      ];
      for (const [change, code] of refusals)
        await expectProposalRefused(provider.client, { ...direct, ...change }, code);

      // Not input the API can take at all: fewer than 2 receivers, or one named twice.
      for (const badReceivers of [
        [],
        [receiverIds[0]],
        [receiverIds[0], receiverIds[0]],
        [receiverIds[0], receiverIds[1], receiverIds[0]],
      ]) {
        expectInvalidInput(await proposeGroupRaw(provider.client, { ...direct, receiverIds: badReceivers }), [
          ['input', 'receiverIds'],
        ]);
      }
      // Not an active member of the community: denied, as if it did not exist; anonymous: not even asked.
      expectForbidden(await proposeGroupRaw(t.as(elsewhere.holders[0].token), direct));
      expectForbidden(await proposeGroupRaw(suspended.client, direct));
      expectQueryRefused(await proposeGroupRaw(t, direct), UNAUTHENTICATED);

      expect(await groupRows(communityId)).toEqual(groupsBefore);
      expect(groupsBefore).toEqual({ groups: 0, exchanges: 0, auditRows: 0, events: 0 });
      expect(await moneyOf(provider, ...receivers)).toEqual([money(0), UNTOUCHED, UNTOUCHED]);
    });
  });

  describe('each receiver and their own place', () => {
    it('accepting holds the estimate on that receiver only; cancelling releases it; places wait for the group to settle', async () => {
      const { communityId, provider, receivers } = await scene(3);
      const { places } = await proposeGroup(provider, {
        communityId,
        receiverIds: receivers.map((receiver) => receiver.memberId),
      });
      const [first, second, third] = places;

      const accepted = await accept(receivers[0], first.id);
      expect(accepted).toMatchObject({
        status: 'ACCEPTED',
        holdTransferId: expect.any(String),
        dueAt: expect.any(String),
      });
      expect(await holdOf(receivers[0].client, accepted.holdTransferId!)).toEqual({
        amount: '60',
        code: 'exchange_hold',
        kind: 'PENDING',
        debitAccountId: receivers[0].accountId,
        creditAccountId: provider.accountId,
        pendingStatus: 'OPEN',
        resolution: null,
      });
      expect(await moneyOf(provider, ...receivers)).toEqual([providerMoney(0, 1), HELD, UNTOUCHED, UNTOUCHED]);

      const secondAccepted = await accept(receivers[1], second.id);
      expect(await moneyOf(provider, ...receivers)).toEqual([providerMoney(0, 2), HELD, HELD, UNTOUCHED]);

      // Each place is its receiver's: the provider proposed it, so cannot accept it; another receiver may not touch it.
      await expectStepRefused(provider.client, 'acceptExchange', { exchangeId: third.id }, 'WRONG_PARTY');
      expectForbidden(await readExchange(receivers[0].client, third.id));
      for (const step of ['acceptExchange', 'cancelExchange'] as const)
        expectForbidden(await tryStep(receivers[0].client, step, { exchangeId: third.id }));
      // A place settles only with its group.
      await expectStepRefused(
        provider.client,
        'markExchangeDelivered',
        { exchangeId: first.id, actualAmount: '60' },
        'GROUP_SETTLES_TOGETHER',
      );
      await expectStepRefused(
        receivers[0].client,
        'confirmExchange',
        { exchangeId: first.id },
        'GROUP_SETTLES_TOGETHER',
      );
      await expectStepRefused(
        receivers[0].client,
        'confirmExchange',
        { exchangeId: first.id, approveAmountAboveHold: true },
        'GROUP_SETTLES_TOGETHER',
      );

      const thirdCancelled = await stepOk(receivers[2].client, 'cancelExchange', {
        exchangeId: third.id,
        reason: 'Cannot come',
      });
      expect(thirdCancelled).toMatchObject({ status: 'CANCELLED', reason: 'Cannot come', holdTransferId: null });
      const secondCancelled = await stepOk(receivers[1].client, 'cancelExchange', { exchangeId: second.id });
      expect(secondCancelled).toMatchObject({ status: 'CANCELLED', holdTransferId: secondAccepted.holdTransferId });
      expect(await holdOf(receivers[1].client, secondAccepted.holdTransferId!)).toMatchObject({
        pendingStatus: 'VOIDED',
      });
      await expectStepRefused(receivers[1].client, 'acceptExchange', { exchangeId: second.id }, 'WRONG_STATUS');

      expect(await statusesOf(provider, places)).toEqual(['ACCEPTED', 'CANCELLED', 'CANCELLED']);
      expect(await moneyOf(provider, ...receivers)).toEqual([providerMoney(0, 1), HELD, UNTOUCHED, UNTOUCHED]);
      await expectTrails(places, [
        ['proposed', 'accepted'],
        ['proposed', 'accepted', 'cancelled'],
        ['proposed', 'cancelled'],
      ]);
      const actors = await auditRows(t, { communityId, targetType: 'exchange' });
      expect(
        actors
          .filter((row) => row.action !== 'exchange.proposed')
          .map((row) => [globalId('Exchange', row.targetId), row.action, globalId('Member', row.actorMemberId!)]),
      ).toEqual([
        [first.id, 'exchange.accepted', receivers[0].memberId],
        [second.id, 'exchange.accepted', receivers[1].memberId],
        [third.id, 'exchange.cancelled', receivers[2].memberId],
        [second.id, 'exchange.cancelled', receivers[1].memberId],
      ]);
    });

    it('a receiver suspended after the proposal cannot accept (a suspended member can no longer pay), but may still cancel', async () => {
      const current = await scene(2);
      const { fixture, provider, receivers } = current;
      const { places } = await groupWithAccepted(current, 0);
      const suspended = receivers[0];
      await succeed(fixture.asCoordinator(), 'suspendMembership', {
        membershipId: fixture.holders.find((holder) => holder.memberId === rowId(suspended.memberId))!.membershipId,
        reason: 'Test suspension',
      });

      // Denied as a payment from their account would be (createTransfer answers FORBIDDEN to a suspended member).
      expectForbidden(await tryStep(suspended.client, 'acceptExchange', { exchangeId: places[0].id }));
      expect(await statusesOf(provider, places)).toEqual(['PROPOSED', 'PROPOSED']);
      expect(await moneyOf(provider, ...receivers)).toEqual([money(0), UNTOUCHED, UNTOUCHED]);

      expect(await stepOk(suspended.client, 'cancelExchange', { exchangeId: places[0].id })).toMatchObject({
        status: 'CANCELLED',
      });
      await expectTrails(places, [['proposed', 'cancelled'], ['proposed']]);
    });

    it('the provider may cancel a place before settlement too: its hold is released', async () => {
      const current = await scene(2);
      const { places } = await groupWithAccepted(current, 2);

      expect(
        await stepOk(current.provider.client, 'cancelExchange', { exchangeId: places[0].id, reason: 'Class full' }),
      ).toMatchObject({ status: 'CANCELLED' });

      expect(await moneyOf(current.provider, ...current.receivers)).toEqual([providerMoney(0, 1), UNTOUCHED, HELD]);
      await expectTrails(places, [
        ['proposed', 'accepted', 'cancelled'],
        ['proposed', 'accepted'],
      ]);
    });
  });

  describe('settling', () => {
    it('settles every accepted place at once, at the actual amount, in one transaction; places not accepted stay PROPOSED', async () => {
      const current = await scene(3);
      const { provider, receivers, communityId } = current;
      const { group, places } = await groupWithAccepted(current, 2);

      const settled = await settle(provider, group.id, ESTIMATE);

      expect(settled).toEqual(
        places.slice(0, 2).map((place) => ({
          ...place,
          status: 'CONFIRMED',
          actualAmount: '60',
          dueAt: null,
          updatedAt: expect.any(String),
        })),
      );
      expect(await statusesOf(provider, places)).toEqual(['CONFIRMED', 'CONFIRMED', 'PROPOSED']);
      expect(await moneyOf(provider, ...receivers)).toEqual([providerMoney(2, 0), money(540), money(540), UNTOUCHED]);
      for (const [index, place] of places.slice(0, 2).entries()) {
        expect(await holdOf(receivers[index].client, place.holdTransferId!)).toMatchObject({
          pendingStatus: 'POSTED',
          resolution: { kind: 'POST_PENDING', amount: '60' },
        });
      }
      await expectTrails(places, [
        ['proposed', 'accepted', 'confirmed'],
        ['proposed', 'accepted', 'confirmed'],
        ['proposed'],
      ]);

      // One linked batch: both confirmations were written by one transaction, each by the provider, naming the group.
      const confirmations = await Promise.all(
        places.slice(0, 2).map(async (place) => (await exchangeTrail(t, place)).audit.at(-1)!.tx),
      );
      expect(new Set(confirmations).size).toBe(1);
      const rows = await auditRows(t, { communityId, action: 'exchange.confirmed' });
      expect(
        rows.map((row) => [
          globalId('Exchange', row.targetId),
          globalId('Member', row.actorMemberId!),
          row.actorRole,
          globalId('ExchangeGroup', row.details.groupId as string),
          row.details.actualAmount,
        ]),
      ).toEqual([
        [places[0].id, provider.memberId, 'member', group.id, '60'],
        [places[1].id, provider.memberId, 'member', group.id, '60'],
      ]);

      // Settled once: nothing is left to settle, and nothing moves again.
      await expectSettlementRefused(provider.client, group.id, ESTIMATE, 'NOTHING_TO_SETTLE');
      expect(await moneyOf(provider, ...receivers)).toEqual([providerMoney(2, 0), money(540), money(540), UNTOUCHED]);
    });

    it('below the hold, each place pays the actual amount and the rest is released', async () => {
      const current = await scene(2);
      const { group, places } = await groupWithAccepted(current, 2);

      const settled = await settle(current.provider, group.id, 45);

      expect(settled.map((place) => [place.status, place.actualAmount])).toEqual([
        ['CONFIRMED', '45'],
        ['CONFIRMED', '45'],
      ]);
      expect(await moneyOf(current.provider, ...current.receivers)).toEqual([money(90), money(555), money(555)]);
      for (const [index, place] of places.entries()) {
        expect(await holdOf(current.receivers[index].client, place.holdTransferId!)).toMatchObject({
          pendingStatus: 'POSTED',
          resolution: { kind: 'POST_PENDING', amount: '45' },
        });
      }
      await expectTrails(places, [
        ['proposed', 'accepted', 'confirmed'],
        ['proposed', 'accepted', 'confirmed'],
      ]);
    });

    it('above the hold, each place pays its hold only: the receivers agreed to no more', async () => {
      const current = await scene(2);
      const { group, places } = await groupWithAccepted(current, 2);

      const settled = await settle(current.provider, group.id, 90);

      expect(settled.map((place) => [place.status, place.actualAmount])).toEqual([
        ['CONFIRMED', '90'],
        ['CONFIRMED', '90'],
      ]);
      expect(await moneyOf(current.provider, ...current.receivers)).toEqual([money(120), money(540), money(540)]);
      for (const [index, place] of places.entries()) {
        expect(await holdOf(current.receivers[index].client, place.holdTransferId!)).toMatchObject({
          resolution: { kind: 'POST_PENDING', amount: '60' },
        });
      }
      // No second transfer for the difference, as a single exchange's approved extra would be.
      expect(await amountsWithCode(current.provider, 'exchange_extra')).toEqual([]);
      await expectTrails(places, [
        ['proposed', 'accepted', 'confirmed'],
        ['proposed', 'accepted', 'confirmed'],
      ]);
    });

    it('at zero, every hold is released and nothing moves; a negative amount is refused and changes nothing', async () => {
      const current = await scene(2);
      const { group, places } = await groupWithAccepted(current, 2);

      await expectSettlementRefused(current.provider.client, group.id, -1, 'ACTUAL_MUST_NOT_BE_NEGATIVE');
      expect(await moneyOf(current.provider, ...current.receivers)).toEqual([providerMoney(0, 2), HELD, HELD]);

      expect((await settle(current.provider, group.id, 0)).map((place) => [place.status, place.actualAmount])).toEqual([
        ['CONFIRMED', '0'],
        ['CONFIRMED', '0'],
      ]);
      expect(await moneyOf(current.provider, ...current.receivers)).toEqual([money(0), UNTOUCHED, UNTOUCHED]);
      expect(await holdOf(current.receivers[0].client, places[0].holdTransferId!)).toMatchObject({
        pendingStatus: 'VOIDED',
      });
      await expectTrails(places, [
        ['proposed', 'accepted', 'confirmed'],
        ['proposed', 'accepted', 'confirmed'],
      ]);
    });

    it("all or none: with one receiver's account frozen the ledger refuses, no place settles and every hold stays; unfrozen, all settle", async () => {
      const current = await scene(3);
      const { fixture, provider, receivers } = current;
      const { group, places } = await groupWithAccepted(current, 3);
      // The middle place: the first place's hold would already have posted when the ledger refuses this one.
      const frozen = receivers[1];
      await succeed(fixture.asCoordinator(), 'freezeAccount', { accountId: frozen.accountId, reason: 'Under review' });
      try {
        await expectSettlementRefused(provider.client, group.id, 45, 'SETTLEMENT_REFUSED');
      } finally {
        await succeed(fixture.asCoordinator(), 'unfreezeAccount', { accountId: frozen.accountId, reason: 'Cleared' });
      }

      expect(await statusesOf(provider, places)).toEqual(['ACCEPTED', 'ACCEPTED', 'ACCEPTED']);
      expect(await moneyOf(provider, ...receivers)).toEqual([providerMoney(0, 3), HELD, HELD, HELD]);
      for (const [index, place] of places.entries()) {
        expect(await holdOf(receivers[index].client, place.holdTransferId!)).toMatchObject({
          pendingStatus: 'OPEN',
          resolution: null,
        });
      }
      await expectTrails(
        places,
        places.map(() => ['proposed', 'accepted']),
      );

      // The refusal left nothing behind that would stop the same settlement later.
      expect((await settle(provider, group.id, 45)).map((place) => place.status)).toEqual([
        'CONFIRMED',
        'CONFIRMED',
        'CONFIRMED',
      ]);
      expect(await moneyOf(provider, ...receivers)).toEqual([money(135), money(555), money(555), money(555)]);
      await expectTrails(
        places,
        places.map(() => ['proposed', 'accepted', 'confirmed']),
      );
    });

    it('a place whose hold lapsed before the settlement is left out, and lapses; the others settle', async () => {
      const current = await scene(2);
      const { provider, receivers } = current;
      const { group, places } = await groupWithAccepted(current, 2);
      const [lapsed, held] = places;

      // No sweeper runs until the test calls one: the settlement is the first to see a place past its hold timeout.
      await makeDue(t, lapsed.id);
      const settled = await settle(provider, group.id, ESTIMATE);

      expect(ids(settled)).toEqual([held.id]);
      await sweepExchanges(t);
      expect(await statusesOf(provider, places)).toEqual(['EXPIRED', 'CONFIRMED']);
      expect(await moneyOf(provider, ...receivers)).toEqual([providerMoney(1, 0), UNTOUCHED, money(540)]);
      await expectTrails(places, [
        ['proposed', 'accepted', 'expired'],
        ['proposed', 'accepted', 'confirmed'],
      ]);
    });

    it('NOTHING_TO_SETTLE when no place is accepted: all still proposed, or all cancelled', async () => {
      const current = await scene(2);
      const { provider, receivers } = current;
      const { group, places } = await groupWithAccepted(current, 1);

      const proposedOnly = await groupWithAccepted(current, 0);
      await expectSettlementRefused(provider.client, proposedOnly.group.id, ESTIMATE, 'NOTHING_TO_SETTLE');

      await stepOk(receivers[0].client, 'cancelExchange', { exchangeId: places[0].id });
      await expectSettlementRefused(provider.client, group.id, ESTIMATE, 'NOTHING_TO_SETTLE');

      expect(await statusesOf(provider, [...places, ...proposedOnly.places])).toEqual([
        'CANCELLED',
        'PROPOSED',
        'PROPOSED',
        'PROPOSED',
      ]);
      expect(await moneyOf(provider, ...receivers)).toEqual([money(0), UNTOUCHED, UNTOUCHED]);
      await expectTrails(
        [...places, ...proposedOnly.places],
        [['proposed', 'accepted', 'cancelled'], ['proposed'], ['proposed'], ['proposed']],
      );
    });

    it('only the provider settles: a receiver or the coordinator gets WRONG_PARTY, anyone else is denied; nothing changes', async () => {
      const current = await scene(2, 1);
      const {
        fixture,
        provider,
        receivers,
        others: [coMember],
      } = current;
      const { group, places } = await groupWithAccepted(current, 2);
      const elsewhere = await createLedgerFixture(t, [{}]);

      for (const client of [receivers[0].client, fixture.asCoordinator()])
        await expectSettlementRefused(client, group.id, ESTIMATE, 'WRONG_PARTY');
      for (const client of [coMember.client, elsewhere.as(elsewhere.members[0]), elsewhere.asCoordinator()])
        expectForbidden(await settleRaw(client, group.id, ESTIMATE));
      expectForbidden(await settleRaw(provider.client, NONEXISTENT_ID, ESTIMATE));
      expectQueryRefused(await settleRaw(t, group.id, ESTIMATE), UNAUTHENTICATED);

      expect(await statusesOf(provider, places)).toEqual(['ACCEPTED', 'ACCEPTED']);
      expect(await moneyOf(provider, ...receivers)).toEqual([providerMoney(0, 2), HELD, HELD]);
      await expectTrails(places, [
        ['proposed', 'accepted'],
        ['proposed', 'accepted'],
      ]);
    });
  });

  describe('exchangeGroup', () => {
    it("the provider and the community's auditors see every place, a receiver only their own; anyone else is denied as if it did not exist", async () => {
      const current = await scene(3, 1);
      const {
        fixture,
        communityId,
        provider,
        receivers,
        others: [coMember],
      } = current;
      const { group, places } = await groupWithAccepted(current, 1);
      await stepOk(receivers[1].client, 'cancelExchange', { exchangeId: places[1].id });
      const placesNow = await Promise.all(places.map((place) => fetchExchange(provider.client, place.id)));
      const auditor = asPartner(
        t,
        (await registerPartnerApp(fixture.asCoordinator(), communityId, ['AUDIT_READ'], 'Group auditor')).apiKey,
      );
      const elsewhere = await createLedgerFixture(t, [{}]);

      for (const client of [provider.client, fixture.asCoordinator(), auditor]) {
        const seen = await fetchGroup(client, group.id);
        expect({
          group: seen.group,
          exchanges: ids(seen.exchanges),
          statuses: seen.exchanges.map((place) => place.status),
          userErrors: seen.userErrors,
        }).toEqual({ group, exchanges: ids(places), statuses: ['ACCEPTED', 'CANCELLED', 'PROPOSED'], userErrors: [] });
      }
      // Each receiver, whether their place is accepted, cancelled or still proposed, sees the group and their place only.
      for (const [index, receiver] of receivers.entries()) {
        expect(await fetchGroup(receiver.client, group.id)).toEqual({
          group,
          exchanges: [{ ...placesNow[index], groupId: group.id }],
          userErrors: [],
        });
      }
      for (const client of [coMember.client, elsewhere.as(elsewhere.members[0]), elsewhere.asCoordinator()]) {
        expectForbidden(await readGroup(client, group.id));
        expectForbidden(await client.graphql(GROUP_EXCHANGE, { id: group.id }));
      }
      expectForbidden(await readGroup(provider.client, NONEXISTENT_ID));
      expectForbidden(await readGroup(provider.client, 'not-an-id'));
      expectQueryRefused(await readGroup(t, group.id), UNAUTHENTICATED);
      // Nor does a receiver read another receiver's place directly.
      expectForbidden(await readExchange(receivers[0].client, places[1].id));
    });
  });

  describe('audit and outbox', () => {
    it('one audit row and one outbox event per place per state change, each pair in one transaction, and no other', async () => {
      const current = await scene(3);
      const { communityId, provider, receivers } = current;
      const { group, places } = await groupWithAccepted(current, 2);
      await stepOk(receivers[2].client, 'cancelExchange', { exchangeId: places[2].id });
      await settle(provider, group.id, 50);

      const rows = await auditRows(t, { communityId, targetType: 'exchange' });
      expect(
        rows.map((row) => [globalId('Exchange', row.targetId), row.action, globalId('Member', row.actorMemberId!)]),
      ).toEqual([
        ...places.map((place) => [place.id, 'exchange.proposed', provider.memberId]),
        [places[0].id, 'exchange.accepted', receivers[0].memberId],
        [places[1].id, 'exchange.accepted', receivers[1].memberId],
        [places[2].id, 'exchange.cancelled', receivers[2].memberId],
        [places[0].id, 'exchange.confirmed', provider.memberId],
        [places[1].id, 'exchange.confirmed', provider.memberId],
      ]);
      await expectTrails(places, [
        ['proposed', 'accepted', 'confirmed'],
        ['proposed', 'accepted', 'confirmed'],
        ['proposed', 'cancelled'],
      ]);

      const events: { aggregateId: string; topic: string; payload: Record<string, unknown> }[] =
        await t.dataSource.query(
          `SELECT aggregate_id AS "aggregateId", topic, payload FROM outbox_events WHERE community_id = $1 AND aggregate_type = 'exchange' AND topic = 'exchange.confirmed' ORDER BY id`,
          [rowId(communityId)],
        );
      expect(events).toEqual(
        places.slice(0, 2).map((place, index) => ({
          aggregateId: rowId(place.id),
          topic: 'exchange.confirmed',
          // Outbox payloads carry database ids.
          payload: {
            exchangeId: rowId(place.id),
            status: 'confirmed',
            providerId: rowId(provider.memberId),
            receiverId: rowId(receivers[index].memberId),
            estimatedAmount: '60',
            actualAmount: '50',
            groupId: rowId(group.id),
          },
        })),
      );
    });
  });

  describe('races', () => {
    it('settling twice at once pays once: one settles every place, the other finds NOTHING_TO_SETTLE', async () => {
      const current = await scene(2);
      const { provider, receivers } = current;
      const { group, places } = await groupWithAccepted(current, 2);

      // Both settlements are sent while the test holds the first place, so both are under way when it lets go.
      const lock = await lockExchange(t, places[0].id);
      let settling: Promise<string>[] = [];
      try {
        settling = [
          settleOutcome(provider.client, group.id, ESTIMATE),
          settleOutcome(provider.client, group.id, ESTIMATE),
        ];
        await lock.waitForWaiters(2);
      } finally {
        await lock.release();
      }

      expect((await Promise.all(settling)).sort()).toEqual(['NOTHING_TO_SETTLE', `OK ${ids(places).join(',')}`]);
      expect(await moneyOf(provider, ...receivers)).toEqual([providerMoney(2, 0), money(540), money(540)]);
      await expectTrails(places, [
        ['proposed', 'accepted', 'confirmed'],
        ['proposed', 'accepted', 'confirmed'],
      ]);
    });

    it.each([
      ['the cancellation first: that place is cancelled and its hold released, the others settle', 'cancel'],
      ['the settlement first: every place settles, and the cancellation finds WRONG_STATUS', 'settle'],
    ] as const)(
      'a receiver cancels while the provider settles, %s; each place ends in one state and the money agrees',
      async (_, first) => {
        const current = await scene(2);
        const { provider, receivers } = current;
        const { group, places } = await groupWithAccepted(current, 2);
        const contested = places[1];

        // The test holds the contested place; whichever request reaches it first takes it first when the test lets go.
        const lock = await lockExchange(t, contested.id);
        const cancelling = (): Promise<string> =>
          stepOutcome(receivers[1].client, 'cancelExchange', { exchangeId: contested.id });
        const settling = (): Promise<string> => settleOutcome(provider.client, group.id, ESTIMATE);
        let outcomes!: Promise<[string, string]>;
        try {
          const [cancelled, settled] = first === 'cancel' ? [cancelling(), undefined] : [undefined, settling()];
          await lock.waitForWaiters(1);
          const cancelledOutcome = cancelled ?? cancelling();
          const settledOutcome = settled ?? settling();
          await lock.waitForWaiters(2);
          outcomes = Promise.all([cancelledOutcome, settledOutcome]);
        } finally {
          await lock.release();
        }

        if (first === 'cancel') {
          expect(await outcomes).toEqual(['OK', `OK ${places[0].id}`]);
          expect(await statusesOf(provider, places)).toEqual(['CONFIRMED', 'CANCELLED']);
          expect(await holdOf(receivers[1].client, contested.holdTransferId!)).toMatchObject({
            pendingStatus: 'VOIDED',
          });
          await expectTrails(places, [
            ['proposed', 'accepted', 'confirmed'],
            ['proposed', 'accepted', 'cancelled'],
          ]);
        } else {
          expect(await outcomes).toEqual(['WRONG_STATUS', `OK ${ids(places).join(',')}`]);
          expect(await statusesOf(provider, places)).toEqual(['CONFIRMED', 'CONFIRMED']);
          expect(await holdOf(receivers[1].client, contested.holdTransferId!)).toMatchObject({
            pendingStatus: 'POSTED',
          });
          await expectTrails(places, [
            ['proposed', 'accepted', 'confirmed'],
            ['proposed', 'accepted', 'confirmed'],
          ]);
        }
        await expectMoneyAgreesWithStates(provider, receivers, places);
      },
    );
  });
});
