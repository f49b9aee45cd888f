import { globalId, rowId } from '../support/global-ids.js';
import { createLedgerFixture } from '../support/ledger-fixture.js';
import { GraphqlClient, useTestApp } from '../support/test-app.js';
import {
  asPartner,
  expectAuthRefusal,
  expectSessionEnded,
  expectSessionLive,
  GOOD_PASSWORD,
  grantPartnerConsent,
  login,
  loginAsNewAdmin,
  logInAs,
  registerMember,
  registerPartnerApp,
} from './auth-client.js';
import { expectForbidden } from './denials.js';
import { gql } from './graphql-client.js';
import { auditRows } from './member-client.js';
import { expectWeakPassword } from './weak-passwords.js';

const SESSIONS = 'query Sessions { sessions { id createdAt refreshExpiresAt current } }';
const REVOKE_SESSION = 'mutation Revoke($id: ID!) { revokeSession(sessionId: $id) }';
const CHANGE_PASSWORD = `mutation Change($input: ChangePasswordInput!) {
  changePassword(input: $input) { changed userErrors { code message } }
}`;
const REVOKE_MEMBER_SESSIONS =
  'mutation RevokeAll($memberId: ID!, $reason: String!) { revokeMemberSessions(memberId: $memberId, reason: $reason) }';

interface SessionView {
  id: string;
  current: boolean;
}

describe('sessions and passwords over GraphQL', () => {
  const t = useTestApp();

  const sessionsOf = async (client: GraphqlClient): Promise<SessionView[]> =>
    (await gql<{ sessions: SessionView[] }>(client, SESSIONS)).sessions;

  /** A registered member with two sessions: the phone and the laptop. */
  async function memberWithTwoSessions(): Promise<{ memberId: string; email: string; phone: string; laptop: string }> {
    const { email } = await registerMember(t, 'sessions');
    const phone = await logInAs(t, email);
    const laptop = await logInAs(t, email);
    return { memberId: phone.memberId, email, phone: phone.tokens.accessToken, laptop: laptop.tokens.accessToken };
  }

  it('lists your live sessions, newest first, marking the one you call from', async () => {
    const { phone, laptop } = await memberWithTwoSessions();
    const seenFromPhone = await sessionsOf(t.as(phone));
    expect(seenFromPhone.map((session) => session.current)).toEqual([false, true]);
    expect((await sessionsOf(t.as(laptop))).map((session) => session.current)).toEqual([true, false]);
  });

  it("ends one of your sessions at once, and cannot reach anyone else's", async () => {
    const me = await memberWithTwoSessions();
    const other = await memberWithTwoSessions();
    const [laptopSession] = await sessionsOf(t.as(me.laptop));
    const [othersSession] = await sessionsOf(t.as(other.laptop));

    expect(
      (await gql<{ revokeSession: boolean }>(t.as(me.phone), REVOKE_SESSION, { id: othersSession.id })).revokeSession,
    ).toBe(false);
    await expectSessionLive(t, other.laptop, other.memberId);

    expect(
      (await gql<{ revokeSession: boolean }>(t.as(me.phone), REVOKE_SESSION, { id: laptopSession.id })).revokeSession,
    ).toBe(true);
    await expectSessionEnded(t, me.laptop);
    await expectSessionLive(t, me.phone, me.memberId);
    expect(
      (await gql<{ revokeSession: boolean }>(t.as(me.phone), REVOKE_SESSION, { id: laptopSession.id })).revokeSession,
    ).toBe(false);
  });

  it('changes a password only with the current one, and ends every other session', async () => {
    const { memberId, email, phone, laptop } = await memberWithTwoSessions();
    const change = (currentPassword: string) =>
      gql<{ changePassword: { changed: boolean; userErrors: { code: string }[] } }>(t.as(phone), CHANGE_PASSWORD, {
        input: { currentPassword, newPassword: 'a brand new passphrase' },
      });

    expect((await change('not my password')).changePassword).toEqual({
      changed: false,
      userErrors: [{ code: 'INVALID_CREDENTIALS', message: expect.any(String) }],
    });
    await expectSessionLive(t, laptop, memberId);
    // A weak new password is refused as registration refuses it, and ends no session.
    for (const newPassword of ['0000000000', email]) {
      expectWeakPassword(
        await t.as(phone).graphql(CHANGE_PASSWORD, { input: { currentPassword: GOOD_PASSWORD, newPassword } }),
        'newPassword',
      );
    }
    await expectSessionLive(t, laptop, memberId);

    expect((await change(GOOD_PASSWORD)).changePassword).toEqual({ changed: true, userErrors: [] });
    await expectSessionEnded(t, laptop);
    await expectSessionLive(t, phone, memberId);
    expectAuthRefusal(await login(t, email, GOOD_PASSWORD), 'INVALID_CREDENTIALS');
    expect((await login(t, email, 'a brand new passphrase')).userErrors).toEqual([]);
  });

  it("lets an admin end all of a member's sessions at once, audited, and no one else", async () => {
    const {
      holders: [holder],
      community,
      coordinator,
    } = await createLedgerFixture(t, [{}]);
    const admin = await loginAsNewAdmin(t);
    const revokeAll = (client: GraphqlClient) =>
      client.graphql<{ revokeMemberSessions: number }>(REVOKE_MEMBER_SESSIONS, {
        memberId: holder.memberId,
        reason: 'phone stolen',
      });

    expectForbidden(await revokeAll(t.as(coordinator.token)));
    expectForbidden(await revokeAll(t.as(holder.token)));
    await expectSessionLive(t, holder.token, globalId('Member', holder.memberId));

    expect((await revokeAll(admin.client)).data).toEqual({ revokeMemberSessions: 1 });
    await expectSessionEnded(t, holder.token);
    const [row] = await t.dataSource.query(
      `SELECT actor_member_id, actor_role, reason, details FROM audit_log WHERE action = 'member.revoke_sessions' AND target_id = $1`,
      [holder.memberId],
    );
    expect(row).toEqual({
      actor_member_id: rowId(admin.memberId),
      actor_role: 'admin',
      reason: 'phone stolen',
      details: { ended: 1 },
    });
    // Not a community's business: the row is server-wide, and the member's community log is untouched.
    expect(await auditRows(t, { communityId: community.id, action: 'member.revoke_sessions' })).toEqual([]);
  });

  it("keeps sessions and passwords out of a partner app's reach, even with consent", async () => {
    const fixture = await createLedgerFixture(t, [{}]);
    const [holder] = fixture.holders;
    const { partnerApp, apiKey } = await registerPartnerApp(fixture.asCoordinator(), fixture.community.id, [
      'ACT_FOR_MEMBER',
    ]);
    expect(await grantPartnerConsent(t.as(holder.token), partnerApp.id)).toBe(true);
    const app = asPartner(t, apiKey, holder.memberId);

    expectForbidden(await app.graphql(SESSIONS));
    expectForbidden(
      await app.graphql(CHANGE_PASSWORD, {
        input: { currentPassword: 'whatever it is', newPassword: 'taken over by the app' },
      }),
    );
    expectForbidden(await app.graphql('mutation { logout }'));
    await expectSessionLive(t, holder.token, globalId('Member', holder.memberId));
  });
});
