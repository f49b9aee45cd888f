import { createLedgerFixture, LedgerFixture, MemberSpec } from '../support/ledger-fixture.js';
import { GraphqlClient, GraphqlResponse, TestApp } from '../support/test-app.js';
import { ExchangeSweeper } from '../../src/exchanges/exchange.sweeper.js';
import { fetchAccount, gql, newKey, PAGE_INFO, PageView, payloadMutation, UserErrorView } from './graphql-client.js';
import { fetchListing, ListingView, postListing } from './listing-client.js';
import { succeed } from './member-client.js';
import { globalId, rowId } from '../support/global-ids.js';

/**
 * What the e2e tests of the exchange workflow send and read: the documents, the parties of a
 * fixture, the money on their accounts, the audit and outbox trail of an exchange, and ways to
 * make an exchange due for the sweeper.
 */

export const EXCHANGE_FIELDS =
  'id communityId listingId proposerId providerId receiverId description status estimatedAmount actualAmount quantity holdTransferId dueAt reason createdAt updatedAt';
export const REVIEW_FIELDS = 'id exchangeId authorId subjectId rating comment createdAt';

export type ExchangeStatus =
  'PROPOSED' | 'ACCEPTED' | 'DELIVERED' | 'CONFIRMED' | 'CANCELLED' | 'DISPUTED' | 'RESOLVED' | 'EXPIRED';

