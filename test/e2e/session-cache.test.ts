import { setTimeout as sleep } from 'node:timers/promises';
import { Metrics } from '../../libs/observability/metrics.js';
import { globalId, rowId } from '../support/global-ids.js';
import { waitUntil } from '../support/held-locks.js';
import { createLedgerFixture, LedgerFixture } from '../support/ledger-fixture.js';
import { asSuperuser } from '../support/superuser.js';
import { testDatabaseUrl, useTestApp } from '../support/test-app.js';
import { expectSessionEnded, expectSessionLive, LOGOUT, loginAsNewAdmin, registerAndLogIn } from './auth-client.js';
import { expectForbidden } from './denials.js';
import { gql } from './graphql-client.js';
import { succeed } from './member-client.js';

const TRIAL_BALANCE = 'query Trial($currencyId: ID!) { trialBalance(currencyId: $currencyId) { balanced } }';

/**
 * Issue 14, authentication without a round trip: access tokens' sessions are kept in memory, and a
 * change to credentials is heard at once. The cache is set to keep sessions a minute here, so
 * that a refusal within seconds can only come from what forgets them: the write's own commit on
 * this replica, or PostgreSQL's notification for a write made anywhere else.
 */
describe('the session cache', () => {
  const t = useTestApp({ env: { CREDENTIALS_CACHE_MS: '60000' } });
  let fixture: LedgerFixture;

  beforeAll(async () => {
    fixture = await createLedgerFixture(t, [{ balance: 0n }]);
  });

  /** How many tokens were authenticated from memory so far, from the service's own counter. */
  async function hits(): Promise<number> {
    const exposition = await t.app.get(Metrics).exposition();
    return Number(/^pumasi_session_cache_total\{result="hit"\} (\d+)$/m.exec(exposition)?.[1] ?? 0);
  }

  /** Requests with the token until one is answered from memory (the first ones start the listener). */
  async function kept(token: string, memberId: string): Promise<void> {
    await waitUntil('the session is kept', async () => {
      const before = await hits();
      await expectSessionLive(t, token, memberId);
      return (await hits()) > before;
    });
  }

  it('answers a token it has seen from memory, without reading its session again', async () => {
    const member = await registerAndLogIn(t, 'cached');
    await kept(member.tokens.accessToken, member.memberId);
    const before = await hits();
    for (let request = 0; request < 3; request++)
      await expectSessionLive(t, member.tokens.accessToken, member.memberId);
    expect(await hits()).toBe(before + 3);
  });

  it('refuses a session signed out on this replica from the very next request', async () => {
    const member = await registerAndLogIn(t, 'signed-out');
    await kept(member.tokens.accessToken, member.memberId);
    await gql(t.as(member.tokens.accessToken), LOGOUT, { everywhere: false });
    await expectSessionEnded(t, member.tokens.accessToken);
  });

  it('hears a session revoked by another process (another replica, an operator) within a moment', async () => {
    const member = await registerAndLogIn(t, 'revoked-elsewhere');
    await kept(member.tokens.accessToken, member.memberId);
    // Not through the service: only the database's notification can tell this replica.
    await t.dataSource.query('UPDATE sessions SET revoked_at = now() WHERE member_id = $1', [rowId(member.memberId)]);
    const revoked = Date.now();
    await waitUntil(
      'the revoked session is refused',
      async () => (await t.as(member.tokens.accessToken).graphql('{ me { id } }')).status === 401,
      5000,
    );
    expect(Date.now() - revoked).toBeLessThan(5000);
  });

  it("applies a coordinator's suspension to their very next request", async () => {
    const coordinator = fixture.asCoordinator();
    const currencyId = globalId('Currency', fixture.currency.id);
    await kept(fixture.coordinator.token, globalId('Member', fixture.coordinator.memberId));
    expect(
      (await gql<{ trialBalance: { balanced: boolean } }>(coordinator, TRIAL_BALANCE, { currencyId })).trialBalance,
    ).toEqual({ balanced: true });
    const admin = await loginAsNewAdmin(t);
    await succeed(t.as(admin.tokens.accessToken), 'suspendMembership', {
      membershipId: globalId('Membership', fixture.coordinator.membershipId),
      reason: 'a test of the session cache',
    });
    expectForbidden(await coordinator.graphql(TRIAL_BALANCE, { currencyId }));
  });

  /**
   * The two ways a change is heard, each shown to matter: with the database's notifications
   * silenced, this replica still forgets what its own writes change, while a session revoked
   * behind its back is still answered from memory (as another replica's would be, for as long as
   * CREDENTIALS_CACHE_MS, if the triggers were not there).
   */
  describe('with the notifications silenced', () => {
    beforeAll(() =>
      asSuperuser(testDatabaseUrl(), async (sql) => {
        await sql('ALTER TABLE sessions DISABLE TRIGGER sessions_announce_credentials_change');
      }),
    );

    it("forgets a session signed out on this replica by the write's own commit", async () => {
      const member = await registerAndLogIn(t, 'silenced-sign-out');
      await kept(member.tokens.accessToken, member.memberId);
      await gql(t.as(member.tokens.accessToken), LOGOUT, { everywhere: false });
      await expectSessionEnded(t, member.tokens.accessToken);
    });

    it('does not hear a session revoked elsewhere until it expires from memory', async () => {
      const member = await registerAndLogIn(t, 'silenced-revoked');
      await kept(member.tokens.accessToken, member.memberId);
      await t.dataSource.query('UPDATE sessions SET revoked_at = now() WHERE member_id = $1', [rowId(member.memberId)]);
      await sleep(1000);
      await expectSessionLive(t, member.tokens.accessToken, member.memberId);
    });
  });
});
