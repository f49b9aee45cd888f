import { LedgerFixture } from '../support/ledger-fixture.js';
import { GraphqlClient, GraphqlResponse, TestApp } from '../support/test-app.js';
import { LoggedInMember, registerAndLogIn } from './auth-client.js';
import {
  ACCOUNT_FIELDS,
  AccountView,
  gql,
  newKey,
  payloadMutation,
  TRANSFER_FIELDS,
  TransferPayloadView,
  USER_ERRORS,
  UserErrorView,
} from './graphql-client.js';
import { rowId } from '../support/global-ids.js';

/**
 * What the e2e tests of identity and access send as members, coordinators and admins: the
 * membership, community and management documents, and what managers leave behind (their
 * community's state and its audit log).
 */

export const MEMBERSHIP_FIELDS = 'id memberId communityId accountId role status approvedAt closedAt';
export const POLICY_FIELDS =
  'starterGrant defaultLowerLimit defaultUpperLimit autoConfirmSeconds holdTimeoutSeconds balancesVisible';
export const COMMUNITY_FIELDS = `id slug name policies { ${POLICY_FIELDS} } currencies { id code name symbol minorUnitsPerUnit }`;

export interface MembershipView {
  id: string;
  memberId: string;
  communityId: string;
  accountId: string;
  role: 'MEMBER' | 'COORDINATOR';
  status: 'PENDING' | 'ACTIVE' | 'SUSPENDED' | 'CLOSED';
  approvedAt: string | null;
  closedAt: string | null;
}

export interface PoliciesView {
  starterGrant: string;
  defaultLowerLimit: string;
  defaultUpperLimit: string | null;
  autoConfirmSeconds: number;
  holdTimeoutSeconds: number;
  balancesVisible: boolean;
}

export interface CommunityView {
  id: string;
  slug: string;
  name: string;
  policies: PoliciesView;
  currencies: { id: string; code: string; name: string; symbol: string; minorUnitsPerUnit: number }[];
}

export interface MembershipPayloadView {
  membership: MembershipView | null;
  userErrors: UserErrorView[];
}

export interface CommunityPayloadView {
  community: CommunityView | null;
  userErrors: UserErrorView[];
}

export interface AccountPayloadView {
  account: AccountView | null;
  userErrors: UserErrorView[];
}

export interface ReversalPayloadView extends TransferPayloadView {
  transfer:
    | (TransferPayloadView['transfer'] & { forced: boolean; reason: string | null; reversesTransferId: string | null })
    | null;
}

const MEMBERSHIP_PAYLOAD = `membership { ${MEMBERSHIP_FIELDS} }`;
const COMMUNITY_PAYLOAD = `community { ${COMMUNITY_FIELDS} }`;
const ACCOUNT_PAYLOAD = `account { ${ACCOUNT_FIELDS} }`;
const TRANSFER_PAYLOAD = `transfer { ${TRANSFER_FIELDS} } replayed`;

/** Every mutation these tests send, by name; each takes one `input`. */
export const PERIOD_FIELDS = 'id currencyId closedThrough closedAt closedBy note balances { accountId balance }';

export interface PeriodView {
  id: string;
  currencyId: string;
  closedThrough: string;
  closedAt: string;
  closedBy: string | null;
  note: string;
  balances: { accountId: string; balance: string }[];
}

export const MUTATIONS = {
  approveMembership: payloadMutation('approveMembership', 'MembershipActionInput', MEMBERSHIP_PAYLOAD),
  suspendMembership: payloadMutation('suspendMembership', 'MembershipActionInput', MEMBERSHIP_PAYLOAD),
  reinstateMembership: payloadMutation('reinstateMembership', 'MembershipActionInput', MEMBERSHIP_PAYLOAD),
  closeMembership: payloadMutation('closeMembership', 'CloseMembershipInput', MEMBERSHIP_PAYLOAD),
  appointCoordinator: payloadMutation('appointCoordinator', 'AppointCoordinatorInput', MEMBERSHIP_PAYLOAD),
  createCommunity: payloadMutation('createCommunity', 'CreateCommunityInput', COMMUNITY_PAYLOAD),
  updateCommunityPolicies: payloadMutation(
    'updateCommunityPolicies',
    'UpdateCommunityPoliciesInput',
    COMMUNITY_PAYLOAD,
  ),
  setAccountLimits: payloadMutation('setAccountLimits', 'SetAccountLimitsInput', ACCOUNT_PAYLOAD),
  freezeAccount: payloadMutation('freezeAccount', 'AccountStatusInput', ACCOUNT_PAYLOAD),
  unfreezeAccount: payloadMutation('unfreezeAccount', 'AccountStatusInput', ACCOUNT_PAYLOAD),
  grantCredits: payloadMutation('grantCredits', 'GrantCreditsInput', TRANSFER_PAYLOAD),
  reverseTransfer: payloadMutation(
    'reverseTransfer',
    'ReverseTransferInput',
    `transfer { ${TRANSFER_FIELDS} forced reason reversesTransferId } replayed`,
  ),
  createTransfer: payloadMutation('createTransfer', 'CreateTransferInput', TRANSFER_PAYLOAD),
  postPendingTransfer: payloadMutation('postPendingTransfer', 'PostPendingTransferInput', TRANSFER_PAYLOAD),
  voidPendingTransfer: payloadMutation('voidPendingTransfer', 'VoidPendingTransferInput', TRANSFER_PAYLOAD),
  closeLedgerPeriod: payloadMutation('closeLedgerPeriod', 'ClosePeriodInput', `period { ${PERIOD_FIELDS} }`),
} as const;

