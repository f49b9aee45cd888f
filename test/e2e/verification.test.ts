import { ErrorCode } from '../../libs/graphql/error-code.js';
import { createLedgerFixture, LedgerFixture } from '../support/ledger-fixture.js';
import { chainEverything } from '../support/chain.js';
import { GraphqlClient, startTestApp, TestApp, useTestApp } from '../support/test-app.js';
import { withClonedDatabase } from '../support/test-database.js';
import { asSuperuser } from '../support/superuser.js';
import { verifyStatementProof } from '../../src/integrity/proof-verifier.js';
import { VerificationSweeper } from '../../src/integrity/verification.sweeper.js';
import { EventRelaySweeper } from '../../src/events/event-relay.sweeper.js';
import { waitUntil } from '../support/held-locks.js';
import { VerificationRepository } from '../../src/integrity/verification.repository.js';
import { SCHEDULED_VERIFICATION_SECONDS } from '../../src/integrity/verification.service.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { createListing, listingInput } from './listing-client.js';
import { asPartner, registerPartnerApp } from './auth-client.js';
import { expectForbidden, expectQueryRefused } from './denials.js';
import { gql } from './graphql-client.js';
import { recordCheckpoint, statementProof } from './integrity-client.js';
import { auditRows, pay } from './member-client.js';
import { globalId, rowId } from '../support/global-ids.js';

const RUN_FIELDS = 'id communityId trigger requestedBy passed acknowledgedAt checks { name passed offendingRows }';
const RUN = `mutation Run($communityId: ID!) { runLedgerVerification(communityId: $communityId) { ${RUN_FIELDS} } }`;
const RUNS = `query Runs($communityId: ID!, $openAlertsOnly: Boolean) {
  verificationRuns(communityId: $communityId, openAlertsOnly: $openAlertsOnly) { edges { node { ${RUN_FIELDS} } } }
}`;
const ACKNOWLEDGE =
  'mutation Ack($runId: ID!, $note: String!) { acknowledgeVerificationAlert(runId: $runId, note: $note) { id acknowledgedAt acknowledgedBy } }';
const CLOSE_ALERT =
  'mutation Close($input: CloseVerificationAlertInput!) { closeVerificationAlert(input: $input) { run { id acknowledgedBy } userErrors { code field } } }';

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
  (
    await gql<{ verificationRuns: { edges: { node: RunView }[] } }>(client, RUNS, { communityId, openAlertsOnly })
  ).verificationRuns.edges.map(({ node }) => node);

