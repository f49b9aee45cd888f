import { globalId, rowId } from '../support/global-ids.js';
import { createLedgerFixture, LedgerFixture } from '../support/ledger-fixture.js';
import { GraphqlClient, TestApp, useTestApp } from '../support/test-app.js';
import {
  asPartner,
  expectSessionEnded,
  expectSessionLive,
  GOOD_PASSWORD,
  login,
  loginAsNewAdmin,
  logInAs,
  registerMember,
  registerPartnerApp,
  REGISTER,
  uniqueEmail,
} from './auth-client.js';
import { expectForbidden } from './denials.js';
import { gql, newKey, payloadMutation, transferInput, UserErrorView } from './graphql-client.js';

/**
 * The one shape of refusals: each mutation that replaced one without it answers its refusals as
 * userErrors, and input that fails validation, on any live mutation with userErrors, comes back as
 * INVALID_INPUT userErrors naming the field at fault, with nothing written.
 */

const SESSIONS = 'query Sessions { sessions { id current } }';

const SIGN_OUT = payloadMutation('signOut', 'SignOutInput', 'endedSessions');
const END_SESSION = payloadMutation('endSession', 'EndSessionInput', 'sessionId');
const SIGN_OUT_MEMBER = payloadMutation('signOutMember', 'SignOutMemberInput', 'endedSessions');
const CREATE_PARTNER_APP = payloadMutation(
  'createPartnerApp',
  'CreatePartnerAppInput',
  'apiKey partnerApp { id name }',
);
const REPLACE_PARTNER_APP_KEY = payloadMutation(
  'replacePartnerAppKey',
  'ReplacePartnerAppKeyInput',
  'apiKey partnerApp { id }',
);
const DEREGISTER_PARTNER_APP = payloadMutation(
  'deregisterPartnerApp',
  'DeregisterPartnerAppInput',
  'partnerApp { id revokedAt }',
);
const GRANT_CONSENT = payloadMutation('grantPartnerAppConsent', 'PartnerAppConsentInput', 'partnerAppId');
const WITHDRAW_CONSENT = payloadMutation('withdrawPartnerAppConsent', 'PartnerAppConsentInput', 'partnerAppId');
const REQUEST_MEMBERSHIP = payloadMutation(
  'requestMembership',
  'RequestMembershipInput',
  'membership { id communityId status }',
);
const UPDATE_MEMBER_PROFILE = payloadMutation(
  'updateMemberProfile',
  'UpdateMemberProfileInput',
  'member { id displayName bio }',
);
const VERIFY_LEDGER = payloadMutation('verifyLedger', 'CommunityLedgerInput', 'run { id communityId passed }');
const CLOSE_ALERT = payloadMutation(
  'closeVerificationAlert',
  'CloseVerificationAlertInput',
  'run { id acknowledgedAt }',
);
const RECORD_CHECKPOINTS = payloadMutation(
  'recordLedgerCheckpoints',
  'CommunityLedgerInput',
  'checkpoints { id currencyId }',
);
const REQUEST_REPORT_EXPORT = payloadMutation('requestReportExport', 'RequestReportExportInput', 'link { url kind }');
const CHANGE_PASSWORD = payloadMutation('changePassword', 'ChangePasswordInput', 'changed');
const CREATE_TRANSFER = payloadMutation('createTransfer', 'CreateTransferInput', 'transfer { id } replayed');
const CREATE_TRANSFERS = payloadMutation('createTransfers', 'CreateTransfersInput', 'results { transfer { id } }');
const REVIEW_EXCHANGE = payloadMutation('reviewExchange', 'ReviewExchangeInput', 'review { id }');
const UPDATE_PROFILE = 'mutation Old($input: UpdateProfileInput!) { updateProfile(input: $input) { id displayName } }';

/** The payload of a mutation that must answer (with a result or userErrors), never a top-level error. */
async function payload<T = Record<string, any>>(
  client: GraphqlClient,
  document: string,
  input: Record<string, unknown>,
): Promise<T & { userErrors: UserErrorView[] }> {
  const data = await gql<Record<string, T & { userErrors: UserErrorView[] }>>(client, document, { input });
  return Object.values(data)[0];
}