export interface ExchangeView {
  id: string;
  communityId: string;
  listingId: string | null;
  proposerId: string;
  providerId: string;
  receiverId: string;
  description: string;
  status: ExchangeStatus;
  estimatedAmount: string;
  actualAmount: string | null;
  quantity: number | null;
  holdTransferId: string | null;
  dueAt: string | null;
  reason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ExchangePayloadView {
  exchange: ExchangeView | null;
  userErrors: UserErrorView[];
}

export interface ReviewView {
  id: string;
  exchangeId: string;
  authorId: string;
  subjectId: string;
  rating: number;
  comment: string;
  createdAt: string;
}

export interface ReviewPayloadView {
  review: ReviewView | null;
  userErrors: UserErrorView[];
}

const EXCHANGE_PAYLOAD = `exchange { ${EXCHANGE_FIELDS} }`;

/** Every step of the workflow, by mutation name; each takes one `input` and returns an ExchangePayload. */
export const EXCHANGE_STEPS = {
  proposeExchange: payloadMutation('proposeExchange', 'ProposeExchangeInput', EXCHANGE_PAYLOAD),
  acceptExchange: payloadMutation('acceptExchange', 'ExchangeActionInput', EXCHANGE_PAYLOAD),
  markExchangeDelivered: payloadMutation('markExchangeDelivered', 'MarkDeliveredInput', EXCHANGE_PAYLOAD),
  confirmExchange: payloadMutation('confirmExchange', 'ConfirmExchangeInput', EXCHANGE_PAYLOAD),
  cancelExchange: payloadMutation('cancelExchange', 'ExchangeActionInput', EXCHANGE_PAYLOAD),
  disputeExchange: payloadMutation('disputeExchange', 'ExchangeActionInput', EXCHANGE_PAYLOAD),
  resolveExchangeDispute: payloadMutation('resolveExchangeDispute', 'ResolveDisputeInput', EXCHANGE_PAYLOAD),
} as const;

export type ExchangeStep = keyof typeof EXCHANGE_STEPS;

export const REVIEW_EXCHANGE = payloadMutation('reviewExchange', 'ReviewExchangeInput', `review { ${REVIEW_FIELDS} }`);
export const EXCHANGE = `query Exchange($id: ID!) { exchange(id: $id) { ${EXCHANGE_FIELDS} } }`;
export const EXCHANGES = `query Exchanges($communityId: ID, $status: ExchangeStatus, $first: Int) {
  exchanges(communityId: $communityId, status: $status, first: $first) { edges { cursor node { ${EXCHANGE_FIELDS} } } ${PAGE_INFO} }
}`;
export const MEMBER_REVIEWS = `query MemberReviews($id: ID!) {
  member(id: $id) { id reviewSummary { count averageRating } reviews { ${REVIEW_FIELDS} } }
}`;

/** Sends a step and returns the response as it is, for tests that expect a denial. */
export function tryStep(
  client: GraphqlClient,
  step: ExchangeStep,
  input: Record<string, unknown>,
): Promise<GraphqlResponse> {
  return client.graphql(EXCHANGE_STEPS[step], { input });
}

/** Sends a step that must be answered (HTTP 200, no errors); its payload, refusals included. */
export async function stepPayload(
  client: GraphqlClient,
  step: ExchangeStep,
  input: Record<string, unknown>,
): Promise<ExchangePayloadView> {
  return (await gql<Record<ExchangeStep, ExchangePayloadView>>(client, EXCHANGE_STEPS[step], { input }))[step];
}

/** A step that must go through: no userErrors. Returns the exchange as it now is. */
export async function stepOk(
  client: GraphqlClient,
  step: ExchangeStep,
  input: Record<string, unknown>,
): Promise<ExchangeView> {
  const payload = await stepPayload(client, step, input);
  expect(payload.userErrors).toEqual([]);
  return payload.exchange!;
}

/** A step refused as data: no exchange, and exactly this one code. */
export async function expectStepRefused(
  client: GraphqlClient,
  step: ExchangeStep,
  input: Record<string, unknown>,
  code: string,
): Promise<void> {
  const payload = await stepPayload(client, step, input);
  expect({ exchange: payload.exchange, codes: payload.userErrors.map((error) => error.code) }).toEqual({
    exchange: null,
    codes: [code],
  });
}

/** How a concurrent step ended: OK, the code of its one refusal, or the code of a top-level error. */
export async function stepOutcome(
  client: GraphqlClient,
  step: ExchangeStep,
  input: Record<string, unknown>,
): Promise<string> {
  const response = await tryStep(client, step, input);
  if (response.errors?.length) return `error:${response.errors[0].extensions?.code ?? 'UNKNOWN'}`;
  const payload = (response.data as Record<ExchangeStep, ExchangePayloadView>)[step];
  return payload.userErrors.length ? payload.userErrors.map((error) => error.code).join(',') : 'OK';
}

export async function fetchExchange(client: GraphqlClient, id: string): Promise<ExchangeView> {
  return (await gql<{ exchange: ExchangeView }>(client, EXCHANGE, { id })).exchange;
}

export function readExchange(client: GraphqlClient, id: string): Promise<GraphqlResponse> {
  return client.graphql(EXCHANGE, { id });
}

/** The ids on the first page of `exchanges`, newest first. */
export async function listedExchangeIds(
  client: GraphqlClient,
  args: { communityId?: string; status?: ExchangeStatus } = {},
): Promise<string[]> {
  const { exchanges } = await gql<{ exchanges: PageView<ExchangeView> }>(client, EXCHANGES, { first: 100, ...args });
  return exchanges.edges.map((edge) => edge.node.id);
}

export async function reviewExchange(
  client: GraphqlClient,
  input: Record<string, unknown>,
): Promise<ReviewPayloadView> {
  return (await gql<{ reviewExchange: ReviewPayloadView }>(client, REVIEW_EXCHANGE, { input })).reviewExchange;
}

export async function memberReviews(
  client: GraphqlClient,
  memberId: string,
): Promise<{ reviewSummary: { count: number; averageRating: number | null }; reviews: ReviewView[] }> {
  return (await gql<{ member: any }>(client, MEMBER_REVIEWS, { id: memberId })).member;
}

/** A fixture's member as the exchange tests see them: who they are, their account, and their logged-in client. */
export interface Party {
  memberId: string;
  accountId: string;
  client: GraphqlClient;
}

/** A fresh community whose members (one per spec, funded as asked) are ready to exchange. */
export async function exchangeCommunity(
  t: TestApp,
  specs: MemberSpec[],
): Promise<{ fixture: LedgerFixture; parties: Party[] }> {
  const fixture = await createLedgerFixture(t, specs);
  const parties = fixture.holders.map((holder) => ({
    memberId: globalId('Member', holder.memberId),
    accountId: globalId('Account', holder.account.id),
    client: t.as(holder.token),
  }));
  return { fixture, parties };
}

/** The coordinator grants new money to a party, as a community does when someone runs short. */
export async function grant(fixture: LedgerFixture, party: Party, amount: number): Promise<void> {
  await succeed(fixture.asCoordinator(), 'grantCredits', {
    accountId: party.accountId,
    amount: String(amount),
    idempotencyKey: newKey('grant'),
    source: 'ISSUANCE',
    reason: 'exchange test',
  });
}

/** What an account holds and has reserved, as its holder reads it. */
export interface Money {
  balance: string;
  availableBalance: string;
  pendingDebits: string;
  pendingCredits: string;
}

/** Expected money, in minor units: with a hold, the payer's `available` is below its balance, and the payee's `pendingCredits` show it. */
export function money(balance: number, available = balance, pendingDebits = 0, pendingCredits = 0): Money {
  return {
    balance: String(balance),
    availableBalance: String(available),
    pendingDebits: String(pendingDebits),
    pendingCredits: String(pendingCredits),
  };
}

/** Each party's money, read by that party over GraphQL, in the order given. */
export async function moneyOf(...parties: Party[]): Promise<Money[]> {
  return Promise.all(
    parties.map(async (party) => {
      const { balance, availableBalance, pendingDebits, pendingCredits } = await fetchAccount(
        party.client,
        party.accountId,
      );
      return { balance, availableBalance, pendingDebits, pendingCredits };
    }),
  );
}

export interface HoldView {
  amount: string;
  code: string;
  kind: string;
  debitAccountId: string;
  creditAccountId: string;
  pendingStatus: 'OPEN' | 'POSTED' | 'VOIDED' | 'EXPIRED';
  resolution: { kind: string; amount: string } | null;
}

/** An exchange's hold as a party reads it on the ledger: still open, or how it was resolved. */
export async function holdOf(client: GraphqlClient, holdTransferId: string): Promise<HoldView> {
  return (
    await gql<{ transfer: HoldView }>(
      client,
      'query Hold($id: ID!) { transfer(id: $id) { amount code kind debitAccountId creditAccountId pendingStatus resolution { kind amount } } }',
      { id: holdTransferId },
    )
  ).transfer;
}

/** The transfers of an account with this code, as its holder reads them: amounts, newest first. */
export async function amountsWithCode(party: Party, code: string): Promise<string[]> {
  const { transfers } = await gql<{ transfers: { edges: { node: { code: string; amount: string } }[] } }>(
    party.client,
    'query Transfers($id: ID!) { transfers(accountId: $id, first: 100) { edges { node { code amount } } } }',
    { id: party.accountId },
  );
  return transfers.edges
    .map((edge) => edge.node)
    .filter((transfer) => transfer.code === code)
    .map((transfer) => transfer.amount);
}

/** A service the provider offers, at 60 minor units an hour. */
export function offerService(
  provider: Party,
  communityId: string,
  overrides: Record<string, unknown> = {},
): Promise<ListingView> {
  return postListing(provider.client, communityId, overrides);
}

/** Goods the provider offers, so many units of them. */
export function offerGoods(provider: Party, communityId: string, quantity: number): Promise<ListingView> {
  return postListing(provider.client, communityId, {
    nature: 'GOODS',
    category: 'cooking',
    title: 'Homemade kimchi',
    pricing: 'FIXED',
    price: '30',
    quantity,
  });
}

export async function listingQuantity(client: GraphqlClient, listingId: string): Promise<number | null> {
  return (await fetchListing(client, listingId)).quantity;
}

/** The receiver proposes on a listing the provider offers; the proposal must go through. */
export function proposeOn(
  receiver: Party,
  listingId: string,
  estimate: number,
  extra: Record<string, unknown> = {},
): Promise<ExchangeView> {
  return stepOk(receiver.client, 'proposeExchange', {
    listingId,
    estimatedAmount: String(estimate),
    description: 'Two hours in the garden',
    ...extra,
  });
}

export const accept = (party: Party, exchangeId: string): Promise<ExchangeView> =>
  stepOk(party.client, 'acceptExchange', { exchangeId });
export const deliver = (provider: Party, exchangeId: string, actual: number): Promise<ExchangeView> =>
  stepOk(provider.client, 'markExchangeDelivered', { exchangeId, actualAmount: String(actual) });
export const confirm = (receiver: Party, exchangeId: string, approveAmountAboveHold = false): Promise<ExchangeView> =>
  stepOk(receiver.client, 'confirmExchange', { exchangeId, approveAmountAboveHold });

/** An exchange on a fresh service listing of the provider, proposed by the receiver. */
export async function proposedExchange(
  receiver: Party,
  provider: Party,
  communityId: string,
  estimate: number,
): Promise<ExchangeView> {
  const listing = await offerService(provider, communityId);
  return proposeOn(receiver, listing.id, estimate);
}

/** Proposed, then accepted by the provider: the estimate is held on the receiver's account. */
export async function acceptedExchange(
  receiver: Party,
  provider: Party,
  communityId: string,
  estimate: number,
): Promise<ExchangeView> {
  const proposed = await proposedExchange(receiver, provider, communityId, estimate);
  return accept(provider, proposed.id);
}

/** Accepted, then delivered by the provider at `actual`. */
export async function deliveredExchange(
  receiver: Party,
  provider: Party,
  communityId: string,
  estimate: number,
  actual: number,
): Promise<ExchangeView> {
  const accepted = await acceptedExchange(receiver, provider, communityId, estimate);
  return deliver(provider, accepted.id, actual);
}

export interface TrailRow {
  name: string;
  /** The id of the transaction that wrote the row (xmin): equal ids mean one transaction. */
  tx: string;
}

/** An exchange's audit rows and outbox events, oldest first, read straight from the database and scoped to its id. */
export async function exchangeTrail(
  t: TestApp,
  exchange: { id: string; communityId: string },
): Promise<{ audit: TrailRow[]; outbox: TrailRow[] }> {
  const [audit, outbox] = await Promise.all([
    t.dataSource.query(
      `SELECT action AS name, xmin::text AS tx FROM audit_log WHERE community_id = $1 AND target_type = 'exchange' AND target_id = $2 ORDER BY id`,
      [rowId(exchange.communityId), rowId(exchange.id)],
    ),
    t.dataSource.query(
      `SELECT topic AS name, xmin::text AS tx FROM outbox_events WHERE aggregate_type = 'exchange' AND aggregate_id = $2 AND community_id = $1 ORDER BY id`,
      [rowId(exchange.communityId), rowId(exchange.id)],
    ),
  ]);
  return { audit, outbox };
}

/**
 * The exchange went through exactly these states: one audit row `exchange.<status>` and one outbox
 * event of the same topic for each, each pair written by the step's own transaction.
 */
export async function expectTrail(
  t: TestApp,
  exchange: { id: string; communityId: string },
  statuses: string[],
): Promise<void> {
  const { audit, outbox } = await exchangeTrail(t, exchange);
  const topics = statuses.map((status) => `exchange.${status}`);
  expect({ audit: audit.map((row) => row.name), outbox: outbox.map((row) => row.name) }).toEqual({
    audit: topics,
    outbox: topics,
  });
  expect(outbox.map((row) => row.tx)).toEqual(audit.map((row) => row.tx));
  // And each step a transaction of its own.
  expect(new Set(audit.map((row) => row.tx)).size).toBe(audit.length);
}

/** The audit row of one step of an exchange, as auditRows would show it. */
export async function stepAudit(
  t: TestApp,
  exchange: { id: string; communityId: string },
  status: string,
): Promise<Record<string, unknown>[]> {
  return t.dataSource.query(
    `SELECT actor_member_id AS "actorMemberId", actor_role AS "actorRole", reason, details FROM audit_log
      WHERE community_id = $1 AND target_type = 'exchange' AND target_id = $2 AND action = $3 ORDER BY id`,
    [rowId(exchange.communityId), rowId(exchange.id), `exchange.${status}`],
  );
}

/** Makes an accepted exchange's hold lapse, or a delivered one's confirmation due, as if its time had come. */
export async function makeDue(t: TestApp, exchangeId: string): Promise<void> {
  await t.dataSource.query(`UPDATE exchanges SET due_at = now() - interval '1 second' WHERE id = $1`, [
    rowId(exchangeId),
  ]);
}

/** Runs the exchange sweeper now. The test app's timer is off: nothing settles an exchange unless a test calls this. */
export function sweepExchanges(t: TestApp): Promise<number> {
  return t.app.get(ExchangeSweeper).sweep();
}