describe('verifying a community ledger over GraphQL', () => {
  const t = useTestApp();
  let fixture: LedgerFixture;

  beforeAll(async () => {
    fixture = await createLedgerFixture(t, [{ balance: 100n }, { balance: 20n }]);
  });

  it('runs every check over the community on demand and stores the report', async () => {
    const run = await runNow(fixture.asCoordinator(), fixture.community.id);
    expect(run).toMatchObject({
      communityId: globalId('Community', fixture.community.id),
      trigger: 'ON_DEMAND',
      requestedBy: globalId('Member', fixture.coordinator.memberId),
      passed: true,
    });
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
    // Tampering is done in a database of this test's own: the file's must stay sound for its other tests.
    await withClonedDatabase(async (url) => {
      const app = await startTestApp(4, url);
      try {
        const tampered = await createLedgerFixture(app, [{ balance: 100n }, {}]);
        const sound = await createLedgerFixture(app, [{ balance: 50n }]);
        await asSuperuser(url, (sql) =>
          sql('UPDATE accounts SET posted_credits = posted_credits + 7 WHERE id = $1', [tampered.members[0].id]).then(
            () => undefined,
          ),
        );
        const coordinator = tampered.asCoordinator();
        const run = await runNow(coordinator, tampered.community.id);
        expect(run.passed).toBe(false);
        const failed = run.checks.filter((check) => !check.passed);
        expect(failed.map((check) => check.name)).toContain(
          'each account equals the sum of its postings, with versions 1..n',
        );
        expect(failed.flatMap((check) => check.offendingRows).some((row) => row.id === tampered.members[0].id)).toBe(
          true,
        );
        expect((await runNow(sound.asCoordinator(), sound.community.id)).passed).toBe(true);

        // The failed run is an event for the community's auditors, and for nobody else.
        const FAILURES = `query Failures($communityId: ID) {
          events(types: ["verification.failed"], communityId: $communityId) { edges { node { subjectId payload } } }
        }`;
        const failuresSeenBy = async (client: GraphqlClient, communityId?: string) =>
          (
            await gql<{ events: { edges: { node: { subjectId: string; payload: Record<string, unknown> } }[] } }>(
              client,
              FAILURES,
              { communityId },
            )
          ).events.edges.map(({ node }) => node);
        await waitUntil('the failed run is published', async () => {
          await app.app.get(EventRelaySweeper).sweep();
          return (await failuresSeenBy(coordinator, tampered.community.id)).length > 0;
        });
        expect(await failuresSeenBy(coordinator, tampered.community.id)).toEqual([
          {
            subjectId: run.id,
            payload: expect.objectContaining({
              version: 1,
              communityId: globalId('Community', tampered.community.id),
              trigger: 'on_demand',
              failedChecks: expect.arrayContaining(['each account equals the sum of its postings, with versions 1..n']),
            }),
          },
        ]);
        expect(await failuresSeenBy(tampered.as(tampered.members[0]))).toEqual([]);
        expect(await failuresSeenBy(sound.asCoordinator(), sound.community.id)).toEqual([]);

        await app.app.get(VerificationSweeper).sweep();
        const alerts = await runsOf(coordinator, tampered.community.id, true);
        expect(alerts.map((alert) => alert.trigger).sort()).toEqual(['ON_DEMAND', 'SCHEDULED']);
        expect(await runsOf(sound.asCoordinator(), sound.community.id, true)).toEqual([]);

        // A nullable field: its denial leaves data.acknowledgeVerificationAlert null beside the error.
        const denied = await tampered
          .as(tampered.members[0])
          .graphql(ACKNOWLEDGE, { runId: run.id, note: 'not mine to close' });
        expect(denied.errors?.map((error) => error.extensions?.code)).toEqual([ErrorCode.FORBIDDEN]);
        const acknowledged = await gql<{ acknowledgeVerificationAlert: { acknowledgedBy: string } | null }>(
          coordinator,
          ACKNOWLEDGE,
          { runId: run.id, note: 'restored from backup' },
        );
        expect(acknowledged.acknowledgeVerificationAlert?.acknowledgedBy).toBe(
          globalId('Member', tampered.coordinator.memberId),
        );
        expect(
          (
            await gql<{ acknowledgeVerificationAlert: unknown }>(coordinator, ACKNOWLEDGE, {
              runId: run.id,
              note: 'again',
            })
          ).acknowledgeVerificationAlert,
        ).toBeNull();
        expect((await runsOf(coordinator, tampered.community.id, true)).map((alert) => alert.trigger)).toEqual([
          'SCHEDULED',
        ]);
        // closeVerificationAlert, its replacement, closes the other; a second time is NO_OPEN_ALERT.
        const [scheduled] = await runsOf(coordinator, tampered.community.id, true);
        const close = async () =>
          (
            await gql<{ closeVerificationAlert: unknown }>(coordinator, CLOSE_ALERT, {
              input: { runId: scheduled.id, note: 'the same backup' },
            })
          ).closeVerificationAlert;
        expect(await close()).toEqual({
          run: { id: scheduled.id, acknowledgedBy: globalId('Member', tampered.coordinator.memberId) },
          userErrors: [],
        });
        expect(await close()).toEqual({
          run: null,
          userErrors: [{ code: 'NO_OPEN_ALERT', field: ['input', 'runId'] }],
        });
        expect(await runsOf(coordinator, tampered.community.id, true)).toEqual([]);
        const [row] = await auditRows(app, { communityId: tampered.community.id, action: 'verification.acknowledge' });
        expect(row).toMatchObject({
          actorMemberId: tampered.coordinator.memberId,
          reason: 'restored from backup',
          targetId: rowId(run.id),
        });
      } finally {
        await app.close();
      }
    });
  });

  it('lets members write to a community while its scheduled check holds the claim on it', async () => {
    // A database of the test's own: the claim takes every community that is due.
    await withClonedDatabase(async (url) => {
      const app = await startTestApp(4, url);
      try {
        const community = await createLedgerFixture(app, [{ balance: 10n }]);
        const claims = app.app.get(VerificationRepository);
        let listing: ReturnType<typeof createListing> | undefined;
        const outcome = await app.app.get(TransactionalConnection).transaction(async () => {
          // The claim stays held until this transaction ends, as it does for the whole ledger scan.
          const due = await claims.lockCommunitiesDue(SCHEDULED_VERIFICATION_SECONDS, 100);
          expect(due.map((claim) => claim.communityId)).toContain(community.community.id);
          listing = createListing(community.as(community.members[0]), listingInput(community.community.id));
          const blocked = new Promise<'blocked'>((done) => setTimeout(() => done('blocked'), 3000));
          return Promise.race([listing.then((payload) => payload.userErrors), blocked]);
        });
        await listing; // a blocked one goes through once the claim is gone: let it finish before the app closes
        expect(outcome).toEqual([]);
      } finally {
        await app.close();
      }
    });
  });

  it("reports each kind of tampering underneath with the check it breaks, and a member's proof stops checking out", async () => {
    await withClonedDatabase(async (url) => {
      const app = await startTestApp(4, url);
      try {
        // One community per case, so that each report shows that case alone.
        const [altered, deleted, broken] = [await tamperable(app), await tamperable(app), await tamperable(app)];
        await chainEverything(app.dataSource);
        const checkpoint = await recordCheckpoint(altered.asCoordinator(), altered.community.id);
        await asSuperuser(url, async (sql) => {
          await sql('UPDATE postings SET amount = amount + 1 WHERE account_id = $1 AND amount > 0', [
            altered.members[1].id,
          ]);
          const [payment] = await sql('SELECT transfer_id FROM postings WHERE account_id = $1 AND amount > 0', [
            deleted.members[1].id,
          ]);
          await sql('DELETE FROM postings WHERE transfer_id = $1', [payment.transfer_id]);
          await sql('DELETE FROM transfers WHERE id = $1', [payment.transfer_id]);
          await sql('UPDATE ledger_chain SET chain_hash = sha256(chain_hash) WHERE position = 1 AND currency_id = $1', [
            broken.currency.id,
          ]);
        });

        const failedChecks = async (fixture: LedgerFixture): Promise<string[]> =>
          (await runNow(fixture.asCoordinator(), fixture.community.id)).checks
            .filter((check) => !check.passed)
            .map((check) => check.name)
            .sort();
        expect(await failedChecks(altered)).toEqual([
          'each account equals the sum of its postings, with versions 1..n',
          'each chained entry still hashes to its transfer and postings',
          'each posting balance follows from the previous one',
          'each transfer has exactly its postings: a debit and a credit, or none while pending or voided',
          'postings of each currency sum to zero',
        ]);
        // The payment was each account's last posting, so the running balances before it still hold.
        expect(await failedChecks(deleted)).toEqual([
          'each account equals the sum of its postings, with versions 1..n',
          'every chained transfer is still there',
        ]);
        expect(await failedChecks(broken)).toEqual(['each link of the hash chain follows from the one before']);

        const [, payee] = altered.members;
        const proof = (await statementProof(altered.as(payee), payee.id))!;
        expect(verifyStatementProof(proof, checkpoint.checkpointHash).problems).toEqual([
          // The verifier reports the database ids its hashes were made over.
          `transfer ${rowId(proof.entries[0].transferId)}: the entry does not hash to the chained entry hash`,
          'posting version 1: its balance does not follow from the one before',
        ]);
      } finally {
        await app.close();
      }
    });
  });
});

/** A community where one member has paid another, ready to be damaged. */
async function tamperable(app: TestApp): Promise<LedgerFixture> {
  const fixture = await createLedgerFixture(app, [{ balance: 50n }, {}]);
  await pay(fixture.as(fixture.members[0]), fixture.members[0].id, fixture.members[1].id, 20);
  return fixture;
}