/** The userErrors of a refusal, as `code field`, for one readable comparison. */
const refusals = (answer: { userErrors: UserErrorView[] }): string[] =>
  answer.userErrors.map(({ code, field }) => `${code} ${(field ?? []).join('.')}`);

const count = async (t: TestApp, sql: string, params: unknown[]): Promise<number> =>
  Number((await t.dataSource.query(sql, params))[0].count);

/** Audit rows of an action on a target, whatever their community (an admin's acts on a member have none). */
const audited = (t: TestApp, action: string, targetId: string): Promise<number> =>
  count(t, 'SELECT count(*) FROM audit_log WHERE action = $1 AND target_id = $2', [action, rowId(targetId)]);

/** What the API answers for an id that names nothing: a malformed one must get exactly that. */
const NO_SUCH_ID = '9000000000000000000';

describe('refusals in one shape, over GraphQL', () => {
  const t = useTestApp();
  let fixture: LedgerFixture;
  let coordinator: GraphqlClient;

  beforeAll(async () => {
    fixture = await createLedgerFixture(t, [{ balance: 100n }, {}]);
    coordinator = fixture.asCoordinator();
  });

  describe('sessions', () => {
    it('signOut ends this session, or every one; endSession ends one of yours, SESSION_NOT_FOUND otherwise', async () => {
      const { email } = await registerMember(t, 'sign-out');
      const [phone, laptop, tablet] = [await logInAs(t, email), await logInAs(t, email), await logInAs(t, email)];
      const stranger = await registerMember(t, 'stranger').then(({ email: other }) => logInAs(t, other));
      const [strangersSession] = (await gql<{ sessions: { id: string }[] }>(stranger.client, SESSIONS)).sessions;

      expect(refusals(await payload(phone.client, END_SESSION, { sessionId: strangersSession.id }))).toEqual([
        'SESSION_NOT_FOUND input.sessionId',
      ]);
      await expectSessionLive(t, stranger.tokens.accessToken, stranger.memberId);
      expect(refusals(await payload(phone.client, END_SESSION, { sessionId: '0' }))).toEqual([
        'INVALID_INPUT input.sessionId',
      ]);
      // Neither a global id nor a number: it names no session, and is answered as an unknown one is.
      expect(refusals(await payload(phone.client, END_SESSION, { sessionId: 'not-an-id' }))).toEqual([
        'SESSION_NOT_FOUND input.sessionId',
      ]);

      // Newest first: the tablet's session is the first that is not the laptop's own.
      const sessions = (await gql<{ sessions: { id: string; current: boolean }[] }>(laptop.client, SESSIONS)).sessions;
      const tabletSession = sessions.find((session) => !session.current)!;
      expect(await payload(phone.client, END_SESSION, { sessionId: tabletSession.id })).toEqual({
        sessionId: tabletSession.id,
        userErrors: [],
      });
      await expectSessionEnded(t, tablet.tokens.accessToken);

      expect(await payload(laptop.client, SIGN_OUT, { everywhere: true })).toEqual({
        endedSessions: 2,
        userErrors: [],
      });
      await expectSessionEnded(t, phone.tokens.accessToken);
      await expectSessionEnded(t, laptop.tokens.accessToken);
      const again = await logInAs(t, email);
      expect(await payload(again.client, SIGN_OUT, {})).toEqual({ endedSessions: 1, userErrors: [] });
      await expectSessionEnded(t, again.tokens.accessToken);
    });

    it('signOutMember: an admin ends every session of a member, audited; a missing or over-long reason is INVALID_INPUT and ends none', async () => {
      const admin = await loginAsNewAdmin(t);
      const member = await registerMember(t, 'signed-out').then(({ email }) => logInAs(t, email));

      for (const reason of ['', 'x'.repeat(501)]) {
        expect(refusals(await payload(admin.client, SIGN_OUT_MEMBER, { memberId: member.memberId, reason }))).toEqual([
          'INVALID_INPUT input.reason',
        ]);
      }
      await expectSessionLive(t, member.tokens.accessToken, member.memberId);
      expect(await audited(t, 'member.revoke_sessions', member.memberId)).toBe(0);

      expect(await payload(admin.client, SIGN_OUT_MEMBER, { memberId: member.memberId, reason: 'lost phone' })).toEqual(
        { endedSessions: 1, userErrors: [] },
      );
      await expectSessionEnded(t, member.tokens.accessToken);
      expect(await audited(t, 'member.revoke_sessions', member.memberId)).toBe(1);
    });
  });

  describe('passwords', () => {
    it('changePassword: a weak new password is the userError PASSWORD_TOO_WEAK, a short one INVALID_INPUT; the old password still works', async () => {
      const { email } = await registerMember(t, 'weak-change');
      const me = await logInAs(t, email);
      const change = (newPassword: string) =>
        payload(me.client, CHANGE_PASSWORD, { currentPassword: GOOD_PASSWORD, newPassword });

      expect(await change('qwertyuiop')).toEqual({
        changed: false,
        userErrors: [
          {
            code: 'PASSWORD_TOO_WEAK',
            field: ['input', 'newPassword'],
            message: expect.stringMatching(/easy to guess/),
          },
        ],
      });
      expect(refusals(await change('short'))).toEqual(['INVALID_INPUT input.newPassword']);
      expect((await login(t, email, GOOD_PASSWORD)).userErrors).toEqual([]);
    });

    it('register: a weak password is the userError PASSWORD_TOO_WEAK, and no member is made', async () => {
      const email = uniqueEmail('weak-register');
      const answer = await payload(t, REGISTER, { email, password: '1234567890', displayName: 'Weak Register' });
      expect({ member: answer.member, refusals: refusals(answer) }).toEqual({
        member: null,
        refusals: ['PASSWORD_TOO_WEAK input.password'],
      });
      expect(await count(t, 'SELECT count(*) FROM members WHERE email = $1', [email])).toBe(0);
    });
  });

  describe('partner apps and consents', () => {
    it('createPartnerApp issues a working key; an empty name or no scope is INVALID_INPUT, and no app is made', async () => {
      const name = `App ${newKey('app')}`;
      const refused = await payload(coordinator, CREATE_PARTNER_APP, {
        communityId: fixture.community.id,
        name: '',
        scopes: [],
      });
      expect({ apiKey: refused.apiKey, partnerApp: refused.partnerApp, refusals: refusals(refused) }).toEqual({
        apiKey: null,
        partnerApp: null,
        refusals: ['INVALID_INPUT input.name', 'INVALID_INPUT input.scopes'],
      });

      const created = await payload<{ apiKey: string; partnerApp: { id: string } }>(coordinator, CREATE_PARTNER_APP, {
        communityId: fixture.community.id,
        name,
        scopes: ['AUDIT_READ'],
      });
      expect(created.userErrors).toEqual([]);
      expect(
        await count(t, 'SELECT count(*) FROM partner_apps WHERE community_id = $1 AND name = $2', [
          fixture.community.id,
          name,
        ]),
      ).toBe(1);
      expect(
        (await asPartner(t, created.apiKey).graphql(VERIFY_LEDGER, { input: { communityId: fixture.community.id } }))
          .data,
      ).toMatchObject({
        verifyLedger: { run: { passed: true }, userErrors: [] },
      });
    });

    it('replacePartnerAppKey: the old key stops, the new one works; deregisterPartnerApp revokes it; malformed input changes nothing', async () => {
      const { partnerApp, apiKey } = await registerPartnerApp(coordinator, fixture.community.id, ['AUDIT_READ']);
      // Neither a global id nor a number: it names no app, and is answered as an unknown one is.
      expect(await coordinator.graphql(REPLACE_PARTNER_APP_KEY, { input: { partnerAppId: 'app-1' } })).toEqual(
        await coordinator.graphql(REPLACE_PARTNER_APP_KEY, { input: { partnerAppId: NO_SUCH_ID } }),
      );
      expect(refusals(await payload(coordinator, REPLACE_PARTNER_APP_KEY, { partnerAppId: '0' }))).toEqual([
        'INVALID_INPUT input.partnerAppId',
      ]);

      const replaced = await payload<{ apiKey: string }>(coordinator, REPLACE_PARTNER_APP_KEY, {
        partnerAppId: partnerApp.id,
      });
      expect(replaced.userErrors).toEqual([]);
      const verify = (key: string) =>
        asPartner(t, key).graphql(VERIFY_LEDGER, { input: { communityId: fixture.community.id } });
      expect((await verify(apiKey)).status).toBe(401);
      expect((await verify(replaced.apiKey)).data?.verifyLedger.userErrors).toEqual([]);

      const overLong = { partnerAppId: partnerApp.id, reason: 'x'.repeat(501) };
      expect(refusals(await payload(coordinator, DEREGISTER_PARTNER_APP, overLong))).toEqual([
        'INVALID_INPUT input.reason',
      ]);
      expect((await verify(replaced.apiKey)).data?.verifyLedger.userErrors).toEqual([]);

      const deregistered = await payload(coordinator, DEREGISTER_PARTNER_APP, {
        partnerAppId: partnerApp.id,
        reason: 'retired',
      });
      expect(deregistered).toEqual({
        partnerApp: { id: partnerApp.id, revokedAt: expect.any(String) },
        userErrors: [],
      });
      expect((await verify(replaced.apiKey)).status).toBe(401);
    });

    it('grantPartnerAppConsent and withdrawPartnerAppConsent; withdrawing none is CONSENT_NOT_FOUND', async () => {
      const { partnerApp } = await registerPartnerApp(coordinator, fixture.community.id, ['ACT_FOR_MEMBER']);
      const member = fixture.as(fixture.members[0]);
      const consents = () =>
        count(t, 'SELECT count(*) FROM partner_consents WHERE partner_app_id = $1 AND revoked_at IS NULL', [
          rowId(partnerApp.id),
        ]);

      expect(refusals(await payload(member, WITHDRAW_CONSENT, { partnerAppId: partnerApp.id }))).toEqual([
        'CONSENT_NOT_FOUND input.partnerAppId',
      ]);
      expect(await payload(member, GRANT_CONSENT, { partnerAppId: partnerApp.id })).toEqual({
        partnerAppId: partnerApp.id,
        userErrors: [],
      });
      expect(await consents()).toBe(1);
      expect(await payload(member, WITHDRAW_CONSENT, { partnerAppId: partnerApp.id })).toEqual({
        partnerAppId: partnerApp.id,
        userErrors: [],
      });
      expect(await consents()).toBe(0);
      expectForbidden(await member.graphql(GRANT_CONSENT, { input: { partnerAppId: '9000000000000000000' } }));
    });
  });

  describe('memberships and profiles', () => {
    it('requestMembership asks to join (PENDING); again is ALREADY_MEMBER, an unknown community COMMUNITY_NOT_FOUND; no second membership', async () => {
      const newcomer = await registerMember(t, 'newcomer').then(({ email }) => logInAs(t, email));
      const asked = await payload(newcomer.client, REQUEST_MEMBERSHIP, { communityId: fixture.community.id });
      expect(asked).toEqual({
        membership: {
          id: expect.any(String),
          communityId: globalId('Community', fixture.community.id),
          status: 'PENDING',
        },
        userErrors: [],
      });
      expect(
        refusals(await payload(newcomer.client, REQUEST_MEMBERSHIP, { communityId: fixture.community.id })),
      ).toEqual(['ALREADY_MEMBER input.communityId']);
      expect(
        refusals(await payload(newcomer.client, REQUEST_MEMBERSHIP, { communityId: '9000000000000000000' })),
      ).toEqual(['COMMUNITY_NOT_FOUND input.communityId']);
      expect(await count(t, 'SELECT count(*) FROM memberships WHERE member_id = $1', [rowId(newcomer.memberId)])).toBe(
        1,
      );
    });

    it('updateMemberProfile changes your profile; an empty or over-long name is INVALID_INPUT and changes nothing, as the deprecated updateProfile still refuses with BAD_USER_INPUT', async () => {
      const me = await registerMember(t, 'profile').then(({ email }) => logInAs(t, email));
      expect(await payload(me.client, UPDATE_MEMBER_PROFILE, { displayName: 'Haneul', bio: 'I fix bikes' })).toEqual({
        member: { id: me.memberId, displayName: 'Haneul', bio: 'I fix bikes' },
        userErrors: [],
      });
      const refused = await payload(me.client, UPDATE_MEMBER_PROFILE, {
        displayName: '',
        bio: 'b'.repeat(2001),
        skills: [''],
      });
      expect({ member: refused.member, refusals: refusals(refused) }).toEqual({
        member: null,
        refusals: ['INVALID_INPUT input.displayName', 'INVALID_INPUT input.bio', 'INVALID_INPUT input.skills'],
      });
      expect(refused.userErrors.every((error) => error.message.length > 0)).toBe(true);
      const old = await me.client.graphql(UPDATE_PROFILE, { input: { displayName: '' } });
      expect(old.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      const [row] = await t.dataSource.query('SELECT display_name, bio FROM members WHERE id = $1', [
        rowId(me.memberId),
      ]);
      expect(row).toEqual({ display_name: 'Haneul', bio: 'I fix bikes' });
    });
  });

  describe('integrity and reports', () => {
    it('verifyLedger and recordLedgerCheckpoints answer payloads; a malformed community id is INVALID_INPUT and records nothing', async () => {
      const runs = () =>
        count(t, 'SELECT count(*) FROM verification_runs WHERE community_id = $1', [fixture.community.id]);
      const before = await runs();
      // Neither a global id nor a number: it names no community, and is answered as an unknown one is.
      expect(await coordinator.graphql(VERIFY_LEDGER, { input: { communityId: 'one' } })).toEqual(
        await coordinator.graphql(VERIFY_LEDGER, { input: { communityId: NO_SUCH_ID } }),
      );
      expect(refusals(await payload(coordinator, VERIFY_LEDGER, { communityId: '0' }))).toEqual([
        'INVALID_INPUT input.communityId',
      ]);
      expect(await runs()).toBe(before);
      const verified = await payload(coordinator, VERIFY_LEDGER, { communityId: fixture.community.id });
      expect(verified).toEqual({
        run: { id: expect.any(String), communityId: globalId('Community', fixture.community.id), passed: true },
        userErrors: [],
      });
      expect(await runs()).toBe(before + 1);

      expect(refusals(await payload(coordinator, RECORD_CHECKPOINTS, { communityId: '-1' }))).toEqual([
        'INVALID_INPUT input.communityId',
      ]);
      const recorded = await payload<{ checkpoints: unknown[] }>(coordinator, RECORD_CHECKPOINTS, {
        communityId: fixture.community.id,
      });
      expect(recorded.userErrors).toEqual([]);
      expect(Array.isArray(recorded.checkpoints)).toBe(true);
    });

    it('closeVerificationAlert: NO_OPEN_ALERT on a passed run, INVALID_INPUT for an empty note', async () => {
      const { run } = await payload<{ run: { id: string } }>(coordinator, VERIFY_LEDGER, {
        communityId: fixture.community.id,
      });
      expect(refusals(await payload(coordinator, CLOSE_ALERT, { runId: run.id, note: 'nothing to close' }))).toEqual([
        'NO_OPEN_ALERT input.runId',
      ]);
      expect(refusals(await payload(coordinator, CLOSE_ALERT, { runId: run.id, note: '' }))).toEqual([
        'INVALID_INPUT input.note',
      ]);
      expect(await audited(t, 'verification.acknowledge', run.id)).toBe(0);
    });

    it('requestReportExport gives a link; parameters foreign to the kind, a missing account or a period backwards are INVALID_INPUT', async () => {
      const links = () => count(t, 'SELECT count(*) FROM report_exports', []);
      const before = await links();
      const community = { communityId: fixture.community.id };
      expect(refusals(await payload(coordinator, REQUEST_REPORT_EXPORT, { ...community, kind: 'STATEMENT' }))).toEqual([
        'INVALID_INPUT input.accountId',
      ]);
      expect(
        refusals(
          await payload(coordinator, REQUEST_REPORT_EXPORT, {
            ...community,
            kind: 'BALANCES',
            from: '2026-01-01T00:00:00Z',
          }),
        ),
      ).toEqual(['INVALID_INPUT input.from']);
      expect(
        refusals(
          await payload(coordinator, REQUEST_REPORT_EXPORT, {
            ...community,
            kind: 'TRANSFERS',
            from: '2026-02-01T00:00:00Z',
            to: '2026-01-01T00:00:00Z',
          }),
        ),
      ).toEqual(['INVALID_INPUT input.from']);
      expect(await links()).toBe(before);
      const exported = await payload(coordinator, REQUEST_REPORT_EXPORT, { ...community, kind: 'BALANCES' });
      expect(exported).toEqual({
        link: { url: expect.stringContaining('/exports/'), kind: 'BALANCES' },
        userErrors: [],
      });
      expect(await links()).toBe(before + 1);
    });
  });

  describe('input validation as userErrors', () => {
    it('createTransfer: a malformed key, code or memo is INVALID_INPUT per field, and no transfer is written', async () => {
      const [payer, payee] = fixture.members;
      const input = {
        ...transferInput(payer.id, payee.id, '5'),
        idempotencyKey: 'k'.repeat(500),
        code: 'Not Snake',
        memo: 'm'.repeat(5000),
      };
      const refused = await payload(fixture.as(payer), CREATE_TRANSFER, input);
      expect({ transfer: refused.transfer, replayed: refused.replayed, refusals: refusals(refused) }).toEqual({
        transfer: null,
        replayed: false,
        // class-validator reports the input's own fields (code) before those it inherits (the key, the memo).
        refusals: ['INVALID_INPUT input.code', 'INVALID_INPUT input.idempotencyKey', 'INVALID_INPUT input.memo'],
      });
      expect(await count(t, 'SELECT count(*) FROM transfers WHERE debit_account_id = $1', [payer.id])).toBe(0);
    });

    it('createTransfers: a bad transfer inside the batch is named by its path, and nothing of the batch is written', async () => {
      const [payer, payee] = fixture.members;
      const good = transferInput(payer.id, payee.id, '5');
      const bad = { ...transferInput(payer.id, payee.id, '5'), debitAccountId: '0' };
      const refused = await payload(fixture.as(payer), CREATE_TRANSFERS, { mode: 'LINKED', transfers: [good, bad] });
      expect({ results: refused.results, refusals: refusals(refused) }).toEqual({
        results: [],
        refusals: ['INVALID_INPUT input.transfers.1.debitAccountId'],
      });
      expect(await count(t, 'SELECT count(*) FROM transfers WHERE idempotency_key = $1', [good.idempotencyKey])).toBe(
        0,
      );
    });

    it('reviewExchange: a rating of 6, 0 or -1 is INVALID_INPUT, and no review is written', async () => {
      const reviewer = fixture.as(fixture.members[0]);
      for (const rating of [6, 0, -1]) {
        const refused = await payload(reviewer, REVIEW_EXCHANGE, { exchangeId: '1', rating });
        expect({ review: refused.review, refusals: refusals(refused) }).toEqual({
          review: null,
          refusals: ['INVALID_INPUT input.rating'],
        });
      }
      expect(await count(t, 'SELECT count(*) FROM reviews WHERE author_id = $1', [fixture.holders[0].memberId])).toBe(
        0,
      );
    });
  });
});
