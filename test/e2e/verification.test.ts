import { Client } from 'pg';
import { withScratchDatabase } from '../../libs/database/scratch-database.js';
import { ErrorCode } from '../../libs/graphql/error-code.js';
import { createLedgerFixture, LedgerFixture } from '../../libs/testing/ledger-fixture.js';
import { GraphqlClient, startTestApp, testDatabaseUrl, useTestApp } from '../../libs/testing/test-app.js';
import { ScheduledVerification } from '../../src/audit/verification.sweeper.js';
import { asPartner, registerPartnerApp } from './auth-client.js';
import { expectForbidden, expectQueryRefused } from './denials.js';
import { gql } from './graphql-client.js';
import { auditRows } from './member-client.js';

const RUN_FIELDS = 'id communityId trigger requestedBy passed acknowledgedAt checks { name passed offendingRows }';
const RUN = `mutation Run($communityId: ID!) { runLedgerVerification(communityId: $communityId) { ${RUN_FIELDS} } }`;
const RUNS = `query Runs($communityId: ID!, $openAlertsOnly: Boolean) {
  verificationRuns(communityId: $communityId, openAlertsOnly: $openAlertsOnly) { edges { node { ${RUN_FIELDS} } } }
}`;
const ACKNOWLEDGE = 'mutation Ack($runId: ID!, $note: String!) { acknowledgeVerificationAlert(runId: $runId, note: $note) { id acknowledgedAt acknowledgedBy } }';

interface RunView {
  id: string;
  communityId: string;
  trigger: string;
  requestedBy: string | null;
  passed: boolean;
  acknowledgedAt: string | null;
  checks: { name: string; passed: boolean; offendingRows: Record<string, unknown>[] }[];
}

const runNow = async (client: GraphqlClient, communityId: string): Promise<RunView> =>
  (await gql<{ runLedgerVerification: RunView }>(client, RUN, { communityId })).runLedgerVerification;

const runsOf = async (client: GraphqlClient, communityId: string, openAlertsOnly = false): Promise<RunView[]> =>
  (await gql<{ verificationRuns: { edges: { node: RunView }[] } }>(client, RUNS, { communityId, openAlertsOnly })).verificationRuns.edges.map(({ node }) => node);

describe('verifying a community ledger over GraphQL', () => {
  const t = useTestApp();
  let fixture: LedgerFixture;

  beforeAll(async () => {
    fixture = await createLedgerFixture(t, [{ balance: 100n }, { balance: 20n }]);
  });

  it('runs every check over the community on demand and stores the report', async () => {
    const run = await runNow(fixture.asCoordinator(), fixture.community.id);
    expect(run).toMatchObject({ communityId: fixture.community.id, trigger: 'ON_DEMAND', requestedBy: fixture.coordinator.memberId, passed: true });
    expect(run.checks.length).toBeGreaterThanOrEqual(12);
    expect(run.checks.every((check) => check.passed && check.offendingRows.length === 0)).toBe(true);
    expect((await runsOf(fixture.asCoordinator(), fixture.community.id)).map((stored) => stored.id)).toContain(run.id);
    expect(await runsOf(fixture.asCoordinator(), fixture.community.id, true)).toEqual([]);
  });

  it("is open to the community's AUDIT_READ partner app, closed to members, other communities and anonymous callers", async () => {
    const { apiKey } = await registerPartnerApp(fixture.asCoordinator(), fixture.community.id, ['AUDIT_READ']);
    expect((await runNow(asPartner(t, apiKey), fixture.community.id)).passed).toBe(true);
    const other = await createLedgerFixture(t, []);
    expectForbidden(await fixture.as(fixture.members[0]).graphql(RUN, { communityId: fixture.community.id }));
    expectForbidden(await other.asCoordinator().graphql(RUN, { communityId: fixture.community.id }));
    expectForbidden(await other.asCoordinator().graphql(RUNS, { communityId: fixture.community.id }));
    expectQueryRefused(await t.graphql(RUN, { communityId: fixture.community.id }), ErrorCode.UNAUTHENTICATED);
  });

  it('finds tampering in its own community only, keeps the failed run as an alert, and lets a manager acknowledge it once', async () => {
    // Tampering is done in a scratch database of this test's own: the shared one must stay sound for every other test.
    await withScratchDatabase(testDatabaseUrl(), 'pumasi_verification', async (url) => {
      const app = await startTestApp(4, url);
      try {
        const tampered = await createLedgerFixture(app, [{ balance: 100n }, {}]);
        const sound = await createLedgerFixture(app, [{ balance: 50n }]);
        const superuser = new Client({ connectionString: url });
        await superuser.connect();
        try {
          // As a superuser would, bypassing the triggers that keep history append-only.
          await superuser.query('SET session_replication_role = replica');
          await superuser.query('UPDATE accounts SET posted_credits = posted_credits + 7 WHERE id = $1', [tampered.members[0].id]);
        } finally {
          await superuser.end();
        }
        const coordinator = tampered.asCoordinator();
        const run = await runNow(coordinator, tampered.community.id);
        expect(run.passed).toBe(false);
        const failed = run.checks.filter((check) => !check.passed);
        expect(failed.map((check) => check.name)).toContain('each account equals the sum of its postings, with versions 1..n');
        expect(failed.flatMap((check) => check.offendingRows).some((row) => row.id === tampered.members[0].id)).toBe(true);
        expect((await runNow(sound.asCoordinator(), sound.community.id)).passed).toBe(true);

        await app.app.get(ScheduledVerification).sweep();
        const alerts = await runsOf(coordinator, tampered.community.id, true);
        expect(alerts.map((alert) => alert.trigger).sort()).toEqual(['ON_DEMAND', 'SCHEDULED']);
        expect(await runsOf(sound.asCoordinator(), sound.community.id, true)).toEqual([]);

        // A nullable field: its denial leaves data.acknowledgeVerificationAlert null beside the error.
        const denied = await tampered.as(tampered.members[0]).graphql(ACKNOWLEDGE, { runId: run.id, note: 'not mine to close' });
        expect(denied.errors?.map((error) => error.extensions?.code)).toEqual([ErrorCode.FORBIDDEN]);
        const acknowledged = await gql<{ acknowledgeVerificationAlert: { acknowledgedBy: string } | null }>(coordinator, ACKNOWLEDGE, { runId: run.id, note: 'restored from backup' });
        expect(acknowledged.acknowledgeVerificationAlert?.acknowledgedBy).toBe(tampered.coordinator.memberId);
        expect((await gql<{ acknowledgeVerificationAlert: unknown }>(coordinator, ACKNOWLEDGE, { runId: run.id, note: 'again' })).acknowledgeVerificationAlert).toBeNull();
        expect((await runsOf(coordinator, tampered.community.id, true)).map((alert) => alert.trigger)).toEqual(['SCHEDULED']);
        const [row] = await auditRows(app, { communityId: tampered.community.id, action: 'verification.acknowledge' });
        expect(row).toMatchObject({ actorMemberId: tampered.coordinator.memberId, reason: 'restored from backup', targetId: run.id });
      } finally {
        await app.close();
      }
    });
  });
});
