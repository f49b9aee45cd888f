import { rowId } from '../support/global-ids.js';
import { randomBytes } from 'node:crypto';
import { ErrorCode } from '../../libs/graphql/error-code.js';
import { createLedgerFixture } from '../support/ledger-fixture.js';
import { GraphqlClient, GraphqlResponse, useTestApp } from '../support/test-app.js';
import {
  expectAuthRefusal,
  GOOD_PASSWORD,
  login,
  loginOrFail,
  REGISTER,
  registerMember,
  uniqueEmail,
} from './auth-client.js';
import { gql, newKey } from './graphql-client.js';
import { CREATE_LISTING, listingInput, postListing } from './listing-client.js';
import { REQUEST_EXPORT } from './report-client.js';

const WRONG_PASSWORD = 'not the right password';
const ACCEPT_INVITATION =
  'mutation Accept($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { tokens { memberId } userErrors { code } } }';
const INVITE_MEMBER =
  'mutation Invite($input: InviteMemberInput!) { inviteMember(input: $input) { invitationToken userErrors { code } } }';
const JOIN_COMMUNITY =
  'mutation Join($communityId: ID!) { joinCommunity(communityId: $communityId) { membership { id } userErrors { code } } }';
const CHANGE_PASSWORD =
  'mutation Change($input: ChangePasswordInput!) { changePassword(input: $input) { changed userErrors { code } } }';

/** A made-up client address in a /64 of its own (IPv6 documentation range, counted per /64), so that tests share no counter. */
const newAddress = (): string => `2001:db8:${randomBytes(4).toString('hex').match(/.{4}/g)!.join(':')}::1`;

