import { ErrorCode } from '../../libs/graphql/error-code.js';
import { createLedgerFixture, LedgerFixture } from '../support/ledger-fixture.js';
import { useTestApp } from '../support/test-app.js';
import {
  AuthPayloadView,
  AuthTokensView,
  expectAuthRefusal,
  expectSessionEnded,
  expectSessionLive,
  GOOD_PASSWORD,
  login,
  loginOrFail,
  LOGOUT,
  ME,
  refreshTokens,
  register,
  REGISTER,
  registerAndLogIn,
  registerMember,
  uniqueEmail,
} from './auth-client.js';
import { expectForbidden, expectQueryRefused, expectRequestRefused } from './denials.js';
import { expectInvalidInput, gql, newKey } from './graphql-client.js';
import { expectWeakPassword } from './weak-passwords.js';
import { globalId } from '../support/global-ids.js';

const WRONG_PASSWORD = 'not the right password';

const ACCEPT_INVITATION = `mutation Accept($input: AcceptInvitationInput!) {
  acceptInvitation(input: $input) { tokens { accessToken refreshToken memberId } userErrors { code message } }
}`;
const INVITE_MEMBER = `mutation Invite($input: InviteMemberInput!) {
  inviteMember(input: $input) { invitationToken membership { id memberId communityId role status } userErrors { code field message } }
}`;

interface InvitationView {
  invitationToken: string | null;
  membership: { id: string; memberId: string; communityId: string; role: string; status: string } | null;
  userErrors: { code: string }[];
}

/**
 * Logins, sessions and invitations through GraphQL over real HTTP. Every test file speaks from
 * 127.0.0.1, whose per-address limits the test app multiplies; each test uses fresh emails, so that
 * the per-email limits hold as in production. abuse-limits.test.ts covers the limits themselves.
 */
