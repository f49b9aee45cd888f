import { globalId } from '../support/global-ids.js';
import { createLedgerFixture } from '../support/ledger-fixture.js';
import type { LedgerFixture } from '../support/ledger-fixture.js';
import { useTestApp } from '../support/test-app.js';
import type { GraphqlClient } from '../support/test-app.js';
import { registerAndLogIn } from './auth-client.js';
import { expectForbidden } from './denials.js';
import { gql } from './graphql-client.js';
import { pay, pendingMember } from './member-client.js';

const PAYEES = `query Payees($communityId: ID!, $name: String, $first: Int) {
  payees(communityId: $communityId, name: $name, first: $first) {
    totalCount
    edges { node { accountId status member { displayName } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface PayeesView {
  totalCount: number;
  edges: { node: { accountId: string; status: string; member: { displayName: string } } }[];
  pageInfo: { hasNextPage: boolean };
}

describe('payees: whom a member may pay, found by name', () => {
  const t = useTestApp();
  let fixture: LedgerFixture;
  let communityId: string;

  beforeAll(async () => {
    fixture = await createLedgerFixture(t, [{ balance: 120n }, {}, {}]);
    communityId = globalId('Community', fixture.community.id);
  });

  const payees = async (client: GraphqlClient, variables: Record<string, unknown> = {}): Promise<PayeesView> =>
    (await gql<{ payees: PayeesView }>(client, PAYEES, { communityId, ...variables })).payees;
  const names = (page: PayeesView): string[] => page.edges.map((edge) => edge.node.member.displayName);
  const tag = (): string => fixture.community.slug.replace('test-', '');

  it("lists the community's other active members with the account to pay, and the payment goes through", async () => {
    await pendingMember(t, fixture);
    const [payer, payee] = fixture.members;
    const page = await payees(fixture.as(payer));
    expect(names(page)).toEqual([`member2 ${tag()}`, `member3 ${tag()}`, `coordinator ${tag()}`]);
    expect(page.totalCount).toBe(3);
    expect(page.edges.every((edge) => edge.node.status === 'ACTIVE')).toBe(true);
    const chosen = page.edges[0].node.accountId;
    expect(chosen).toBe(globalId('Account', payee.id));
    await pay(fixture.as(payer), globalId('Account', payer.id), chosen, 45);
    expect((await t.ledger.findAccount(payee.id))!.balance).toBe(45n);
  });

  it('finds by any part of the name in any case, and reads % and _ as themselves', async () => {
    const payer = fixture.as(fixture.members[0]);
    expect(names(await payees(payer, { name: 'MEMBER3' }))).toEqual([`member3 ${tag()}`]);
    expect(names(await payees(payer, { name: 'ember' }))).toEqual([`member2 ${tag()}`, `member3 ${tag()}`]);
    expect((await payees(payer, { name: '%' })).totalCount).toBe(0);
    expect((await payees(payer, { name: 'member_' })).totalCount).toBe(0);
  });

  it('pages, with the total over all pages', async () => {
    const page = await payees(fixture.as(fixture.members[0]), { first: 2 });
    expect(page.edges).toHaveLength(2);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(page.totalCount).toBe(3);
  });

  it("gives account ids, not balances: a payee's account stays theirs to read", async () => {
    const response = await fixture
      .as(fixture.members[0])
      .graphql(`query($id: ID!) { payees(communityId: $id, first: 1) { edges { node { account { balance } } } } }`, {
        id: communityId,
      });
    expectForbidden(response);
  });

  it("is the coordinator's too, and refused to anyone not active in the community", async () => {
    expect(names(await payees(fixture.asCoordinator()))).toEqual([
      `member1 ${tag()}`,
      `member2 ${tag()}`,
      `member3 ${tag()}`,
    ]);
    const applicant = await pendingMember(t, fixture, 'second-applicant');
    const outsider = await registerAndLogIn(t, 'outsider');
    for (const client of [applicant.client, outsider.client, t]) {
      expectForbidden(await client.graphql(PAYEES, { communityId }));
    }
  });
});