interface Payloads {
  approveMembership: MembershipPayloadView;
  suspendMembership: MembershipPayloadView;
  reinstateMembership: MembershipPayloadView;
  closeMembership: MembershipPayloadView;
  appointCoordinator: MembershipPayloadView;
  createCommunity: CommunityPayloadView;
  updateCommunityPolicies: CommunityPayloadView;
  setAccountLimits: AccountPayloadView;
  freezeAccount: AccountPayloadView;
  unfreezeAccount: AccountPayloadView;
  grantCredits: TransferPayloadView;
  reverseTransfer: ReversalPayloadView;
  createTransfer: TransferPayloadView;
  postPendingTransfer: TransferPayloadView;
  voidPendingTransfer: TransferPayloadView;
  closeLedgerPeriod: { period: PeriodView | null; userErrors: UserErrorView[] };
}

export type MutationName = keyof typeof MUTATIONS;

/** Sends a mutation and returns the response as it is, for tests that expect a denial. */
export function attempt(
  client: GraphqlClient,
  name: MutationName,
  input: Record<string, unknown>,
): Promise<GraphqlResponse> {
  return client.graphql(MUTATIONS[name], { input });
}

/** Sends a mutation that must be answered (HTTP 200, no errors) and returns its payload, refusals included. */
export async function mutate<N extends MutationName>(
  client: GraphqlClient,
  name: N,
  input: Record<string, unknown>,
): Promise<Payloads[N]> {
  return (await gql<Record<N, Payloads[N]>>(client, MUTATIONS[name], { input }))[name];
}

/** Like `mutate`, for an action that must succeed: no userErrors. */
export async function succeed<N extends MutationName>(
  client: GraphqlClient,
  name: N,
  input: Record<string, unknown>,
): Promise<Payloads[N]> {
  const payload = await mutate(client, name, input);
  expect(payload.userErrors).toEqual([]);
  return payload;
}

/** The codes of a payload's refusals: `[]` when it went through. */
export const refusalCodes = (payload: { userErrors: { code: string }[] }): string[] =>
  payload.userErrors.map((error) => error.code);

/** How a request ended: the code of its first top-level error, or OK. */
export function outcome(response: GraphqlResponse): string {
  if (response.errors?.length) return response.errors[0].extensions?.code ?? 'UNKNOWN';
  return 'OK';
}

export const JOIN_COMMUNITY = `mutation JoinCommunity($communityId: ID!) {
  joinCommunity(communityId: $communityId) { membership { ${MEMBERSHIP_FIELDS} account { ${ACCOUNT_FIELDS} } } ${USER_ERRORS} }
}`;

export async function joinCommunity(
  client: GraphqlClient,
  communityId: string,
): Promise<MembershipPayloadView & { membership: (MembershipView & { account: AccountView }) | null }> {
  return (await gql<{ joinCommunity: any }>(client, JOIN_COMMUNITY, { communityId })).joinCommunity;
}

export async function fetchMembership(client: GraphqlClient, id: string): Promise<MembershipView> {
  return (
    await gql<{ membership: MembershipView }>(
      client,
      `query Membership($id: ID!) { membership(id: $id) { ${MEMBERSHIP_FIELDS} } }`,
      { id },
    )
  ).membership;
}

export async function fetchPolicies(client: GraphqlClient, slug: string): Promise<PoliciesView> {
  return (
    await gql<{ community: { policies: PoliciesView } }>(
      client,
      `query Policies($slug: String!) { community(slug: $slug) { policies { ${POLICY_FIELDS} } } }`,
      { slug },
    )
  ).community.policies;
}

/** A registered member who asked to join the fixture's community and waits for approval. */
export async function pendingMember(
  t: TestApp,
  fixture: LedgerFixture,
  label = 'applicant',
): Promise<LoggedInMember & { membership: MembershipView & { account: AccountView } }> {
  const member = await registerAndLogIn(t, label);
  const { membership, userErrors } = await joinCommunity(member.client, fixture.community.id);
  expect(userErrors).toEqual([]);
  return { ...member, membership: membership! };
}

/** Changes a community's policies as its coordinator; the change must be accepted. */
export async function setPolicies(
  fixture: LedgerFixture,
  policies: Record<string, unknown>,
  reason = 'test setup',
): Promise<CommunityView> {
  return (
    await succeed(fixture.asCoordinator(), 'updateCommunityPolicies', {
      communityId: fixture.community.id,
      policies,
      reason,
    })
  ).community!;
}

