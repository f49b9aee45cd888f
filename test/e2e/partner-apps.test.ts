import { ErrorCode } from '../../libs/graphql/error-code.js';
import { createLedgerFixture, fund, LedgerFixture } from '../support/ledger-fixture.js';
import { GraphqlClient, useTestApp } from '../support/test-app.js';
import { MembershipRole } from '../../src/members/models/member-enums.js';
import {
  asPartner,
  GRANT_PARTNER_CONSENT,
  grantPartnerConsent,
  loginAsNewAdmin,
  PartnerAppKeyView,
  PartnerAppView,
  registerPartnerApp,
  REGISTER_PARTNER_APP,
  REVOKE_PARTNER_APP,
  REVOKE_PARTNER_CONSENT,
  revokePartnerConsent,
  ROTATE_PARTNER_APP_KEY,
} from './auth-client.js';
import { expectForbidden, expectRequestRefused } from './denials.js';
import { createTransfer, fetchAccount, gql, newKey, TRANSFER_FIELDS, transferInput } from './graphql-client.js';
import { auditRows } from './member-client.js';
import { globalId, rowId } from '../support/global-ids.js';

const { FORBIDDEN } = ErrorCode;

const ACCOUNT = 'query Account($id: ID!) { account(id: $id) { id balance } }';
const ACCOUNTS =
  'query Accounts($currencyId: ID!) { accounts(currencyId: $currencyId, first: 100) { edges { node { id kind balance } } } }';
const TRANSFER = `query Transfer($id: ID!) { transfer(id: $id) { ${TRANSFER_FIELDS} } }`;
const TRANSFERS =
  'query Transfers($currencyId: ID) { transfers(currencyId: $currencyId) { edges { node { id amount } } } }';
const TRIAL_BALANCE =
  'query TrialBalance($currencyId: ID!) { trialBalance(currencyId: $currencyId) { total balanced lines { kind accountCount balance } } }';
const MEMBERSHIPS =
  'query Memberships($communityId: ID!) { memberships(communityId: $communityId) { edges { node { id } } } }';
const PARTNER_APPS =
  'query PartnerApps($communityId: ID!) { partnerApps(communityId: $communityId) { id name scopes revokedAt } }';
const CREATE_TRANSFER =
  'mutation Pay($input: CreateTransferInput!) { createTransfer(input: $input) { transfer { id } userErrors { code } } }';
const GRANT_CREDITS =
  'mutation Grant($input: GrantCreditsInput!) { grantCredits(input: $input) { transfer { id } userErrors { code } } }';
const FREEZE_ACCOUNT =
  'mutation Freeze($input: AccountStatusInput!) { freezeAccount(input: $input) { account { id status } userErrors { code } } }';

/**
 * Partner apps through GraphQL over real HTTP: registered by a coordinator for one community,
 * reading it with AUDIT_READ, acting for consenting members with ACT_FOR_MEMBER, and ending at once
 * when their key is rotated or the app (or a member's consent) is revoked.
 */
