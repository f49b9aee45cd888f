import { randomUUID } from 'node:crypto';
import { createLedgerFixture, LedgerFixture } from '../support/ledger-fixture.js';
import { GraphqlClient, useTestApp } from '../support/test-app.js';
import { loginAsNewAdmin, registerAndLogIn } from './auth-client.js';
import { expectForbidden, NONEXISTENT_ID } from './denials.js';
import { fetchAccount, gql, newKey } from './graphql-client.js';
import {
  attempt,
  auditRows,
  communityState,
  fetchMembership,
  fetchPolicies,
  joinCommunity,
  MEMBERSHIPS,
  MembershipView,
  mutate,
  pay,
  pendingMember,
  refusalCodes,
  setPolicies,
  succeed,
  transfersOf,
} from './member-client.js';
import { globalId, rowId } from '../support/global-ids.js';

const MEMBER_PROFILE = 'query Member($id: ID!) { member(id: $id) { id displayName email } }';

/** Joining, approval with its starter grant, suspension and closing; admins' communities and coordinators; who sees whom. */
describe('memberships over GraphQL', () => {
  const t = useTestApp(6);

  const membershipsIn = async (
    client: GraphqlClient,
    communityId: string,
    status?: string,
  ): Promise<MembershipView[]> =>
    (
      await gql<{ memberships: { edges: { node: MembershipView }[] } }>(client, MEMBERSHIPS, { communityId, status })
    ).memberships.edges.map((edge) => edge.node);
  const approve = (fixture: LedgerFixture, membershipId: string) =>
    mutate(fixture.asCoordinator(), 'approveMembership', { membershipId });
  /** Balance and version as the community's coordinator (an auditor) reads them. */
  const position = async (fixture: LedgerFixture, accountId: string) => {
    const { balance, version, status } = await fetchAccount(fixture.asCoordinator(), accountId);
    return { balance, version, status };
  };

  describe('joining and approval', () => {
    it('a registered member who asks to join is PENDING, with an account under the community default limits', async () => {
      const fixture = await createLedgerFixture(t, []);
      await setPolicies(fixture, { starterGrant: '120', defaultLowerLimit: '-300', defaultUpperLimit: '6000' });

      const applicant = await pendingMember(t, fixture);

      expect(applicant.membership).toMatchObject({
        memberId: applicant.memberId,
        communityId: globalId('Community', fixture.community.id),
        role: 'MEMBER',
        status: 'PENDING',
        approvedAt: null,
        closedAt: null,
      });
      expect(applicant.membership.account).toMatchObject({
        id: applicant.membership.accountId,
        kind: 'MEMBER',
        status: 'OPEN',
        balance: '0',
        version: '0',
        lowerLimit: '-300',
        upperLimit: '6000',
        currency: { id: globalId('Currency', fixture.currency.id) },
      });
      expect(
        (await membershipsIn(fixture.asCoordinator(), fixture.community.id, 'PENDING')).map(
          (membership) => membership.id,
        ),
      ).toEqual([applicant.membership.id]);
      expect((await joinCommunity(applicant.client, fixture.community.id)).userErrors).toEqual([
        {
          code: 'ALREADY_MEMBER',
          field: ['communityId'],
          message: 'You already have an open membership in this community.',
        },
      ]);
    });

    it.each([
      ['does not exist', NONEXISTENT_ID],
      ['is not an id at all', 'abc'],
    ])('asking to join a community that %s is refused with COMMUNITY_NOT_FOUND', async (_, communityId) => {
      const stranger = await registerAndLogIn(t, 'wanderer');

      expect(await joinCommunity(stranger.client, communityId)).toEqual({
        // joinCommunity takes communityId as an argument, not inside an input.
        membership: null,
        userErrors: [{ code: 'COMMUNITY_NOT_FOUND', field: ['communityId'], message: 'No community has this id.' }],
      });
      expect(await gql(stranger.client, 'query { me { memberships { id } } }')).toEqual({ me: { memberships: [] } });
    });

    it("approval by the coordinator makes the membership ACTIVE and pays the community's starter grant from issuance, once", async () => {
      const fixture = await createLedgerFixture(t, []);
      await setPolicies(fixture, { starterGrant: '120' });
      const applicant = await pendingMember(t, fixture);
      const { id: membershipId, accountId } = applicant.membership;

      const approved = await approve(fixture, membershipId);
      const again = await approve(fixture, membershipId);

      expect(approved).toMatchObject({
        userErrors: [],
        membership: { id: membershipId, status: 'ACTIVE', approvedAt: expect.any(String) },
      });
      expect(again).toEqual({
        membership: null,
        userErrors: [
          {
            code: 'MEMBERSHIP_NOT_PENDING',
            field: ['input', 'membershipId'],
            message: 'Only a pending membership can be approved.',
          },
        ],
      });
      expect(await transfersOf(applicant.client, accountId)).toEqual([
        {
          id: expect.any(String),
          code: 'starter_grant',
          amount: '120',
          debitAccountId: globalId('Account', fixture.issuance.id),
          creditAccountId: accountId,
        },
      ]);
      expect(await position(fixture, accountId)).toEqual({ balance: '120', version: '1', status: 'OPEN' });
      expect(
        await auditRows(t, { communityId: fixture.community.id, action: 'membership.approve', targetId: membershipId }),
      ).toEqual([
        {
          action: 'membership.approve',
          actorMemberId: fixture.coordinator.memberId,
          actorRole: 'coordinator',
          partnerAppId: null,
          communityId: fixture.community.id,
          targetType: 'membership',
          targetId: rowId(membershipId),
          reason: null,
          details: { starterGrant: '120' },
        },
      ]);
    });

    it('a starter grant the ledger refuses leaves the membership PENDING and unpaid; approval succeeds once the account can take it', async () => {
      const fixture = await createLedgerFixture(t, []);
      await setPolicies(fixture, { starterGrant: '120' });
      const { membership } = await pendingMember(t, fixture);
      const limitUpperTo = (upperLimit: string | null) =>
        succeed(fixture.asCoordinator(), 'setAccountLimits', {
          accountId: membership.accountId,
          lowerLimit: '0',
          upperLimit,
          reason: 'test setup',
        });
      await limitUpperTo('60');
      const before = await communityState(t, fixture.community.id);

      expect(await approve(fixture, membership.id)).toEqual({
        membership: null,
        userErrors: [
          {
            code: 'STARTER_GRANT_REFUSED',
            field: ['input', 'membershipId'],
            message: "The ledger refused the starter grant (the account's limits, or a frozen account).",
          },
        ],
      });
      expect(await communityState(t, fixture.community.id)).toEqual(before);

      await limitUpperTo(null);
      expect(await approve(fixture, membership.id)).toMatchObject({ userErrors: [], membership: { status: 'ACTIVE' } });
      expect(await position(fixture, membership.accountId)).toEqual({ balance: '120', version: '1', status: 'OPEN' });
    });

    it('two concurrent approvals of one membership pay the starter grant once', async () => {
      const fixture = await createLedgerFixture(t, []);
      await setPolicies(fixture, { starterGrant: '120' });
      const { membership } = await pendingMember(t, fixture);

      const results = await Promise.all([approve(fixture, membership.id), approve(fixture, membership.id)]);

      expect(results.map(refusalCodes).sort()).toEqual([[], ['MEMBERSHIP_NOT_PENDING']]);
      expect(await position(fixture, membership.accountId)).toEqual({ balance: '120', version: '1', status: 'OPEN' });
      expect(
        await auditRows(t, {
          communityId: fixture.community.id,
          action: 'membership.approve',
          targetId: membership.id,
        }),
      ).toHaveLength(1);
    });

    it('a PENDING member cannot pay, even within their credit line; once approved they can', async () => {
      const fixture = await createLedgerFixture(t, [{}]);
      await setPolicies(fixture, { defaultLowerLimit: '-300' });
      const applicant = await pendingMember(t, fixture);
      const payment = {
        idempotencyKey: newKey(),
        debitAccountId: applicant.membership.accountId,
        creditAccountId: fixture.members[0].id,
        amount: '30',
      };

      expectForbidden(await attempt(applicant.client, 'createTransfer', payment));
      expect(await position(fixture, applicant.membership.accountId)).toEqual({
        balance: '0',
        version: '0',
        status: 'OPEN',
      });

      expect(refusalCodes(await approve(fixture, applicant.membership.id))).toEqual([]);
      await pay(applicant.client, applicant.membership.accountId, fixture.members[0].id, 30);
      expect(await position(fixture, applicant.membership.accountId)).toEqual({
        balance: '-30',
        version: '1',
        status: 'OPEN',
      });
    });
  });

  describe('suspension', () => {
    it('needs a reason; a SUSPENDED member cannot pay but can be paid and read their account; reinstated, they pay again', async () => {
      const fixture = await createLedgerFixture(t, [{ balance: 100n }, { balance: 100n }]);
      const [account, other] = fixture.members;
      const { membershipId } = fixture.holders[0];
      const coordinator = fixture.asCoordinator();
      const member = fixture.as(account);

      for (const reason of [undefined, '', '   ']) {
        expect(refusalCodes(await mutate(coordinator, 'suspendMembership', { membershipId, reason }))).toEqual([
          'REASON_REQUIRED',
        ]);
      }
      expect((await fetchMembership(member, membershipId)).status).toBe('ACTIVE');

      const suspended = await succeed(coordinator, 'suspendMembership', {
        membershipId,
        reason: 'Three missed exchanges',
      });
      expect(suspended.membership).toMatchObject({ id: globalId('Membership', membershipId), status: 'SUSPENDED' });
      expect(refusalCodes(await mutate(coordinator, 'suspendMembership', { membershipId, reason: 'again' }))).toEqual([
        'MEMBERSHIP_NOT_ACTIVE',
      ]);

      expectForbidden(
        await attempt(member, 'createTransfer', {
          idempotencyKey: newKey(),
          debitAccountId: account.id,
          creditAccountId: other.id,
          amount: '10',
        }),
      );
      await pay(fixture.as(other), other.id, account.id, 20);
      expect(await fetchAccount(member, account.id)).toMatchObject({ balance: '120', status: 'OPEN' });
      expect((await transfersOf(member, account.id))[0]).toMatchObject({
        amount: '20',
        debitAccountId: globalId('Account', other.id),
        creditAccountId: globalId('Account', account.id),
      });

      const reinstated = await succeed(coordinator, 'reinstateMembership', {
        membershipId,
        reason: 'Talked it through',
      });
      expect(reinstated.membership).toMatchObject({ id: globalId('Membership', membershipId), status: 'ACTIVE' });
      expect(refusalCodes(await mutate(coordinator, 'reinstateMembership', { membershipId }))).toEqual([
        'MEMBERSHIP_NOT_SUSPENDED',
      ]);
      await pay(member, account.id, other.id, 10);
      expect(await fetchAccount(member, account.id)).toMatchObject({ balance: '110' });

      const audited = await auditRows(t, { communityId: fixture.community.id, targetId: membershipId });
      const asCoordinator = {
        actorMemberId: fixture.coordinator.memberId,
        actorRole: 'coordinator',
        communityId: fixture.community.id,
        targetType: 'membership',
      };
      expect(audited.filter((row) => row.action !== 'membership.approve')).toEqual([
        expect.objectContaining({ ...asCoordinator, action: 'membership.suspend', reason: 'Three missed exchanges' }),
        expect.objectContaining({ ...asCoordinator, action: 'membership.reinstate', reason: 'Talked it through' }),
      ]);
    });
  });

  describe('closing', () => {
    const close = (client: GraphqlClient, membershipId: string, extra: Record<string, unknown> = {}) =>
      mutate(client, 'closeMembership', { membershipId, ...extra });

    it('the holder closes their own membership at a zero balance; the account is CLOSED', async () => {
      const fixture = await createLedgerFixture(t, [{}]);
      const { membershipId, memberId } = fixture.holders[0];
      const member = fixture.as(fixture.members[0]);

      const closed = await close(member, membershipId);

      expect(closed).toMatchObject({
        userErrors: [],
        membership: { id: globalId('Membership', membershipId), status: 'CLOSED', closedAt: expect.any(String) },
      });
      expect(await position(fixture, fixture.members[0].id)).toEqual({ balance: '0', version: '0', status: 'CLOSED' });
      expect(refusalCodes(await close(fixture.asCoordinator(), membershipId))).toEqual(['MEMBERSHIP_CLOSED']);
      expect(await auditRows(t, { communityId: fixture.community.id, action: 'membership.close' })).toEqual([
        {
          action: 'membership.close',
          actorMemberId: memberId,
          actorRole: 'member',
          partnerAppId: null,
          communityId: fixture.community.id,
          targetType: 'membership',
          targetId: membershipId,
          reason: null,
          details: { settledToPool: '0' },
        },
      ]);
    });

    it('the holder cannot close with money on the account, nor settle it to the pool themselves', async () => {
      const fixture = await createLedgerFixture(t, [{ balance: 45n }]);
      const { membershipId } = fixture.holders[0];
      const member = fixture.as(fixture.members[0]);
      const before = await communityState(t, fixture.community.id);

      expect(await close(member, membershipId)).toEqual({
        membership: null,
        userErrors: [
          {
            code: 'BALANCE_NOT_SETTLED',
            field: ['input', 'settleToPool'],
            message: "The account's balance is not zero: a coordinator must settle it to the pool.",
          },
        ],
      });
      expectForbidden(
        await attempt(member, 'closeMembership', { membershipId, settleToPool: true, reason: 'Leaving town' }),
      );
      expect(await communityState(t, fixture.community.id)).toEqual(before);
    });

    it('the coordinator settles a positive balance to the pool, with a reason, and closes', async () => {
      const fixture = await createLedgerFixture(t, [{ balance: 90n }]);
      const { membershipId } = fixture.holders[0];
      const coordinator = fixture.asCoordinator();
      const before = await communityState(t, fixture.community.id);

      expect(refusalCodes(await close(coordinator, membershipId, { settleToPool: true }))).toEqual(['REASON_REQUIRED']);
      expect(refusalCodes(await close(coordinator, membershipId))).toEqual(['BALANCE_NOT_SETTLED']);
      expect(await communityState(t, fixture.community.id)).toEqual(before);

      const closed = await close(coordinator, membershipId, { settleToPool: true, reason: 'Moved to Busan' });

      expect(closed).toMatchObject({ userErrors: [], membership: { status: 'CLOSED' } });
      expect(await position(fixture, fixture.members[0].id)).toMatchObject({ balance: '0', status: 'CLOSED' });
      expect((await fetchAccount(coordinator, fixture.pool.id)).balance).toBe('90');
      expect(await auditRows(t, { communityId: fixture.community.id, action: 'membership.close' })).toEqual([
        expect.objectContaining({
          actorMemberId: fixture.coordinator.memberId,
          actorRole: 'coordinator',
          targetId: membershipId,
          reason: 'Moved to Busan',
          details: { settledToPool: '90' },
        }),
      ]);
    });

    it('a debt is absorbed by the pool: refused, changing nothing, while the pool cannot; accepted once it can', async () => {
      const fixture = await createLedgerFixture(t, [{ lowerLimit: -100n }, { balance: 100n }]);
      const [debtor, donor] = fixture.members;
      const { membershipId } = fixture.holders[0];
      const coordinator = fixture.asCoordinator();
      await pay(fixture.as(debtor), debtor.id, donor.id, 60);
      await pay(fixture.as(donor), donor.id, fixture.pool.id, 59);
      const before = await communityState(t, fixture.community.id);

      const refused = await close(coordinator, membershipId, { settleToPool: true, reason: 'Left owing an hour' });

      expect(refused).toEqual({
        membership: null,
        userErrors: [
          {
            code: 'SETTLEMENT_REFUSED',
            field: ['input', 'settleToPool'],
            message: 'The ledger refused the settlement (a frozen account, or a pool too small to absorb a debt).',
          },
        ],
      });
      expect(await communityState(t, fixture.community.id)).toEqual(before);

      await pay(fixture.as(donor), donor.id, fixture.pool.id, 1);
      const closed = await close(coordinator, membershipId, { settleToPool: true, reason: 'Left owing an hour' });

      expect(closed).toMatchObject({ userErrors: [], membership: { status: 'CLOSED' } });
      expect(await position(fixture, debtor.id)).toMatchObject({ balance: '0', status: 'CLOSED' });
      expect((await fetchAccount(coordinator, fixture.pool.id)).balance).toBe('0');
      expect(await auditRows(t, { communityId: fixture.community.id, action: 'membership.close' })).toEqual([
        expect.objectContaining({
          targetId: membershipId,
          reason: 'Left owing an hour',
          details: { settledToPool: '-60' },
        }),
      ]);
    });

    it('refuses to close an account with open holds, on either side, until they are resolved', async () => {
      const fixture = await createLedgerFixture(t, [{ balance: 100n }, {}]);
      const [payer, payee] = fixture.members;
      const [payerHolder, payeeHolder] = fixture.holders;
      const hold = await pay(fixture.as(payer), payer.id, payee.id, 30, { pending: true });
      const before = await communityState(t, fixture.community.id);

      expect(
        refusalCodes(
          await close(fixture.asCoordinator(), payerHolder.membershipId, { settleToPool: true, reason: 'Leaving' }),
        ),
      ).toEqual(['PENDING_TRANSFERS_OPEN']);
      expect(refusalCodes(await close(fixture.as(payee), payeeHolder.membershipId))).toEqual([
        'PENDING_TRANSFERS_OPEN',
      ]);
      expect(await communityState(t, fixture.community.id)).toEqual(before);

      await succeed(fixture.as(payer), 'voidPendingTransfer', {
        idempotencyKey: newKey(),
        pendingTransferId: hold.transfer!.id,
      });
      expect(await close(fixture.as(payee), payeeHolder.membershipId)).toMatchObject({
        userErrors: [],
        membership: { status: 'CLOSED' },
      });
    });
  });

  describe('admins', () => {
    const communityInput = (policies?: Record<string, unknown>) => {
      const tag = randomUUID().slice(0, 8);
      return {
        slug: `admin-made-${tag}`,
        name: `Admin made ${tag}`,
        currencyCode: 'HOUR',
        currencyName: 'Hour',
        currencySymbol: 'h',
        minorUnitsPerUnit: 60,
        policies,
      };
    };
    const COMMUNITY_EXISTS = 'query($slug: String!) { community(slug: $slug) { id } }';

    it('an admin creates a community with its currency and policies, audited', async () => {
      const admin = await loginAsNewAdmin(t);
      const policies = {
        starterGrant: '180',
        defaultLowerLimit: '-600',
        defaultUpperLimit: '12000',
        autoConfirmSeconds: 7200,
        holdTimeoutSeconds: 3600,
        balancesVisible: true,
      };
      const input = communityInput(policies);

      const { community } = await succeed(admin.client, 'createCommunity', input);

      expect(community).toEqual({
        id: expect.any(String),
        slug: input.slug,
        name: input.name,
        policies,
        currencies: [{ id: expect.any(String), code: 'HOUR', name: 'Hour', symbol: 'h', minorUnitsPerUnit: 60 }],
      });
      expect(await fetchPolicies(t, input.slug)).toEqual(policies);
      expect(await auditRows(t, { communityId: community!.id })).toEqual([
        {
          action: 'community.create',
          actorMemberId: rowId(admin.memberId),
          actorRole: 'admin',
          partnerAppId: null,
          communityId: rowId(community!.id),
          targetType: 'community',
          targetId: rowId(community!.id),
          reason: null,
          details: { policies },
        },
      ]);
    });

    it('refuses contradictory policies at creation, creating nothing', async () => {
      const admin = await loginAsNewAdmin(t);
      const input = communityInput({ starterGrant: '300', defaultUpperLimit: '200' });

      expect(refusalCodes(await mutate(admin.client, 'createCommunity', input))).toEqual(['POLICY_INVALID']);
      expect((await gql<{ community: null }>(t, COMMUNITY_EXISTS, { slug: input.slug })).community).toBeNull();
    });

    it('a coordinator or a member cannot create a community', async () => {
      const fixture = await createLedgerFixture(t, [{}]);
      const input = communityInput();

      expectForbidden(await attempt(fixture.asCoordinator(), 'createCommunity', input));
      expectForbidden(await attempt(fixture.as(fixture.members[0]), 'createCommunity', input));
      expect((await gql<{ community: null }>(t, COMMUNITY_EXISTS, { slug: input.slug })).community).toBeNull();
    });

    it('an admin appoints a member coordinator, who can then manage the community; a coordinator cannot appoint', async () => {
      const fixture = await createLedgerFixture(t, [{}]);
      const admin = await loginAsNewAdmin(t);
      const { memberId, membershipId } = fixture.holders[0];
      const member = fixture.as(fixture.members[0]);
      const input = { communityId: fixture.community.id, memberId };

      expectForbidden(await attempt(fixture.asCoordinator(), 'appointCoordinator', input));
      expectForbidden(await member.graphql(MEMBERSHIPS, { communityId: fixture.community.id }));

      const appointed = await succeed(admin.client, 'appointCoordinator', input);

      expect(appointed.membership).toMatchObject({
        id: globalId('Membership', membershipId),
        memberId: globalId('Member', memberId),
        role: 'COORDINATOR',
        status: 'ACTIVE',
      });
      expect(await membershipsIn(member, fixture.community.id)).toHaveLength(2);
      expect(
        await auditRows(t, { communityId: fixture.community.id, action: 'membership.appoint_coordinator' }),
      ).toEqual([
        {
          action: 'membership.appoint_coordinator',
          actorMemberId: rowId(admin.memberId),
          actorRole: 'admin',
          partnerAppId: null,
          communityId: fixture.community.id,
          targetType: 'membership',
          targetId: membershipId,
          reason: null,
          details: {},
        },
      ]);
    });

    it('appointing someone with no membership gives them an active coordinator membership', async () => {
      const fixture = await createLedgerFixture(t, []);
      const admin = await loginAsNewAdmin(t);
      const newcomer = await registerAndLogIn(t, 'newcomer');

      const appointed = await succeed(admin.client, 'appointCoordinator', {
        communityId: fixture.community.id,
        memberId: newcomer.memberId,
      });

      expect(appointed.membership).toMatchObject({
        memberId: newcomer.memberId,
        communityId: globalId('Community', fixture.community.id),
        role: 'COORDINATOR',
        status: 'ACTIVE',
      });
      expect(await membershipsIn(newcomer.client, fixture.community.id, 'ACTIVE')).toHaveLength(2);
    });
  });

  describe('who sees whom', () => {
    it('members see the profiles of co-members of a shared active community, without their email', async () => {
      const fixture = await createLedgerFixture(t, [{}, {}]);
      const seen = fixture.holders[1];
      const query = (client: GraphqlClient) =>
        gql<{ member: { id: string; displayName: string; email: string | null } }>(client, MEMBER_PROFILE, {
          id: seen.memberId,
        });

      expect((await query(fixture.as(fixture.members[0]))).member).toEqual({
        id: globalId('Member', seen.memberId),
        displayName: expect.any(String),
        email: null,
      });
      expect((await query(fixture.as(fixture.members[1]))).member.email).toEqual(
        expect.stringContaining('@test.example'),
      );
      expect((await query(fixture.asCoordinator())).member.email).toEqual(expect.stringContaining('@test.example'));
    });

    it('strangers and pending applicants get FORBIDDEN, the same answer as for a member who does not exist', async () => {
      const fixture = await createLedgerFixture(t, [{}]);
      const seen = fixture.holders[0].memberId;
      const stranger = await registerAndLogIn(t, 'stranger');
      const applicant = await pendingMember(t, fixture);

      const missing = await stranger.client.graphql(MEMBER_PROFILE, { id: NONEXISTENT_ID });
      expectForbidden(missing);
      expect(await stranger.client.graphql(MEMBER_PROFILE, { id: seen })).toEqual(missing);
      expect(await applicant.client.graphql(MEMBER_PROFILE, { id: seen })).toEqual(missing);
    });

    it.each([
      ['member', 'query($id: ID!) { member(id: $id) { id } }'],
      ['membership', 'query($id: ID!) { membership(id: $id) { id } }'],
    ])('a %s id that is not an id at all is denied like a missing one', async (_, query) => {
      const member = await registerAndLogIn(t, 'typo');

      const missing = await member.client.graphql(query, { id: NONEXISTENT_ID });
      expectForbidden(missing);
      expect(await member.client.graphql(query, { id: 'abc' })).toEqual(missing);
    });

    it("finds a community's memberships by part of the member's name or email, in any case, wildcards taken as written", async () => {
      const fixture = await createLedgerFixture(t, [{}, {}]);
      const [first, second] = fixture.holders;
      const SEARCH = `query Search($communityId: ID!, $query: String) {
        memberships(communityId: $communityId, query: $query, first: 100) { edges { node { id member { email displayName } } } }
      }`;
      type Found = {
        memberships: { edges: { node: { id: string; member: { email: string; displayName: string } } }[] };
      };
      const search = async (query: string) =>
        (
          await gql<Found>(fixture.asCoordinator(), SEARCH, { communityId: fixture.community.id, query })
        ).memberships.edges.map((edge) => edge.node);
      const everyone = await search('');
      const mine = everyone.find((node) => node.id === globalId('Membership', first.membershipId))!;
      const byEmail = mine.member.email.split('@')[0].toUpperCase();
      const byName = mine.member.displayName.toLowerCase();

      expect((await search(byEmail)).map((node) => node.id)).toEqual([mine.id]);
      expect((await search(byName)).map((node) => node.id)).toEqual([mine.id]);
      expect(await search('%')).toEqual([]);
      expect(await search('_')).toEqual([]);
      expect((await search('@test.example')).map((node) => node.id)).toEqual(
        expect.arrayContaining([mine.id, globalId('Membership', second.membershipId)]),
      );
      const tooLong = await fixture
        .asCoordinator()
        .graphql(SEARCH, { communityId: fixture.community.id, query: 'x'.repeat(101) });
      expect(tooLong.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it("lists a community's memberships for its managers only", async () => {
      const fixture = await createLedgerFixture(t, [{}, {}]);
      const other = await createLedgerFixture(t, []);
      const applicant = await pendingMember(t, fixture);
      const expected = [
        ...fixture.holders.map((holder) => globalId('Membership', holder.membershipId)),
        globalId('Membership', fixture.coordinator.membershipId),
        applicant.membership.id,
      ];

      expect(
        (await membershipsIn(fixture.asCoordinator(), fixture.community.id)).map((membership) => membership.id),
      ).toEqual(expected);
      expect(
        (await membershipsIn(fixture.asCoordinator(), fixture.community.id, 'PENDING')).map(
          (membership) => membership.id,
        ),
      ).toEqual([applicant.membership.id]);
      for (const client of [fixture.as(fixture.members[0]), applicant.client, other.asCoordinator()]) {
        expectForbidden(await client.graphql(MEMBERSHIPS, { communityId: fixture.community.id }));
      }
    });
  });
});