/** A member pays from their own account; the payment must go through. */
export async function pay(
  client: GraphqlClient,
  from: string,
  to: string,
  amount: number | string,
  extra: Record<string, unknown> = {},
): Promise<TransferPayloadView> {
  return succeed(client, 'createTransfer', {
    idempotencyKey: newKey('pay'),
    debitAccountId: from,
    creditAccountId: to,
    amount: String(amount),
    ...extra,
  });
}

export interface AuditRow {
  action: string;
  actorMemberId: string | null;
  actorRole: string;
  partnerAppId: string | null;
  communityId: string | null;
  targetType: string;
  targetId: string;
  reason: string | null;
  details: Record<string, unknown>;
}

/**
 * The audit rows of one community, oldest first, optionally of one action or target. Test files
 * share the database, so audit rows are always read within a fixture's own community, never globally.
 */
export function auditRows(
  t: TestApp,
  scope: { communityId: string; action?: string; targetType?: string; targetId?: string },
): Promise<AuditRow[]> {
  return t.dataSource.query(
    `SELECT action, actor_member_id AS "actorMemberId", actor_role AS "actorRole", partner_app_id AS "partnerAppId", community_id AS "communityId",
            target_type AS "targetType", target_id AS "targetId", reason, details
       FROM audit_log
      WHERE community_id = $1 AND ($2::text IS NULL OR action = $2) AND ($3::text IS NULL OR target_type = $3) AND ($4::text IS NULL OR target_id = $4)
      ORDER BY id`,
    [
      rowId(scope.communityId),
      scope.action ?? null,
      scope.targetType ?? null,
      scope.targetId ? rowId(scope.targetId) : null,
    ],
  );
}

/**
 * Everything a community's managers could change, read straight from the database: its policies,
 * its accounts (balances, reservations, limits, status), memberships, transfers and audit rows.
 * Equal before and after means nothing was written.
 */
export async function communityState(t: TestApp, communityId: string): Promise<Record<string, unknown>> {
  const [policies, accounts, memberships, transfers, audit] = await Promise.all([
    t.dataSource.query(
      'SELECT starter_grant, default_lower_limit, default_upper_limit, auto_confirm_seconds, hold_timeout_seconds, balances_visible FROM communities WHERE id = $1',
      [rowId(communityId)],
    ),
    t.dataSource.query(
      `SELECT a.id, a.status, a.posted_debits, a.posted_credits, a.pending_debits, a.pending_credits, a.lower_limit, a.upper_limit, a.version
         FROM accounts a JOIN currencies c ON c.id = a.currency_id WHERE c.community_id = $1 ORDER BY a.id`,
      [rowId(communityId)],
    ),
    t.dataSource.query('SELECT id, role, status, closed_at FROM memberships WHERE community_id = $1 ORDER BY id', [
      communityId,
    ]),
    t.dataSource.query(
      'SELECT count(*)::int AS count FROM transfers t JOIN currencies c ON c.id = t.currency_id WHERE c.community_id = $1',
      [rowId(communityId)],
    ),
    t.dataSource.query('SELECT count(*)::int AS count FROM audit_log WHERE community_id = $1', [rowId(communityId)]),
  ]);
  return { policies, accounts, memberships, transfers: transfers[0].count, auditRows: audit[0].count };
}

/**
 * Reads of one account's money, each taking `$id`: the account itself, its transfers, its
 * statement and a point-in-time balance. Used to show who may and may not read them.
 */
export const ACCOUNT_READS = {
  account: 'query ReadAccount($id: ID!) { account(id: $id) { id balance availableBalance } }',
  transfers: 'query ReadTransfers($id: ID!) { transfers(accountId: $id) { edges { node { id amount } } } }',
  statement:
    'query ReadStatement($id: ID!) { account(id: $id) { id statement(first: 5) { edges { node { id amount balanceAfter } } } } }',
  balanceAt: 'query ReadBalanceAt($id: ID!) { account(id: $id) { id balanceAt(at: "2100-01-01T00:00:00Z") } }',
} as const;

export type AccountRead = keyof typeof ACCOUNT_READS;

export function readAccount(client: GraphqlClient, read: AccountRead, accountId: string): Promise<GraphqlResponse> {
  return client.graphql(ACCOUNT_READS[read], { id: accountId });
}

export interface TransferSummary {
  id: string;
  code: string;
  amount: string;
  debitAccountId: string;
  creditAccountId: string;
}

/** An account's transfers, newest first, as its holder or an auditor reads them. */
export async function transfersOf(client: GraphqlClient, accountId: string): Promise<TransferSummary[]> {
  const { transfers } = await gql<{ transfers: { edges: { node: TransferSummary }[] } }>(
    client,
    'query TransfersOf($id: ID!) { transfers(accountId: $id, first: 100) { edges { node { id code amount debitAccountId creditAccountId } } } }',
    { id: accountId },
  );
  return transfers.edges.map((edge) => edge.node);
}

export const MEMBERSHIPS = `query Memberships($communityId: ID!, $status: MembershipStatus) {
  memberships(communityId: $communityId, status: $status, first: 100) { edges { node { ${MEMBERSHIP_FIELDS} } } }
}`;