describe('identity over GraphQL', () => {
  const t = useTestApp(4);

  const countMembersWithEmail = async (email: string): Promise<number> =>
    Number(
      (await t.dataSource.query('SELECT count(*) AS n FROM members WHERE email = $1', [email.toLowerCase()]))[0].n,
    );

  describe('registering and logging in', () => {
    it('registers a member who logs in with an access and a refresh token; me answers with the access token', async () => {
      const { memberId, email, password } = await registerMember(t, 'newcomer');

      const tokens = await loginOrFail(t, email, password);

      expect(tokens).toEqual({
        memberId,
        accessToken: expect.stringMatching(/^pa_/),
        refreshToken: expect.stringMatching(/^pr_/),
        accessTokenExpiresAt: expect.any(String),
        refreshTokenExpiresAt: expect.any(String),
      });
      // The access token is the short-lived one; both are still valid.
      expect(Date.parse(tokens.accessTokenExpiresAt)).toBeGreaterThan(Date.now());
      expect(Date.parse(tokens.refreshTokenExpiresAt)).toBeGreaterThan(Date.parse(tokens.accessTokenExpiresAt));
      expect((await gql<{ me: unknown }>(t.as(tokens.accessToken), ME)).me).toEqual({
        id: memberId,
        email,
        displayName: 'Member newcomer',
      });
    });

    it('treats the email case-insensitively: any casing logs in, and another casing is EMAIL_TAKEN', async () => {
      const email = uniqueEmail('Ada.Lovelace').replace(/@.*/, (domain) => domain.toUpperCase());
      const first = await register(t, { email, password: GOOD_PASSWORD, displayName: 'Ada' });
      expect(first.userErrors).toEqual([]);

      const tokens = await loginOrFail(t, email.toUpperCase(), GOOD_PASSWORD);
      const second = await register(t, {
        email: email.toLowerCase(),
        password: GOOD_PASSWORD,
        displayName: 'Another Ada',
      });

      expect(tokens.memberId).toBe(first.member!.id);
      expect((await gql<{ me: { email: string } }>(t.as(tokens.accessToken), ME)).me.email).toBe(email.toLowerCase());
      expect(second).toEqual({
        member: null,
        userErrors: [{ code: 'EMAIL_TAKEN', field: expect.any(Array), message: expect.any(String) }],
      });
      expect(await countMembersWithEmail(email)).toBe(1);
    });

    it('refuses a password under 10 characters as the userError INVALID_INPUT and creates no member; 10 characters is enough', async () => {
      const refusedEmail = uniqueEmail('short');
      const acceptedEmail = uniqueEmail('ten');

      const refused = await t.graphql(REGISTER, {
        input: { email: refusedEmail, password: '123456789', displayName: 'Short' },
      });
      const accepted = await register(t, { email: acceptedEmail, password: 'tram-oak-9', displayName: 'Ten' });

      expectInvalidInput(refused, [['input', 'password']]);
      expect(await countMembersWithEmail(refusedEmail)).toBe(0);
      expect(accepted.userErrors).toEqual([]);
      expect(await countMembersWithEmail(acceptedEmail)).toBe(1);
    });

    it("refuses a common password, a repeated character and one made of the member's own email or name: the userError PASSWORD_TOO_WEAK, no member", async () => {
      const email = uniqueEmail('jeong.haneul');
      const weak = ['1234567890', '          ', 'password1234', `${email.split('@')[0]}!`, 'Jeong Haneul 2024'];

      for (const password of weak) {
        expectWeakPassword(
          await t.graphql(REGISTER, { input: { email, password, displayName: 'Jeong Haneul' } }),
          'password',
        );
      }

      expect(await countMembersWithEmail(email)).toBe(0);
    });
  });

  describe('failed logins', () => {
    it('answers a wrong password and an unknown email alike: INVALID_CREDENTIALS with the same message', async () => {
      const { email } = await registerMember(t, 'victim');

      const wrongPassword = await login(t, email, WRONG_PASSWORD);
      const unknownEmail = await login(t, uniqueEmail('nobody'), GOOD_PASSWORD);

      expectAuthRefusal(wrongPassword, 'INVALID_CREDENTIALS');
      expect(unknownEmail).toEqual(wrongPassword);
    });

    it('after 5 failures for one email (in any casing) refuses even the right password with TOO_MANY_ATTEMPTS; other emails still log in', async () => {
      const { email, password } = await registerMember(t, 'guessed');
      const bystander = await registerMember(t, 'bystander');

      for (const casing of [email, email.toUpperCase(), email, email.toUpperCase(), email]) {
        expectAuthRefusal(await login(t, casing, WRONG_PASSWORD), 'INVALID_CREDENTIALS');
      }

      expectAuthRefusal(await login(t, email, password), 'TOO_MANY_ATTEMPTS');
      await loginOrFail(t, bystander.email, bystander.password);
    });

    it("clears an email's failures on a successful login", async () => {
      const { email, password } = await registerMember(t, 'forgetful');
      for (let attempt = 0; attempt < 4; attempt += 1)
        expectAuthRefusal(await login(t, email, WRONG_PASSWORD), 'INVALID_CREDENTIALS');
      await loginOrFail(t, email, password);

      // Without the clearing this would be the fifth failure in the window, and the next login would be refused.
      expectAuthRefusal(await login(t, email, WRONG_PASSWORD), 'INVALID_CREDENTIALS');

      await loginOrFail(t, email, password);
    });
  });

  describe('refreshing tokens', () => {
    const refreshOrFail = async (refreshToken: string): Promise<AuthTokensView> => {
      const payload: AuthPayloadView = await refreshTokens(t, refreshToken);
      expect(payload.userErrors).toEqual([]);
      return payload.tokens!;
    };

    it('rotates both tokens: the new access token works and the old one gets 401 at once', async () => {
      const { memberId, tokens: first } = await registerAndLogIn(t, 'rotating');

      const second = await refreshOrFail(first.refreshToken);

      expect(second).toMatchObject({
        memberId,
        accessToken: expect.stringMatching(/^pa_/),
        refreshToken: expect.stringMatching(/^pr_/),
      });
      expect(second.accessToken).not.toBe(first.accessToken);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      await expectSessionLive(t, second.accessToken, memberId);
      await expectSessionEnded(t, first.accessToken);
    });

    it("refuses a reused refresh token with INVALID_REFRESH_TOKEN and ends that session; the member's other sessions go on", async () => {
      const { memberId, email, tokens: first } = await registerAndLogIn(t, 'replayed');
      const otherSession = await loginOrFail(t, email, GOOD_PASSWORD);
      const second = await refreshOrFail(first.refreshToken);

      expectAuthRefusal(await refreshTokens(t, first.refreshToken), 'INVALID_REFRESH_TOKEN');

      // Whoever holds the newest tokens may be the thief: they stop working too.
      await expectSessionEnded(t, second.accessToken);
      expectAuthRefusal(await refreshTokens(t, second.refreshToken), 'INVALID_REFRESH_TOKEN');
      await expectSessionLive(t, otherSession.accessToken, memberId);
    });

    it('ends the session when a refresh token from two rotations ago is used again', async () => {
      const { tokens: first } = await registerAndLogIn(t, 'replayed-late');
      const second = await refreshOrFail(first.refreshToken);
      const third = await refreshOrFail(second.refreshToken);

      expectAuthRefusal(await refreshTokens(t, first.refreshToken), 'INVALID_REFRESH_TOKEN');

      await expectSessionEnded(t, third.accessToken);
      expectAuthRefusal(await refreshTokens(t, third.refreshToken), 'INVALID_REFRESH_TOKEN');
    });

    it('refuses an unknown refresh token, and an access token offered as one', async () => {
      const { tokens } = await registerAndLogIn(t, 'confused');

      expectAuthRefusal(await refreshTokens(t, `pr_${newKey('unknown')}`), 'INVALID_REFRESH_TOKEN');
      expectAuthRefusal(await refreshTokens(t, tokens.accessToken), 'INVALID_REFRESH_TOKEN');
    });
  });

  describe('logging out', () => {
    /** A fresh member with `count` sessions, each from its own login. */
    const sessions = async (label: string, count: number): Promise<{ memberId: string; tokens: AuthTokensView[] }> => {
      const { memberId, email, password } = await registerMember(t, label);
      const tokens: AuthTokensView[] = [];
      for (let index = 0; index < count; index += 1) tokens.push(await loginOrFail(t, email, password));
      return { memberId, tokens };
    };
    const logout = async (accessToken: string, everywhere: boolean): Promise<number> =>
      (await gql<{ logout: number }>(t.as(accessToken), LOGOUT, { everywhere })).logout;

    it('ends this session at once, refresh token included; other sessions go on', async () => {
      const {
        memberId,
        tokens: [ending, staying],
      } = await sessions('leaving', 2);

      expect(await logout(ending.accessToken, false)).toBe(1);

      await expectSessionEnded(t, ending.accessToken);
      expectAuthRefusal(await refreshTokens(t, ending.refreshToken), 'INVALID_REFRESH_TOKEN');
      await expectSessionLive(t, staying.accessToken, memberId);
    });

    it('with everywhere: true ends every session of the member', async () => {
      const { tokens } = await sessions('leaving-everywhere', 3);

      expect(await logout(tokens[0].accessToken, true)).toBe(3);

      for (const session of tokens) {
        await expectSessionEnded(t, session.accessToken);
        expectAuthRefusal(await refreshTokens(t, session.refreshToken), 'INVALID_REFRESH_TOKEN');
      }
    });

    it('is UNAUTHENTICATED for an anonymous caller', async () => {
      expectQueryRefused(await t.graphql(LOGOUT, { everywhere: true }), ErrorCode.UNAUTHENTICATED);
    });
  });

  describe('anonymous callers', () => {
    let fixture: LedgerFixture;
    let transferId: string;

    beforeAll(async () => {
      fixture = await createLedgerFixture(t, [{ balance: 100n }, {}]);
      const [payer, payee] = fixture.members;
      const payment = await t.ledger.createTransfer({
        idempotencyKey: newKey(),
        debitAccountId: payer.id,
        creditAccountId: payee.id,
        amount: 10n,
        code: 'payment',
        memo: '',
      });
      transferId = payment.transfer!.id;
    });

    /** Every query that reads something private, with real ids: the refusal must not depend on what exists. */
    const privateQueries: [string, string, () => Record<string, unknown>][] = [
      ['me', 'query { me { id } }', () => ({})],
      ['account', 'query($id: ID!) { account(id: $id) { id balance } }', () => ({ id: fixture.members[0].id })],
      [
        'accounts',
        'query($currencyId: ID!) { accounts(currencyId: $currencyId) { edges { node { id } } } }',
        () => ({ currencyId: fixture.currency.id }),
      ],
      ['transfer', 'query($id: ID!) { transfer(id: $id) { id amount } }', () => ({ id: transferId })],
      [
        'transfers of an account',
        'query($accountId: ID) { transfers(accountId: $accountId) { edges { node { id } } } }',
        () => ({ accountId: fixture.members[0].id }),
      ],
      [
        'transfers of a currency',
        'query($currencyId: ID) { transfers(currencyId: $currencyId) { edges { node { id } } } }',
        () => ({ currencyId: fixture.currency.id }),
      ],
      ['all transfers', 'query { transfers { edges { node { id } } } }', () => ({})],
      [
        'trialBalance',
        'query($currencyId: ID!) { trialBalance(currencyId: $currencyId) { total } }',
        () => ({ currencyId: fixture.currency.id }),
      ],
      ['member', 'query($id: ID!) { member(id: $id) { id displayName } }', () => ({ id: fixture.holders[0].memberId })],
      [
        'membership',
        'query($id: ID!) { membership(id: $id) { id status } }',
        () => ({ id: fixture.holders[0].membershipId }),
      ],
      [
        'memberships',
        'query($communityId: ID!) { memberships(communityId: $communityId) { edges { node { id } } } }',
        () => ({ communityId: fixture.community.id }),
      ],
      [
        'partnerApps',
        'query($communityId: ID!) { partnerApps(communityId: $communityId) { id } }',
        () => ({ communityId: fixture.community.id }),
      ],
    ];

    it.each(privateQueries)('cannot read %s: UNAUTHENTICATED', async (_, query, variables) => {
      expectQueryRefused(await t.graphql(query, variables()), ErrorCode.UNAUTHENTICATED);
    });

    it('reads the public communities, community(slug) and currency(id)', async () => {
      const { community, currency } = fixture;

      const data = await gql<{ communities: { id: string }[]; community: unknown; currency: unknown }>(
        t,
        `query($slug: String!, $currencyId: ID!) {
        communities { id }
        community(slug: $slug) { id slug name currencies { id code } }
        currency(id: $currencyId) { id code name symbol minorUnitsPerUnit }
      }`,
        { slug: community.slug, currencyId: currency.id },
      );

      expect(data.communities).toContainEqual({ id: globalId('Community', community.id) });
      expect(data.community).toEqual({
        id: globalId('Community', community.id),
        slug: community.slug,
        name: community.name,
        currencies: [{ id: globalId('Currency', currency.id), code: 'HOUR' }],
      });
      expect(data.currency).toEqual({
        id: globalId('Currency', currency.id),
        code: 'HOUR',
        name: 'Hour',
        symbol: 'h',
        minorUnitsPerUnit: 60,
      });
    });

    it('gets 401 for a presented but unusable credential, even on a public query', async () => {
      for (const token of ['pa_not-a-session', 'pk_not-a-key', 'pr_a-refresh-token-is-no-access-token']) {
        expectRequestRefused(await t.as(token).graphql('query { communities { id } }'), 401);
      }
    });
  });

  describe('invitations', () => {
    const invite = async (fixture: LedgerFixture, email: string): Promise<InvitationView> =>
      (
        await gql<{ inviteMember: InvitationView }>(fixture.asCoordinator(), INVITE_MEMBER, {
          input: { communityId: fixture.community.id, email, displayName: 'Invited Ingrid' },
        })
      ).inviteMember;
    const accept = async (token: string, password: string): Promise<AuthPayloadView> =>
      (await gql<{ acceptInvitation: AuthPayloadView }>(t, ACCEPT_INVITATION, { input: { token, password } }))
        .acceptInvitation;

    it("a coordinator's invitation, accepted once, sets the password and logs in; a second use is INVALID_INVITATION", async () => {
      const fixture = await createLedgerFixture(t, []);
      const email = uniqueEmail('invitee');

      const invitation = await invite(fixture, email);
      expect(invitation).toEqual({
        invitationToken: expect.stringMatching(/^pi_/),
        membership: {
          id: expect.any(String),
          memberId: expect.any(String),
          communityId: globalId('Community', fixture.community.id),
          role: 'MEMBER',
          status: 'ACTIVE',
        },
        userErrors: [],
      });
      const { invitationToken, membership } = invitation as {
        invitationToken: string;
        membership: { memberId: string };
      };

      // A refused password leaves the invitation unused.
      expectInvalidInput(
        await t.graphql(ACCEPT_INVITATION.replace('code message', 'code field message'), {
          input: { token: invitationToken, password: 'too-short' },
        }),
        [['input', 'password']],
      );
      expectWeakPassword(
        await t.graphql(ACCEPT_INVITATION, { input: { token: invitationToken, password: 'qwertyuiop' } }),
        'password',
      );
      expectWeakPassword(
        await t.graphql(ACCEPT_INVITATION, { input: { token: invitationToken, password: 'Invited Ingrid' } }),
        'password',
      );
      const accepted = await accept(invitationToken, GOOD_PASSWORD);

      expect(accepted).toEqual({
        tokens: {
          accessToken: expect.stringMatching(/^pa_/),
          refreshToken: expect.stringMatching(/^pr_/),
          memberId: membership.memberId,
        },
        userErrors: [],
      });
      await expectSessionLive(t, accepted.tokens!.accessToken, membership.memberId);
      expectAuthRefusal(await accept(invitationToken, 'a different password'), 'INVALID_INVITATION');
      // The second use changed nothing: the password set the first time still logs in.
      expect((await loginOrFail(t, email, GOOD_PASSWORD)).memberId).toBe(membership.memberId);
    });

    it('refuses an unknown invitation token', async () => {
      expectAuthRefusal(await accept(`pi_${newKey('unknown')}`, GOOD_PASSWORD), 'INVALID_INVITATION');
    });

    it('lets only coordinators invite: a member gets FORBIDDEN and nobody is created', async () => {
      const fixture = await createLedgerFixture(t, [{}]);
      const email = uniqueEmail('uninvited');

      const response = await fixture
        .as(fixture.members[0])
        .graphql(INVITE_MEMBER, { input: { communityId: fixture.community.id, email, displayName: 'Nobody' } });

      expectForbidden(response);
      expect(await countMembersWithEmail(email)).toBe(0);
    });
  });
});