/** A top-level RATE_LIMITED error with a positive retry-after, and no data. */
function expectRateLimited(response: GraphqlResponse): void {
  expect({
    data: response.data,
    errors: response.errors?.map(({ extensions }) => ({
      code: extensions?.code,
      retryAfter: extensions?.retryAfterSeconds,
    })),
  }).toEqual({ data: null, errors: [{ code: ErrorCode.RATE_LIMITED, retryAfter: expect.any(Number) }] });
  expect(response.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(0);
}

/**
 * Guessing and abuse, with the limits production has (no multiplier for the test's shared address):
 * the server believes X-Forwarded-For from loopback, so every request here comes from an address of
 * its test's own, never from 127.0.0.1, whose counters this file's fixtures share.
 */
describe('login limits and rate limits over GraphQL', () => {
  const t = useTestApp({ poolSize: 8, env: { TRUST_PROXY: 'loopback', RATE_LIMIT_ADDRESS_MULTIPLIER: '1' } });
  const from = (address: string, token: string | null = null): GraphqlClient =>
    t.as(token, { 'x-forwarded-for': address });
  const countRows = async (sql: string, params: unknown[]): Promise<number> =>
    Number((await t.dataSource.query(sql, params))[0].n);

  describe('login', () => {
    it('gives a burst of 150 concurrent wrong passwords for one account from one address exactly 5 guesses; the right password then waits too', async () => {
      const { email, password } = await registerMember(from(newAddress()), 'burst');
      const attacker = from(newAddress());

      const outcomes = await Promise.all(Array.from({ length: 150 }, () => login(attacker, email, WRONG_PASSWORD)));

      const codes = outcomes.map((payload) => payload.userErrors[0]?.code);
      expect(codes.filter((code) => code === 'INVALID_CREDENTIALS')).toHaveLength(5);
      expect(codes.filter((code) => code === 'TOO_MANY_ATTEMPTS')).toHaveLength(145);
      expectAuthRefusal(await login(attacker, email, password), 'TOO_MANY_ATTEMPTS');
    });

    it("locks out the address that guessed, not the owner on their own address; the owner's login does not reopen the guesser's", async () => {
      const { email, password } = await registerMember(from(newAddress()), 'targeted');
      const attacker = from(newAddress());
      const owner = from(newAddress());

      for (let attempt = 0; attempt < 5; attempt += 1)
        expectAuthRefusal(await login(attacker, email, WRONG_PASSWORD), 'INVALID_CREDENTIALS');

      expectAuthRefusal(await login(attacker, email, password), 'TOO_MANY_ATTEMPTS');
      await loginOrFail(owner, email, password);
      expectAuthRefusal(await login(attacker, email, WRONG_PASSWORD), 'TOO_MANY_ATTEMPTS');
    });

    it('stops an address guessing across many accounts after 30 failures, whichever email it tries next', async () => {
      const guesser = from(newAddress());

      const outcomes = await Promise.all(
        Array.from({ length: 30 }, () => login(guesser, uniqueEmail('sprayed'), WRONG_PASSWORD)),
      );
      expect(outcomes.map((payload) => payload.userErrors[0]?.code)).toEqual(Array(30).fill('INVALID_CREDENTIALS'));

      const { email, password } = await registerMember(from(newAddress()), 'sprayed-owner');
      expectAuthRefusal(await login(guesser, email, password), 'TOO_MANY_ATTEMPTS');
      await loginOrFail(from(newAddress()), email, password);
    });
  });

  describe('mutations that cost the server or other members', () => {
    it('registers 10 members an hour from one address; the 11th is RATE_LIMITED and creates nothing; another address still registers', async () => {
      const address = newAddress();
      const registerFrom = (client: GraphqlClient, email: string) =>
        client.graphql(REGISTER, { input: { email, password: GOOD_PASSWORD, displayName: 'Many' } });
      for (let index = 0; index < 10; index += 1)
        expect((await registerFrom(from(address), uniqueEmail('many'))).errors).toBeUndefined();

      const refusedEmail = uniqueEmail('refused');
      expectRateLimited(await registerFrom(from(address), refusedEmail));

      expect(await countRows('SELECT count(*) AS n FROM members WHERE email = $1', [refusedEmail])).toBe(0);
      expect((await registerFrom(from(newAddress()), uniqueEmail('elsewhere'))).errors).toBeUndefined();
    });

    it('answers 20 unknown invitation tokens an hour from one address, then RATE_LIMITED', async () => {
      const address = newAddress();
      const accept = () =>
        from(address).graphql(ACCEPT_INVITATION, {
          input: { token: `pi_${newKey('guess')}`, password: GOOD_PASSWORD },
        });
      for (let index = 0; index < 20; index += 1) {
        expect((await accept()).data).toEqual({
          acceptInvitation: { tokens: null, userErrors: [{ code: 'INVALID_INVITATION' }] },
        });
      }

      expectRateLimited(await accept());
    });

    it('lets a coordinator send 50 invitations an hour; the 51st is RATE_LIMITED and invites nobody', async () => {
      const fixture = await createLedgerFixture(t, []);
      const coordinator = from(newAddress(), fixture.coordinator.token);
      const invite = (email: string) =>
        coordinator.graphql(INVITE_MEMBER, {
          input: { communityId: fixture.community.id, email, displayName: 'Invited' },
        });
      for (let index = 0; index < 50; index += 1) expect((await invite(uniqueEmail('invited'))).errors).toBeUndefined();

      const refusedEmail = uniqueEmail('not-invited');
      expectRateLimited(await invite(refusedEmail));

      expect(await countRows('SELECT count(*) AS n FROM members WHERE email = $1', [refusedEmail])).toBe(0);
    });

    it('lets an account request 30 exports an hour, from any address; the 31st is RATE_LIMITED and stores no link', async () => {
      const fixture = await createLedgerFixture(t, []);
      const input = { communityId: fixture.community.id, kind: 'BALANCES' };
      for (let index = 0; index < 30; index += 1)
        expect(
          (await from(newAddress(), fixture.coordinator.token).graphql(REQUEST_EXPORT, { input })).errors,
        ).toBeUndefined();
      const stored = await countRows('SELECT count(*) AS n FROM report_exports WHERE community_id = $1', [
        fixture.community.id,
      ]);

      expectRateLimited(await from(newAddress(), fixture.coordinator.token).graphql(REQUEST_EXPORT, { input }));

      expect(
        await countRows('SELECT count(*) AS n FROM report_exports WHERE community_id = $1', [fixture.community.id]),
      ).toBe(stored);
    });

    it('lets an auditor run the ledger verification 20 times an hour; the 21st is RATE_LIMITED and stores no run', async () => {
      const fixture = await createLedgerFixture(t, []);
      const run = () =>
        from(newAddress(), fixture.coordinator.token).graphql(
          'mutation Run($id: ID!) { runLedgerVerification(communityId: $id) { passed } }',
          { id: fixture.community.id },
        );
      for (let index = 0; index < 20; index += 1) expect((await run()).errors).toBeUndefined();

      expectRateLimited(await run());

      expect(
        await countRows(
          "SELECT count(*) AS n FROM verification_runs WHERE community_id = $1 AND trigger = 'on_demand'",
          [fixture.community.id],
        ),
      ).toBe(20);
    });

    it('lets a member post 30 listings an hour; the 31st is RATE_LIMITED and posts nothing', async () => {
      const fixture = await createLedgerFixture(t, [{}]);
      const member = from(newAddress(), fixture.holders[0].token);
      for (let index = 0; index < 30; index += 1) await postListing(member, fixture.community.id);

      expectRateLimited(await member.graphql(CREATE_LISTING, { input: listingInput(fixture.community.id) }));

      expect(
        await countRows('SELECT count(*) AS n FROM listings WHERE community_id = $1', [fixture.community.id]),
      ).toBe(30);
    });

    it('lets a member ask to join 10 communities an hour; the 11th is RATE_LIMITED and opens no membership', async () => {
      const fixtures = await Promise.all(Array.from({ length: 11 }, () => createLedgerFixture(t, [])));
      const { email, password } = await registerMember(from(newAddress()), 'joiner');
      const tokens = await loginOrFail(from(newAddress()), email, password);
      const member = from(newAddress(), tokens.accessToken);
      for (const fixture of fixtures.slice(0, 10)) {
        expect(
          (
            await gql<{ joinCommunity: { userErrors: unknown[] } }>(member, JOIN_COMMUNITY, {
              communityId: fixture.community.id,
            })
          ).joinCommunity.userErrors,
        ).toEqual([]);
      }

      expectRateLimited(await member.graphql(JOIN_COMMUNITY, { communityId: fixtures[10].community.id }));

      expect(
        await countRows('SELECT count(*) AS n FROM memberships WHERE member_id = $1', [rowId(tokens.memberId)]),
      ).toBe(10);
    });

    it('lets a member change their password 5 times an hour; the 6th is RATE_LIMITED and changes nothing', async () => {
      const { email } = await registerMember(from(newAddress()), 'changer');
      const tokens = await loginOrFail(from(newAddress()), email, GOOD_PASSWORD);
      const member = from(newAddress(), tokens.accessToken);
      const passwords = Array.from({ length: 7 }, (_, index) => `${GOOD_PASSWORD} number ${index}`);
      passwords[0] = GOOD_PASSWORD;
      const change = (index: number) =>
        member.graphql(CHANGE_PASSWORD, {
          input: { currentPassword: passwords[index], newPassword: passwords[index + 1] },
        });
      for (let index = 0; index < 5; index += 1)
        expect((await change(index)).data).toEqual({ changePassword: { changed: true, userErrors: [] } });

      expectRateLimited(await change(5));

      await loginOrFail(from(newAddress()), email, passwords[5]);
    });
  });
});
