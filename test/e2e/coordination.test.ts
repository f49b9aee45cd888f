import { createLedgerFixture, LedgerFixture } from '../support/ledger-fixture.js';
import { GraphqlClient, GraphqlResponse, useTestApp } from '../support/test-app.js';
import { loginAsNewAdmin } from './auth-client.js';
import { expectForbidden, NONEXISTENT_ID } from './denials.js';
import { AccountView, fetchAccount, gql, newKey } from './graphql-client.js';
import {
  ACCOUNT_READS,
  AccountRead,
  attempt,
  auditRows,
  communityState,
  fetchPolicies,
  MEMBERSHIPS,
  mutate,
  MutationName,
  outcome,
  pay,
  pendingMember,
  PoliciesView,
  readAccount,
  refusalCodes,
  setPolicies,
  succeed,
} from './member-client.js';
import { globalId, rowId } from '../support/global-ids.js';

/** The rules a fixture starts with: createLedgerFixture pays no starter grant. */
const FIXTURE_POLICIES: PoliciesView = {
  starterGrant: '0',
  defaultLowerLimit: '0',
  defaultUpperLimit: null,
  autoConfirmSeconds: 259200,
  holdTimeoutSeconds: 604800,
  balancesVisible: false,
};

/** Coordinators' powers over their own community, and their absence everywhere else; what members may not see or move. */
describe('coordination and access over GraphQL', () => {
  const t = useTestApp(6);

  /** The audit row a coordinator's action writes, with the fields every such row carries. */
  const byCoordinator = (
    fixture: LedgerFixture,
    row: { action: string; targetType: string; targetId: string; reason: string | null; details: unknown },
  ) => ({
    ...row,
    actorMemberId: fixture.coordinator.memberId,
    actorRole: 'coordinator',
    partnerAppId: null,
    communityId: fixture.community.id,
  });
  const audited = (fixture: LedgerFixture, action: string) =>
    auditRows(t, { communityId: fixture.community.id, action });
  const accountAs = (client: GraphqlClient, id: string): Promise<AccountView> => fetchAccount(client, id);

  describe('policies', () => {
    it("the coordinator changes the community's policies: public at once, audited with the rules before and after and the reason", async () => {
      const fixture = await createLedgerFixture(t, []);
      const slug = fixture.community.slug;
      const changes = {
        starterGrant: '240',
        defaultLowerLimit: '-120',
        defaultUpperLimit: '3000',
        autoConfirmSeconds: 600,
        holdTimeoutSeconds: 3600,
        balancesVisible: true,
      };
      expect(await fetchPolicies(t, slug)).toEqual(FIXTURE_POLICIES);

      const { community } = await succeed(fixture.asCoordinator(), 'updateCommunityPolicies', {
        communityId: fixture.community.id,
        policies: changes,
        reason: 'Vote of the annual meeting',
      });

      expect(community!.policies).toEqual(changes);
      expect(await fetchPolicies(t, slug)).toEqual(changes);
      expect(await audited(fixture, 'community.update_policies')).toEqual([
        byCoordinator(fixture, {
          action: 'community.update_policies',
          targetType: 'community',
          targetId: fixture.community.id,
          reason: 'Vote of the annual meeting',
          details: { before: FIXTURE_POLICIES, after: changes },
        }),
      ]);

      await setPolicies(fixture, { clearDefaultUpperLimit: true });
      expect(await fetchPolicies(t, slug)).toEqual({ ...changes, defaultUpperLimit: null });
    });

    it.each([
      ['a positive default lower limit', { defaultLowerLimit: '60' }],
      ['a default upper limit below the starter grant', { starterGrant: '300', defaultUpperLimit: '200' }],
      ['a starter grant above the default upper limit', { starterGrant: '700' }],
    ])('refuses contradictory policies (%s) with POLICY_INVALID, changing nothing', async (_, policies) => {
      const fixture = await createLedgerFixture(t, []);
      await setPolicies(fixture, { defaultUpperLimit: '600' });
      const before = await communityState(t, fixture.community.id);

      const payload = await mutate(fixture.asCoordinator(), 'updateCommunityPolicies', {
        communityId: fixture.community.id,
        policies,
        reason: 'Try this',
      });

      expect(payload).toMatchObject({
        community: null,
        userErrors: [{ code: 'POLICY_INVALID', field: ['input', 'policies'] }],
      });
      expect(await communityState(t, fixture.community.id)).toEqual(before);
    });

    it('an admin changing the policies of a community that does not exist is denied like any missing object', async () => {
      const admin = await loginAsNewAdmin(t);

      expectForbidden(
        await attempt(admin.client, 'updateCommunityPolicies', {
          communityId: NONEXISTENT_ID,
          policies: { starterGrant: '60' },
          reason: 'Typo',
        }),
      );
    });

    it("a coordinator of another community, or a member, cannot change a community's policies", async () => {
      const fixture = await createLedgerFixture(t, [{}]);
      const elsewhere = await createLedgerFixture(t, []);
      const input = { communityId: fixture.community.id, policies: { starterGrant: '6000' }, reason: 'Generosity' };
      const before = await communityState(t, fixture.community.id);

      expectForbidden(await attempt(elsewhere.asCoordinator(), 'updateCommunityPolicies', input));
      expectForbidden(await attempt(fixture.as(fixture.members[0]), 'updateCommunityPolicies', input));
      expect(await communityState(t, fixture.community.id)).toEqual(before);
    });
  });

  describe("the coordinator's money and account actions", () => {
    it('grants credits from issuance, audited once even when the request is replayed', async () => {
      const fixture = await createLedgerFixture(t, [{}]);
      const [account] = fixture.members;
      const coordinator = fixture.asCoordinator();
      const input = {
        accountId: account.id,
        amount: '150',
        source: 'ISSUANCE',
        idempotencyKey: newKey('grant'),
        reason: 'Volunteer of the month',
      };

      const granted = await succeed(coordinator, 'grantCredits', input);
      const replayed = await succeed(coordinator, 'grantCredits', input);

      const transfer = granted.transfer!;
      expect(transfer).toMatchObject({
        debitAccountId: globalId('Account', fixture.issuance.id),
        creditAccountId: globalId('Account', account.id),
        amount: '150',
        code: 'grant',
      });
      expect(replayed).toMatchObject({ replayed: true, transfer: { id: transfer.id } });
      expect((await accountAs(fixture.as(account), account.id)).balance).toBe('150');
      expect((await accountAs(coordinator, fixture.issuance.id)).balance).toBe('-150');
      expect(await audited(fixture, 'ledger.grant')).toEqual([
        byCoordinator(fixture, {
          action: 'ledger.grant',
          targetType: 'transfer',
          targetId: rowId(transfer.id),
          reason: 'Volunteer of the month',
          details: {
            source: 'issuance',
            debitAccountId: fixture.issuance.id,
            creditAccountId: account.id,
            amount: '150',
          },
        }),
      ]);
    });

    it("grants credits from the pool, only as far as the pool's money goes; a refusal is not audited", async () => {
      const fixture = await createLedgerFixture(t, [{}, { balance: 100n }]);
      const [account, donor] = fixture.members;
      const coordinator = fixture.asCoordinator();
      const grant = (amount: string) =>
        mutate(coordinator, 'grantCredits', {
          accountId: account.id,
          amount,
          source: 'POOL',
          idempotencyKey: newKey('grant'),
          reason: 'Hardship',
        });

      expect(refusalCodes(await grant('70'))).toEqual(['EXCEEDS_LOWER_LIMIT']);
      expect(await audited(fixture, 'ledger.grant')).toEqual([]);

      await pay(fixture.as(donor), donor.id, fixture.pool.id, 100);
      const granted = await grant('70');

      expect(granted.transfer).toMatchObject({
        debitAccountId: globalId('Account', fixture.pool.id),
        creditAccountId: globalId('Account', account.id),
        amount: '70',
        code: 'grant',
      });
      expect((await accountAs(coordinator, fixture.pool.id)).balance).toBe('30');
      expect((await accountAs(coordinator, account.id)).balance).toBe('70');
      expect(await audited(fixture, 'ledger.grant')).toEqual([
        byCoordinator(fixture, {
          action: 'ledger.grant',
          targetType: 'transfer',
          targetId: rowId(granted.transfer!.id),
          reason: 'Hardship',
          details: { source: 'pool', debitAccountId: fixture.pool.id, creditAccountId: account.id, amount: '70' },
        }),
      ]);
    });

    it('sets account limits that hold the balance, audited with the limits before and after; refuses others, unaudited', async () => {
      const fixture = await createLedgerFixture(t, [{ balance: 100n }]);
      const [account] = fixture.members;
      const coordinator = fixture.asCoordinator();
      const setLimits = (lowerLimit: string, upperLimit: string | null) =>
        mutate(coordinator, 'setAccountLimits', {
          accountId: account.id,
          lowerLimit,
          upperLimit,
          reason: 'Reliable member',
        });

      expect(refusalCodes(await setLimits('0', '50'))).toEqual(['LIMITS_EXCLUDE_BALANCE']);
      expect(refusalCodes(await setLimits('150', null))).toEqual(['LIMITS_EXCLUDE_BALANCE']);
      expect(refusalCodes(await setLimits('10', '5'))).toEqual(['LIMITS_OUT_OF_ORDER']);
      expect(await audited(fixture, 'account.set_limits')).toEqual([]);
      expect(await accountAs(coordinator, account.id)).toMatchObject({ lowerLimit: '0', upperLimit: null });

      const changed = await setLimits('-200', '500');

      expect(changed).toMatchObject({
        userErrors: [],
        account: { id: globalId('Account', account.id), lowerLimit: '-200', upperLimit: '500', balance: '100' },
      });
      expect(await audited(fixture, 'account.set_limits')).toEqual([
        byCoordinator(fixture, {
          action: 'account.set_limits',
          targetType: 'account',
          targetId: account.id,
          reason: 'Reliable member',
          details: { before: { lowerLimit: '0', upperLimit: null }, after: { lowerLimit: '-200', upperLimit: '500' } },
        }),
      ]);
    });

    it('freezes an account (with a reason), which then can neither pay nor be paid, and unfreezes it', async () => {
      const fixture = await createLedgerFixture(t, [{ balance: 100n }, { balance: 100n }]);
      const [account, other] = fixture.members;
      const coordinator = fixture.asCoordinator();
      const payment = (from: { id: string }, to: { id: string }) =>
        mutate(fixture.as(from), 'createTransfer', {
          idempotencyKey: newKey(),
          debitAccountId: globalId('Account', from.id),
          creditAccountId: globalId('Account', to.id),
          amount: '10',
        });

      expect(refusalCodes(await mutate(coordinator, 'freezeAccount', { accountId: account.id, reason: '' }))).toEqual([
        'INVALID_INPUT',
      ]);
      expect(
        refusalCodes(await mutate(coordinator, 'freezeAccount', { accountId: account.id, reason: '   ' })),
      ).toEqual(['REASON_REQUIRED']);
      expect(await audited(fixture, 'account.freeze')).toEqual([]);

      expect(
        (await succeed(coordinator, 'freezeAccount', { accountId: account.id, reason: 'Reported lost phone' })).account!
          .status,
      ).toBe('FROZEN');
      expect(refusalCodes(await payment(account, other))).toEqual(['DEBIT_ACCOUNT_FROZEN']);
      expect(refusalCodes(await payment(other, account))).toEqual(['CREDIT_ACCOUNT_FROZEN']);

      expect(
        (await succeed(coordinator, 'unfreezeAccount', { accountId: account.id, reason: 'Phone found' })).account!
          .status,
      ).toBe('OPEN');
      expect(refusalCodes(await payment(account, other))).toEqual([]);
      expect((await accountAs(coordinator, account.id)).balance).toBe('90');

      const target = { targetType: 'account', targetId: account.id, details: {} };
      expect(await audited(fixture, 'account.freeze')).toEqual([
        byCoordinator(fixture, { ...target, action: 'account.freeze', reason: 'Reported lost phone' }),
      ]);
      expect(await audited(fixture, 'account.unfreeze')).toEqual([
        byCoordinator(fixture, { ...target, action: 'account.unfreeze', reason: 'Phone found' }),
      ]);
    });

    it('forces a reversal past the limits with a reason, audited; a member who can see the transfer may not reverse it', async () => {
      const fixture = await createLedgerFixture(t, [{ balance: 100n }, {}]);
      const [payer, payee] = fixture.members;
      const coordinator = fixture.asCoordinator();
      const original = (await pay(fixture.as(payer), payer.id, payee.id, 80)).transfer!;
      await pay(fixture.as(payee), payee.id, payer.id, 50);
      const reverse = (client: GraphqlClient, extra: Record<string, unknown>) =>
        mutate(client, 'reverseTransfer', { idempotencyKey: newKey('reverse'), transferId: original.id, ...extra });

      expect(refusalCodes(await reverse(fixture.as(payer), { force: true, reason: 'Mine' }))).toEqual([
        'REVERSAL_NOT_PERMITTED',
      ]);
      expect(refusalCodes(await reverse(coordinator, {}))).toEqual(['EXCEEDS_LOWER_LIMIT']);
      expect(refusalCodes(await reverse(coordinator, { force: true }))).toEqual(['REASON_REQUIRED']);
      expect(refusalCodes(await reverse(coordinator, { force: true, reason: '  ' }))).toEqual(['REASON_REQUIRED']);

      const reversal = (await reverse(coordinator, { force: true, reason: 'The session never happened' })).transfer!;

      expect(reversal).toMatchObject({
        debitAccountId: globalId('Account', payee.id),
        creditAccountId: globalId('Account', payer.id),
        amount: '80',
        forced: true,
        reason: 'The session never happened',
        reversesTransferId: original.id,
      });
      expect(await accountAs(coordinator, payee.id)).toMatchObject({ balance: '-50', lowerLimit: '-50' });
      expect((await accountAs(coordinator, payer.id)).balance).toBe('150');
      expect(await auditRows(t, { communityId: fixture.community.id, targetId: reversal.id })).toEqual([
        byCoordinator(fixture, {
          action: 'ledger.force_reversal',
          targetType: 'transfer',
          targetId: rowId(reversal.id),
          reason: 'The session never happened',
          details: { reverses: rowId(original.id), debitAccountId: payee.id, creditAccountId: payer.id, amount: '80' },
        }),
      ]);
      expect(await audited(fixture, 'ledger.reversal')).toEqual([]);
    });
  });

  describe('scoping', () => {
    it("a coordinator of one community is FORBIDDEN every action on another community's memberships and accounts, and nothing is written", async () => {
      const mine = await createLedgerFixture(t, []);
      const theirs = await createLedgerFixture(t, [{ balance: 100n }, { balance: 50n }]);
      const [account, suspendedAccount] = theirs.members;
      const [holder, suspendedHolder] = theirs.holders;
      const applicant = await pendingMember(t, theirs);
      await succeed(theirs.asCoordinator(), 'suspendMembership', {
        membershipId: suspendedHolder.membershipId,
        reason: 'Set up',
      });
      const transfer = (await pay(theirs.as(account), account.id, suspendedAccount.id, 20)).transfer!;
      const reason = 'Overreach';
      const attempts: Record<string, [MutationName, Record<string, unknown>]> = {
        approve: ['approveMembership', { membershipId: applicant.membership.id }],
        suspend: ['suspendMembership', { membershipId: holder.membershipId, reason }],
        reinstate: ['reinstateMembership', { membershipId: suspendedHolder.membershipId }],
        close: ['closeMembership', { membershipId: holder.membershipId }],
        closeAndSettle: ['closeMembership', { membershipId: holder.membershipId, settleToPool: true, reason }],
        grantFromIssuance: [
          'grantCredits',
          { accountId: account.id, amount: '10', source: 'ISSUANCE', idempotencyKey: newKey(), reason },
        ],
        grantFromPool: [
          'grantCredits',
          { accountId: account.id, amount: '10', source: 'POOL', idempotencyKey: newKey(), reason },
        ],
        setLimits: ['setAccountLimits', { accountId: account.id, lowerLimit: '-1000', upperLimit: null, reason }],
        freeze: ['freezeAccount', { accountId: account.id, reason }],
        unfreeze: ['unfreezeAccount', { accountId: account.id, reason }],
        forceReversal: ['reverseTransfer', { transferId: transfer.id, idempotencyKey: newKey(), force: true, reason }],
        reversal: ['reverseTransfer', { transferId: transfer.id, idempotencyKey: newKey() }],
        payFromIssuance: [
          'createTransfer',
          { idempotencyKey: newKey(), debitAccountId: theirs.issuance.id, creditAccountId: account.id, amount: '10' },
        ],
        updatePolicies: [
          'updateCommunityPolicies',
          { communityId: theirs.community.id, policies: { starterGrant: '600' }, reason },
        ],
      };
      const [theirsBefore, mineBefore] = [
        await communityState(t, theirs.community.id),
        await communityState(t, mine.community.id),
      ];
      const intruder = mine.asCoordinator();

      const outcomes: Record<string, string> = {};
      for (const [label, [mutation, input]] of Object.entries(attempts))
        outcomes[label] = outcome(await attempt(intruder, mutation, input));
      outcomes.memberships = outcome(await intruder.graphql(MEMBERSHIPS, { communityId: theirs.community.id }));
      outcomes.readAccount = outcome(await readAccount(intruder, 'account', account.id));

      expect(outcomes).toEqual(Object.fromEntries(Object.keys(outcomes).map((label) => [label, 'FORBIDDEN'])));
      expect(await communityState(t, theirs.community.id)).toEqual(theirsBefore);
      expect(await communityState(t, mine.community.id)).toEqual(mineBefore);
    });

    it("a member cannot read or move another member's money: FORBIDDEN, exactly as for an account that does not exist", async () => {
      const fixture = await createLedgerFixture(t, [{ balance: 100n }, { balance: 100n }, {}]);
      const [owner, nosy, payee] = fixture.members;
      const snoop = fixture.as(nosy);
      const hold = (await pay(fixture.as(owner), owner.id, payee.id, 30, { pending: true })).transfer!;
      const before = await communityState(t, fixture.community.id);

      for (const read of Object.keys(ACCOUNT_READS) as AccountRead[]) {
        const missing = await readAccount(snoop, read, NONEXISTENT_ID);
        expectForbidden(missing);
        expect(await readAccount(snoop, read, owner.id)).toEqual(missing);
      }
      const payFrom = (debitAccountId: string) =>
        attempt(snoop, 'createTransfer', {
          idempotencyKey: newKey(),
          debitAccountId,
          creditAccountId: nosy.id,
          amount: '10',
        });
      expectMissingAlike(await payFrom(owner.id), await payFrom(NONEXISTENT_ID));
      const post = (client: GraphqlClient, pendingTransferId: string) =>
        attempt(client, 'postPendingTransfer', { idempotencyKey: newKey(), pendingTransferId });
      expectMissingAlike(await post(snoop, hold.id), await post(snoop, NONEXISTENT_ID));
      // The payee sees the hold, but posting it spends the payer's reservation: not theirs to do.
      expectForbidden(await post(fixture.as(payee), hold.id));

      expect(await communityState(t, fixture.community.id)).toEqual(before);
    });

    it("with balancesVisible, active co-members read another member account's balance, never its history", async () => {
      const fixture = await createLedgerFixture(t, [{ balance: 100n }, {}, {}]);
      const outsiders = await createLedgerFixture(t, [{}]);
      const [owner, coMember, suspended] = fixture.members;
      await setPolicies(fixture, { balancesVisible: true });
      await succeed(fixture.asCoordinator(), 'suspendMembership', {
        membershipId: fixture.holders[2].membershipId,
        reason: 'Set up',
      });
      const applicant = await pendingMember(t, fixture);
      const reads = async (client: GraphqlClient): Promise<Record<AccountRead, string>> => {
        const results = {} as Record<AccountRead, string>;
        for (const read of Object.keys(ACCOUNT_READS) as AccountRead[])
          results[read] = outcome(await readAccount(client, read, owner.id));
        return results;
      };
      const nothing = { account: 'FORBIDDEN', transfers: 'FORBIDDEN', statement: 'FORBIDDEN', balanceAt: 'FORBIDDEN' };

      expect(await reads(fixture.as(coMember))).toEqual({ ...nothing, account: 'OK' });
      expect((await readAccount(fixture.as(coMember), 'account', owner.id)).data).toEqual({
        account: { id: globalId('Account', owner.id), balance: '100', availableBalance: '100' },
      });
      const listed = await gql<{ accounts: { edges: { node: { id: string; balance: string } }[] } }>(
        fixture.as(coMember),
        'query Accounts($currencyId: ID!) { accounts(currencyId: $currencyId, kind: MEMBER) { edges { node { id balance } } } }',
        { currencyId: fixture.currency.id },
      );
      expect(listed.accounts.edges.map((edge) => edge.node)).toContainEqual({
        id: globalId('Account', owner.id),
        balance: '100',
      });
      expect(await reads(fixture.as(suspended))).toEqual(nothing);
      expect(await reads(applicant.client)).toEqual(nothing);
      expect(await reads(outsiders.as(outsiders.members[0]))).toEqual(nothing);
    });
  });

  /** The same denial for someone else's object and for none at all: nothing tells them apart. */
  function expectMissingAlike(foreign: GraphqlResponse, missing: GraphqlResponse): void {
    expectForbidden(missing);
    expect(foreign).toEqual(missing);
  }
});
