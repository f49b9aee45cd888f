import { randomUUID } from 'node:crypto';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import { Community } from '../../src/communities/models/community.models.js';
import { Account, Currency } from '../../src/ledger/models/ledger.models.js';
import { AccountKind } from '../../src/ledger/models/ledger-enums.js';
import { DEFAULT_POLICIES } from '../../src/communities/communities.service.js';
import { MembershipRole } from '../../src/members/models/member-enums.js';
import { GraphqlClient, TestApp, TestServices } from './test-app.js';

export interface FixtureMember {
  memberId: string;
  membershipId: string;
  account: Account;
  /** An access token of a live session. */
  token: string;
}

export interface LedgerFixture {
  community: Community;
  currency: Currency;
  issuance: Account;
  pool: Account;
  /** Member accounts, each held by its own member with an active membership, funded from issuance as asked. */
  members: Account[];
  /** The holders of `members`, in the same order. */
  holders: FixtureMember[];
  /** An active coordinator of the community (with an account of their own, which `members` does not list). */
  coordinator: FixtureMember;
  /** A client logged in as the holder of this member account. */
  as: (account: { id: string }) => GraphqlClient;
  /** A client logged in as the community's coordinator. */
  asCoordinator: () => GraphqlClient;
}

/** What a fixture is built on: the services, and over HTTP (not in a service test) clients as its members. */
export type FixtureHost = TestServices & Partial<Pick<TestApp, 'as'>>;

export interface MemberSpec {
  balance?: bigint;
  lowerLimit?: bigint | null;
  upperLimit?: bigint | null;
}

/** A member with an active membership and a session, holding an account under the given limits. */
async function admitMember(
  t: FixtureHost,
  community: Community,
  tag: string,
  label: string,
  role: MembershipRole,
  spec: MemberSpec = {},
): Promise<FixtureMember> {
  const member = (await t.members.createMember({
    email: `${label}-${tag}@test.example`,
    displayName: `${label} ${tag}`,
  }))!;
  const membership = await t.members.admit(member.id, community.id, role);
  const change = await t.ledger.setAccountLimits(
    membership.accountId,
    spec.lowerLimit === undefined ? 0n : spec.lowerLimit,
    spec.upperLimit ?? null,
  );
  if (change.refusal) throw new Error(`fixture limits refused: ${change.refusal}`);
  const { accessToken } = await t.identity.startSession(member.id);
  return { memberId: member.id, membershipId: membership.id, account: change.account!, token: accessToken };
}

/**
 * A fresh community with its own currency, so that test files never share accounts. Its policies
 * pay no starter grant, so that balances are exactly what the specs ask.
 */
export async function createLedgerFixture(t: FixtureHost, specs: MemberSpec[]): Promise<LedgerFixture> {
  const tag = randomUUID().slice(0, 8);
  const community = await t.communities.createWithPolicies(
    {
      slug: `test-${tag}`,
      name: `Test community ${tag}`,
      currencyCode: 'HOUR',
      currencyName: 'Hour',
      currencySymbol: 'h',
      minorUnitsPerUnit: 60,
    },
    { ...DEFAULT_POLICIES, starterGrant: 0n },
  );
  const [currency] = await t.ledger.currenciesOf(community.id);
  const issuance = (await t.ledger.systemAccount(currency.id, AccountKind.ISSUANCE))!;
  const pool = (await t.ledger.systemAccount(currency.id, AccountKind.POOL))!;
  const holders: FixtureMember[] = [];
  for (const [index, spec] of specs.entries()) {
    const holder = await admitMember(t, community, tag, `member${index + 1}`, MembershipRole.MEMBER, spec);
    if (spec.balance) await fund(t.ledger, issuance.id, holder.account.id, spec.balance);
    holders.push({ ...holder, account: (await t.ledger.findAccount(holder.account.id))! });
  }
  const coordinator = await admitMember(t, community, tag, 'coordinator', MembershipRole.COORDINATOR);
  const tokens = new Map(holders.map((holder) => [holder.account.id, holder.token]));
  const clientOf = (token: string): GraphqlClient => {
    if (!t.as)
      throw new Error('A service test has no HTTP server: call the services, as identity.authenticate(token) says');
    return t.as(token);
  };
  return {
    community,
    currency,
    issuance,
    pool,
    holders,
    coordinator,
    members: holders.map((holder) => holder.account),
    as: (account) => {
      const token = tokens.get(account.id);
      if (!token) throw new Error(`account ${account.id} has no holder in this fixture`);
      return clientOf(token);
    },
    asCoordinator: () => clientOf(coordinator.token),
  };
}

export async function fund(
  ledger: LedgerService,
  fromAccountId: string,
  toAccountId: string,
  amount: bigint,
): Promise<void> {
  const result = await ledger.createTransfer({
    idempotencyKey: `fund-${randomUUID()}`,
    debitAccountId: fromAccountId,
    creditAccountId: toAccountId,
    amount,
    code: 'starter_grant',
    memo: '',
  });
  if (result.userErrors.length > 0) throw new Error(`funding failed: ${result.userErrors[0].code}`);
}
