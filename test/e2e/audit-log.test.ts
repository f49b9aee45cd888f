import { globalId, rowId } from '../support/global-ids.js';
import { createLedgerFixture, LedgerFixture } from '../support/ledger-fixture.js';
import { GraphqlClient, useTestApp } from '../support/test-app.js';
import { ErrorCode } from '../../libs/graphql/error-code.js';
import { asPartner, loginAsNewAdmin, registerPartnerApp } from './auth-client.js';
import { expectForbidden, expectQueryRefused } from './denials.js';
import { gql, newKey } from './graphql-client.js';
import { succeed } from './member-client.js';

const AUDIT_LOG = `query AuditLogService($communityId: ID, $action: String, $actorMemberId: ID, $targetType: String, $targetId: String, $from: DateTime, $to: DateTime, $first: Int, $after: String) {
  auditLog(communityId: $communityId, action: $action, actorMemberId: $actorMemberId, targetType: $targetType, targetId: $targetId, from: $from, to: $to, first: $first, after: $after) {
    edges { node { id action actorMemberId actorRole partnerAppId communityId targetType targetId reason details createdAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface EntryView {
  id: string;
  action: string;
  actorMemberId: string | null;
  actorRole: string;
  communityId: string | null;
  targetType: string;
  targetId: string;
  reason: string | null;
  details: Record<string, unknown>;
}

interface AuditPage {
  auditLog: { edges: { node: EntryView }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

describe('the audit log over GraphQL', () => {
  const t = useTestApp();
  let fixture: LedgerFixture;
  let coordinator: GraphqlClient;

  const actions = async (client: GraphqlClient, variables: Record<string, unknown>): Promise<string[]> =>
    (await gql<AuditPage>(client, AUDIT_LOG, variables)).auditLog.edges.map(({ node }) => node.action);

  beforeAll(async () => {
    fixture = await createLedgerFixture(t, [{ balance: 100n }, {}]);
    coordinator = fixture.asCoordinator();
    const [member] = fixture.members;
    await succeed(coordinator, 'grantCredits', {
      idempotencyKey: newKey(),
      accountId: member.id,
      amount: '30',
      source: 'ISSUANCE',
      reason: 'helped at the fair',
    });
    await succeed(coordinator, 'freezeAccount', { accountId: member.id, reason: 'suspected fraud' });
    await succeed(coordinator, 'unfreezeAccount', { accountId: member.id, reason: 'cleared' });
  });

  it("shows a community's coordinator who did what, newest first, with the reason and particulars", async () => {
    // The fixture's own admissions are in the log too (as the system); these are the coordinator's.
    const { auditLog } = await gql<AuditPage>(coordinator, AUDIT_LOG, {
      communityId: fixture.community.id,
      actorMemberId: fixture.coordinator.memberId,
    });
    expect(auditLog.edges.map(({ node }) => node.action)).toEqual([
      'account.unfreeze',
      'account.freeze',
      'ledger.grant',
    ]);
    const grant = auditLog.edges[2].node;
    expect(grant).toMatchObject({
      actorMemberId: globalId('Member', fixture.coordinator.memberId),
      actorRole: 'COORDINATOR',
      communityId: globalId('Community', fixture.community.id),
      targetType: 'transfer',
      reason: 'helped at the fair',
      // Details are free-form JSON: database ids.
      details: { amount: '30', creditAccountId: fixture.members[0].id, source: 'issuance' },
    });
  });

  it('filters by action, by a prefix of actions, by target and by time, and pages without repeats', async () => {
    const community = { communityId: fixture.community.id };
    expect(await actions(coordinator, { ...community, action: 'account.' })).toEqual([
      'account.unfreeze',
      'account.freeze',
    ]);
    expect(await actions(coordinator, { ...community, action: 'ledger.grant' })).toEqual(['ledger.grant']);
    expect(
      await actions(coordinator, { ...community, targetType: 'account', targetId: fixture.members[1].id }),
    ).toEqual([]);
    expect(await actions(coordinator, { ...community, actorMemberId: fixture.holders[0].memberId })).toEqual([]);
    expect(await actions(coordinator, { ...community, from: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);

    const byCoordinator = { ...community, actorMemberId: fixture.coordinator.memberId };
    expect(
      await actions(coordinator, { ...community, actorMemberId: null, action: 'membership.approve' }),
    ).toHaveLength(3);
    const first = (await gql<AuditPage>(coordinator, AUDIT_LOG, { ...byCoordinator, first: 2 })).auditLog;
    const second = (
      await gql<AuditPage>(coordinator, AUDIT_LOG, { ...byCoordinator, first: 2, after: first.pageInfo.endCursor })
    ).auditLog;
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect([...first.edges, ...second.edges].map(({ node }) => node.action)).toEqual([
      'account.unfreeze',
      'account.freeze',
      'ledger.grant',
    ]);
  });

  it("is closed to members, other communities' coordinators and anonymous callers, and the whole server's log to all but admins", async () => {
    const other = await createLedgerFixture(t, []);
    expectForbidden(await fixture.as(fixture.members[0]).graphql(AUDIT_LOG, { communityId: fixture.community.id }));
    expectForbidden(await other.asCoordinator().graphql(AUDIT_LOG, { communityId: fixture.community.id }));
    expectForbidden(await coordinator.graphql(AUDIT_LOG, {}));
    expectQueryRefused(await t.graphql(AUDIT_LOG, { communityId: fixture.community.id }), ErrorCode.UNAUTHENTICATED);
  });

  it("opens a community's log to its AUDIT_READ partner app, and the whole server's to admins", async () => {
    const { apiKey } = await registerPartnerApp(coordinator, fixture.community.id, ['AUDIT_READ']);
    expect(await actions(asPartner(t, apiKey), { communityId: fixture.community.id, action: 'account.' })).toEqual([
      'account.unfreeze',
      'account.freeze',
    ]);

    const admin = await loginAsNewAdmin(t);
    const serverWide = (await gql<AuditPage>(admin.client, AUDIT_LOG, { action: 'member.make_admin', first: 100 }))
      .auditLog.edges;
    expect(
      serverWide.some(
        // targetId is the database id of a row of targetType, not a global id.
        ({ node }) =>
          node.targetId === rowId(admin.memberId) && node.actorRole === 'SYSTEM' && node.communityId === null,
      ),
    ).toBe(true);
  });

  it('refuses a malformed filter as BAD_USER_INPUT', async () => {
    const response = await coordinator.graphql(AUDIT_LOG, { communityId: fixture.community.id, action: 'DROP TABLE' });
    expect(response.errors?.[0]?.extensions?.code).toBe(ErrorCode.BAD_USER_INPUT);
  });
});