describe('partner apps over GraphQL', () => {
  const t = useTestApp(4);

  /** A community whose first member holds 100 and has paid the second 30, so that there is a transfer to audit. */
  const communityWithPayment = async (): Promise<{ fixture: LedgerFixture; transferId: string }> => {
    const fixture = await createLedgerFixture(t, [{ balance: 100n }, {}]);
    const [payer, payee] = fixture.members;
    const payment = await createTransfer(fixture.as(payer), transferInput(payer.id, payee.id, 30));
    expect(payment.userErrors).toEqual([]);
    return { fixture, transferId: payment.transfer!.id };
  };
  const registerApp = (fixture: LedgerFixture, scopes: string[]): Promise<PartnerAppKeyView> =>
    registerPartnerApp(fixture.asCoordinator(), fixture.community.id, scopes, `App for ${fixture.community.slug}`);
  /** A read any AUDIT_READ app may make of its own community: whether its key still works. */
  const readTrialBalance = (client: GraphqlClient, fixture: LedgerFixture) =>
    client.graphql(TRIAL_BALANCE, { currencyId: fixture.currency.id });
  const rotate = (client: GraphqlClient, partnerAppId: string) =>
    client.graphql<{ rotatePartnerAppKey: PartnerAppKeyView }>(ROTATE_PARTNER_APP_KEY, { id: partnerAppId });
  const revoke = (client: GraphqlClient, partnerAppId: string, reason?: string) =>
    client.graphql<{ revokePartnerApp: PartnerAppView }>(REVOKE_PARTNER_APP, { id: partnerAppId, reason });
  const grantCreditsInput = (accountId: string) => ({
    accountId,
    amount: '10',
    idempotencyKey: newKey(),
    source: 'ISSUANCE',
    reason: 'partner test',
  });

  describe('AUDIT_READ', () => {
    it("registered by a coordinator, its key (shown once) reads its community's accounts, transfers and trial balance", async () => {
      const { fixture, transferId } = await communityWithPayment();
      const [payer, payee] = fixture.members;

      const { apiKey, partnerApp } = await registerApp(fixture, ['AUDIT_READ']);

      expect(apiKey).toMatch(/^pk_/);
      expect(partnerApp).toEqual({
        id: expect.any(String),
        name: `App for ${fixture.community.slug}`,
        communityId: globalId('Community', fixture.community.id),
        scopes: ['AUDIT_READ'],
        createdAt: expect.any(String),
        revokedAt: null,
      });
      expect(
        (
          await gql<{ partnerApps: unknown[] }>(fixture.asCoordinator(), PARTNER_APPS, {
            communityId: fixture.community.id,
          })
        ).partnerApps,
      ).toEqual([{ id: partnerApp.id, name: partnerApp.name, scopes: ['AUDIT_READ'], revokedAt: null }]);

      const app = asPartner(t, apiKey);
      const accounts = (
        await gql<{ accounts: { edges: { node: { id: string; balance: string } }[] } }>(app, ACCOUNTS, {
          currencyId: fixture.currency.id,
        })
      ).accounts;
      expect(accounts.edges.map(({ node }) => node)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: globalId('Account', payer.id), balance: '70' }),
          expect.objectContaining({ id: globalId('Account', payee.id), balance: '30' }),
        ]),
      );
      expect((await gql<{ account: unknown }>(app, ACCOUNT, { id: payer.id })).account).toEqual({
        id: globalId('Account', payer.id),
        balance: '70',
      });
      expect(
        (await gql<{ transfer: { id: string; amount: string } }>(app, TRANSFER, { id: transferId })).transfer,
      ).toMatchObject({ id: transferId, amount: '30' });
      expect(
        (
          await gql<{ transfers: { edges: { node: { id: string } }[] } }>(app, TRANSFERS, {
            currencyId: fixture.currency.id,
          })
        ).transfers.edges,
      ).toContainEqual({ node: { id: transferId, amount: '30' } });
      expect(
        (
          await gql<{ trialBalance: { total: string; balanced: boolean } }>(app, TRIAL_BALANCE, {
            currencyId: fixture.currency.id,
          })
        ).trialBalance,
      ).toMatchObject({ total: '0', balanced: true });
    });

    it('reads nothing of another community (FORBIDDEN) and writes nothing in its own', async () => {
      const own = await communityWithPayment();
      const other = await communityWithPayment();
      const [payer, payee] = own.fixture.members;
      const app = asPartner(t, (await registerApp(own.fixture, ['AUDIT_READ'])).apiKey);

      // Another community's books, and its own community's memberships, which are for coordinators.
      const refusedReads: [string, Record<string, unknown>][] = [
        [ACCOUNT, { id: other.fixture.members[0].id }],
        [ACCOUNTS, { currencyId: other.fixture.currency.id }],
        [TRANSFER, { id: other.transferId }],
        [TRANSFERS, { currencyId: other.fixture.currency.id }],
        [TRIAL_BALANCE, { currencyId: other.fixture.currency.id }],
        [MEMBERSHIPS, { communityId: own.fixture.community.id }],
      ];
      for (const [query, variables] of refusedReads) expectForbidden(await app.graphql(query, variables));

      const writes: [string, Record<string, unknown>][] = [
        [CREATE_TRANSFER, { input: transferInput(payer.id, payee.id, 5) }],
        [CREATE_TRANSFER, { input: transferInput(own.fixture.issuance.id, payee.id, 5) }],
        [GRANT_CREDITS, { input: grantCreditsInput(payee.id) }],
        [FREEZE_ACCOUNT, { input: { accountId: payee.id, reason: 'partner test' } }],
      ];
      for (const [mutation, variables] of writes) expectForbidden(await app.graphql(mutation, variables));

      expect(await fetchAccount(app, payer.id)).toMatchObject({ balance: '70', version: '2', status: 'OPEN' });
      expect(await fetchAccount(app, payee.id)).toMatchObject({ balance: '30', version: '1', status: 'OPEN' });
    });
  });

  describe('keys and revocation', () => {
    it('rotating the key: the old key gets 401 at once, the new one works', async () => {
      const { fixture } = await communityWithPayment();
      const { apiKey: oldKey, partnerApp } = await registerApp(fixture, ['AUDIT_READ']);

      const rotated = await rotate(fixture.asCoordinator(), partnerApp.id);

      expect(rotated.errors).toBeUndefined();
      const { apiKey: replacementKey, partnerApp: sameApp } = rotated.data!.rotatePartnerAppKey;
      expect(replacementKey).toMatch(/^pk_/);
      expect(replacementKey).not.toBe(oldKey);
      expect(sameApp.id).toBe(partnerApp.id);
      expectRequestRefused(await readTrialBalance(asPartner(t, oldKey), fixture), 401);
      expect((await readTrialBalance(asPartner(t, replacementKey), fixture)).errors).toBeUndefined();
    });

    it('revoking the app: its key gets 401 at once, and it cannot be given a new key', async () => {
      const { fixture } = await communityWithPayment();
      const { apiKey, partnerApp } = await registerApp(fixture, ['AUDIT_READ']);
      expect((await readTrialBalance(asPartner(t, apiKey), fixture)).errors).toBeUndefined();

      const revoked = await revoke(fixture.asCoordinator(), partnerApp.id, 'contract ended');

      expect(revoked.errors).toBeUndefined();
      expect(revoked.data!.revokePartnerApp).toMatchObject({ id: partnerApp.id, revokedAt: expect.any(String) });
      expectRequestRefused(await readTrialBalance(asPartner(t, apiKey), fixture), 401);
      expectForbidden(await rotate(fixture.asCoordinator(), partnerApp.id));
    });

    it('a coordinator of another community cannot register, list, rotate or revoke the app; nor can a plain member', async () => {
      const { fixture } = await communityWithPayment();
      const { fixture: otherFixture } = await communityWithPayment();
      const { apiKey, partnerApp } = await registerApp(fixture, ['AUDIT_READ']);
      const outsiders = [otherFixture.asCoordinator(), fixture.as(fixture.members[0])];

      for (const outsider of outsiders) {
        expectForbidden(
          await outsider.graphql(REGISTER_PARTNER_APP, {
            input: { communityId: fixture.community.id, name: 'Intruder', scopes: ['AUDIT_READ'] },
          }),
        );
        expectForbidden(await outsider.graphql(PARTNER_APPS, { communityId: fixture.community.id }));
        expectForbidden(await rotate(outsider, partnerApp.id));
        expectForbidden(await revoke(outsider, partnerApp.id));
      }

      // The app is untouched: its one key still works, and no intruder's app was registered.
      expect((await readTrialBalance(asPartner(t, apiKey), fixture)).errors).toBeUndefined();
      expect(
        (
          await gql<{ partnerApps: { id: string }[] }>(fixture.asCoordinator(), PARTNER_APPS, {
            communityId: fixture.community.id,
          })
        ).partnerApps,
      ).toEqual([expect.objectContaining({ id: partnerApp.id, revokedAt: null })]);
    });

    it('an admin manages the apps of any community', async () => {
      const { fixture } = await communityWithPayment();
      const { client: admin } = await loginAsNewAdmin(t);

      const { apiKey, partnerApp } = await registerPartnerApp(admin, fixture.community.id, ['AUDIT_READ']);
      expect((await readTrialBalance(asPartner(t, apiKey), fixture)).errors).toBeUndefined();
      expect((await revoke(admin, partnerApp.id)).errors).toBeUndefined();

      expectRequestRefused(await readTrialBalance(asPartner(t, apiKey), fixture), 401);
    });
  });

  describe('ACT_FOR_MEMBER', () => {
    it("without the member's consent, X-Acting-For fails the request with 403 FORBIDDEN", async () => {
      const { fixture } = await communityWithPayment();
      const member = fixture.holders[0];
      const actingApp = await registerApp(fixture, ['ACT_FOR_MEMBER']);
      const auditApp = await registerApp(fixture, ['AUDIT_READ']);

      expectRequestRefused(
        await asPartner(t, actingApp.apiKey, member.memberId).graphql(ACCOUNT, { id: member.account.id }),
        403,
      );

      // An app without the scope cannot be given consent, nor act for anyone.
      expectForbidden(await fixture.as(member.account).graphql(GRANT_PARTNER_CONSENT, { id: auditApp.partnerApp.id }));
      expectRequestRefused(
        await asPartner(t, auditApp.apiKey, member.memberId).graphql(ACCOUNT, { id: member.account.id }),
        403,
      );
      // X-Acting-For belongs with a partner key only.
      expectRequestRefused(
        await t
          .as(fixture.coordinator.token, { 'x-acting-for': member.memberId })
          .graphql(ACCOUNT, { id: member.account.id }),
        401,
      );
    });

    it("keeps the keys an app uses for a member apart from the member's own: one key through each makes two payments", async () => {
      const { fixture } = await communityWithPayment();
      const [payer, payee] = fixture.holders;
      const { apiKey, partnerApp } = await registerApp(fixture, ['ACT_FOR_MEMBER']);
      expect(await grantPartnerConsent(fixture.as(payer.account), partnerApp.id)).toBe(true);
      const idempotencyKey = newKey('app-and-member');

      const byMember = await createTransfer(
        fixture.as(payer.account),
        transferInput(payer.account.id, payee.account.id, 10, { idempotencyKey }),
      );
      const byApp = await createTransfer(
        asPartner(t, apiKey, payer.memberId),
        transferInput(payer.account.id, payee.account.id, 5, { idempotencyKey }),
      );

      expect([byMember.userErrors, byApp.userErrors]).toEqual([[], []]);
      expect(byApp).toMatchObject({ replayed: false, transfer: { amount: '5' } });
      expect(await fetchAccount(fixture.as(payer.account), payer.account.id)).toMatchObject({ balance: '55' });
    });

    it("with consent, reads the member's account and pays from it, only within the app's community", async () => {
      const { fixture } = await communityWithPayment();
      const elsewhere = await createLedgerFixture(t, [{}]);
      const [payer, payee] = fixture.holders;
      // The payer also belongs to another community, with money there.
      const foreignMembership = await t.members.admit(payer.memberId, elsewhere.community.id, MembershipRole.MEMBER);
      await fund(t.ledger, elsewhere.issuance.id, foreignMembership.accountId, 50n);
      const { apiKey, partnerApp } = await registerApp(fixture, ['ACT_FOR_MEMBER']);

      expect(await grantPartnerConsent(fixture.as(payer.account), partnerApp.id)).toBe(true);
      const actingForPayer = asPartner(t, apiKey, payer.memberId);

      expect(await fetchAccount(actingForPayer, payer.account.id)).toMatchObject({ balance: '70' });
      const payment = await createTransfer(actingForPayer, transferInput(payer.account.id, payee.account.id, 20));
      expect(payment).toMatchObject({
        userErrors: [],
        transfer: {
          debitAccountId: globalId('Account', payer.account.id),
          creditAccountId: globalId('Account', payee.account.id),
          amount: '20',
        },
      });
      expect(await fetchAccount(actingForPayer, payer.account.id)).toMatchObject({ balance: '50' });

      // Not the payee's account, and nothing of the payer's other community, though the payer in person may read it.
      expectForbidden(await actingForPayer.graphql(ACCOUNT, { id: payee.account.id }));
      expectForbidden(
        await actingForPayer.graphql(CREATE_TRANSFER, { input: transferInput(payee.account.id, payer.account.id, 5) }),
      );
      expectForbidden(await actingForPayer.graphql(ACCOUNT, { id: foreignMembership.accountId }));
      expectForbidden(
        await actingForPayer.graphql(CREATE_TRANSFER, {
          input: transferInput(foreignMembership.accountId, elsewhere.members[0].id, 5),
        }),
      );
      expect(await fetchAccount(fixture.as(payer.account), foreignMembership.accountId)).toMatchObject({
        balance: '50',
      });
    });

    it("reaches nothing of the member's other communities: not the membership there, its history, nor the co-members' profiles", async () => {
      const { fixture } = await communityWithPayment();
      const elsewhere = await createLedgerFixture(t, [{}]);
      const member = fixture.holders[0];
      const foreignMembership = await t.members.admit(member.memberId, elsewhere.community.id, MembershipRole.MEMBER);
      const foreignCoMember = elsewhere.holders[0];
      const { apiKey, partnerApp } = await registerApp(fixture, ['ACT_FOR_MEMBER']);
      await grantPartnerConsent(fixture.as(member.account), partnerApp.id);
      const actingForMember = asPartner(t, apiKey, member.memberId);
      const reads: Record<string, [string, Record<string, unknown>]> = {
        membership: ['query($id: ID!) { membership(id: $id) { id status role } }', { id: foreignMembership.id }],
        transfers: [
          'query($id: ID) { transfers(accountId: $id) { edges { node { id } } } }',
          { id: foreignMembership.accountId },
        ],
        coMember: ['query($id: ID!) { member(id: $id) { id displayName } }', { id: foreignCoMember.memberId }],
      };
      /** For each read: the code it was refused with, or 'answered'. */
      const outcomes = async (client: GraphqlClient): Promise<Record<string, unknown>> =>
        Object.fromEntries(
          await Promise.all(
            Object.entries(reads).map(async ([name, [query, variables]]) => {
              const response = await client.graphql(query, variables);
              return [name, response.errors ? response.errors.map((error) => error.extensions?.code) : 'answered'];
            }),
          ),
        );

      // In person, the member sees all of it; through the app, none of it.
      expect(await outcomes(fixture.as(member.account))).toEqual({
        membership: 'answered',
        transfers: 'answered',
        coMember: 'answered',
      });
      expect(await outcomes(actingForMember)).toEqual({
        membership: [FORBIDDEN],
        transfers: [FORBIDDEN],
        coMember: [FORBIDDEN],
      });
    });

    it("acting for a coordinator gives none of the coordinator's powers", async () => {
      const { fixture } = await communityWithPayment();
      const { coordinator } = fixture;
      const member = fixture.members[0];
      const { apiKey, partnerApp } = await registerApp(fixture, ['ACT_FOR_MEMBER']);
      expect(await grantPartnerConsent(fixture.asCoordinator(), partnerApp.id)).toBe(true);
      const actingForCoordinator = asPartner(t, apiKey, coordinator.memberId);

      // The coordinator's own account is theirs to read, as for any member.
      expect(await fetchAccount(actingForCoordinator, coordinator.account.id)).toMatchObject({
        id: globalId('Account', coordinator.account.id),
      });
      const powers: [string, Record<string, unknown>][] = [
        [ACCOUNT, { id: member.id }],
        [TRIAL_BALANCE, { currencyId: fixture.currency.id }],
        [MEMBERSHIPS, { communityId: fixture.community.id }],
        [PARTNER_APPS, { communityId: fixture.community.id }],
        [GRANT_CREDITS, { input: grantCreditsInput(member.id) }],
        [CREATE_TRANSFER, { input: transferInput(fixture.issuance.id, member.id, 5) }],
        [FREEZE_ACCOUNT, { input: { accountId: member.id, reason: 'partner test' } }],
        [ROTATE_PARTNER_APP_KEY, { id: partnerApp.id }],
        [
          REGISTER_PARTNER_APP,
          { input: { communityId: fixture.community.id, name: 'Self-made', scopes: ['AUDIT_READ'] } },
        ],
        // Consent is the member's own decision, in person.
        [GRANT_PARTNER_CONSENT, { id: partnerApp.id }],
      ];
      for (const [operation, variables] of powers)
        expectForbidden(await actingForCoordinator.graphql(operation, variables));

      // In person the coordinator may read the member's account: the refusal above is the app's limit, not the coordinator's.
      expect(await fetchAccount(fixture.asCoordinator(), member.id)).toMatchObject({ balance: '70', status: 'OPEN' });
    });

    it("acting for a member reads neither the member's email nor changes their profile or their consents to other apps", async () => {
      const { fixture } = await communityWithPayment();
      const member = fixture.holders[0];
      const { apiKey, partnerApp } = await registerApp(fixture, ['ACT_FOR_MEMBER']);
      const otherApp = await registerApp(fixture, ['ACT_FOR_MEMBER']);
      const inPerson = fixture.as(member.account);
      await grantPartnerConsent(inPerson, partnerApp.id);
      await grantPartnerConsent(inPerson, otherApp.partnerApp.id);
      const actingForMember = asPartner(t, apiKey, member.memberId);
      const profile =
        'query Profile($id: ID!) { me { id email displayName } member(id: $id) { id email displayName } }';
      const before = await gql<{ me: { email: string | null; displayName: string } }>(inPerson, profile, {
        id: member.memberId,
      });
      expect(before.me.email).toEqual(expect.any(String));

      const seenByApp = await gql<{ me: unknown; member: unknown }>(actingForMember, profile, { id: member.memberId });
      expectForbidden(
        await actingForMember.graphql('mutation { updateProfile(input: { displayName: "Renamed by an app" }) { id } }'),
      );
      expectForbidden(await actingForMember.graphql(REVOKE_PARTNER_CONSENT, { id: otherApp.partnerApp.id }));

      expect(seenByApp).toEqual({ me: { ...before.me, email: null }, member: { ...before.me, email: null } });
      expect(await gql(inPerson, profile, { id: member.memberId })).toEqual(before);
      expect(await fetchAccount(asPartner(t, otherApp.apiKey, member.memberId), member.account.id)).toMatchObject({
        id: globalId('Account', member.account.id),
      });
    });

    it('after the member revokes consent, the app gets 403 at once', async () => {
      const { fixture } = await communityWithPayment();
      const member = fixture.holders[0];
      const { apiKey, partnerApp } = await registerApp(fixture, ['ACT_FOR_MEMBER']);
      await grantPartnerConsent(fixture.as(member.account), partnerApp.id);
      const actingForMember = asPartner(t, apiKey, member.memberId);
      expect(await fetchAccount(actingForMember, member.account.id)).toMatchObject({ balance: '70' });

      expect(await revokePartnerConsent(fixture.as(member.account), partnerApp.id)).toBe(true);

      expectRequestRefused(await actingForMember.graphql(ACCOUNT, { id: member.account.id }), 403);
      expect(await revokePartnerConsent(fixture.as(member.account), partnerApp.id)).toBe(false);
    });
  });

  it("writes an audit_log row for registering, rotating, consent granted and withdrawn, and revoking, in the app's community", async () => {
    const { fixture } = await communityWithPayment();
    const member = fixture.holders[0];
    const { partnerApp } = await registerApp(fixture, ['ACT_FOR_MEMBER']);
    expect((await rotate(fixture.asCoordinator(), partnerApp.id)).errors).toBeUndefined();
    await grantPartnerConsent(fixture.as(member.account), partnerApp.id);
    await revokePartnerConsent(fixture.as(member.account), partnerApp.id);
    expect((await revoke(fixture.asCoordinator(), partnerApp.id, 'no longer needed')).errors).toBeUndefined();

    const rows = await auditRows(t, {
      communityId: fixture.community.id,
      targetType: 'partner_app',
      targetId: partnerApp.id,
    });

    const target = {
      communityId: fixture.community.id,
      targetType: 'partner_app',
      targetId: rowId(partnerApp.id),
      partnerAppId: null,
    };
    const byCoordinator = { ...target, actorRole: 'coordinator', actorMemberId: fixture.coordinator.memberId };
    const byMember = { ...target, actorRole: 'member', actorMemberId: member.memberId };
    expect(rows).toEqual([
      { action: 'partner_app.register', ...byCoordinator, reason: null, details: expect.anything() },
      { action: 'partner_app.rotate_key', ...byCoordinator, reason: null, details: expect.anything() },
      { action: 'partner_consent.grant', ...byMember, reason: null, details: expect.anything() },
      { action: 'partner_consent.revoke', ...byMember, reason: null, details: expect.anything() },
      { action: 'partner_app.revoke', ...byCoordinator, reason: 'no longer needed', details: expect.anything() },
    ]);
  });
});
