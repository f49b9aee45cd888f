import { globalId } from '../support/global-ids.js';
import { jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createLedgerFixture, LedgerFixture } from '../support/ledger-fixture.js';
import { GraphqlClient, useTestApp } from '../support/test-app.js';
import { AccessRepository } from '../../src/access/access.repository.js';
import { LedgerRepository } from '../../src/ledger/ledger.repository.js';
import type { MemberActor } from '../../src/access/actor.js';
import { ListingsService } from '../../src/listings/listings.service.js';
import { ListingKind, ListingNature, PricingUnit } from '../../src/listings/models/listing-enums.js';

/** A page of transfers with the given fields of each. */
const pageOfTransfers = (fields: string) => `query Page($accountId: ID, $currencyId: ID, $first: Int!) {
  transfers(accountId: $accountId, currencyId: $currencyId, first: $first) { edges { node { ${fields} } } }
}`;
const RELATED_OBJECTS = 'debitAccount { id currency { code } } creditAccount { id name } currency { code }';
/** However many rows: the accounts in one query, their currencies in one, and the facts that decide who sees them in one. */
const ONE_LOAD_EACH = { accounts: 1, currencies: 1, accessFacts: 1 };

interface TransferNode {
  kind?: string;
  pendingStatus?: string | null;
  resolution?: { id: string } | null;
  reversal?: { id: string } | null;
  debitAccount: { id: string; currency: { code: string } } | null;
  creditAccount: { id: string; name: string } | null;
  currency: { code: string };
  postings?: { accountId: string }[];
}

/** What answering one request cost: the SQL it ran, and how often it loaded accounts, currencies and access facts. */
interface RequestCost {
  nodes: TransferNode[];
  statements: string[];
  loads: { accounts: number; currencies: number; accessFacts: number };
}

/**
 * A page of transfers loads its accounts, their currencies and the facts access decisions rest on
 * in one query each, not one per row: what a page costs does not grow with its size.
 */
describe('batched loading of related objects', () => {
  // Every request reads its session: the first of two pages would otherwise read it and the second
  // find it kept (test/e2e/session-cache.test.ts), and their statements would differ by that alone.
  const t = useTestApp({ poolSize: 4, env: { CREDENTIALS_CACHE_MS: '0' } });
  let fixture: LedgerFixture;

  beforeAll(async () => {
    fixture = await createLedgerFixture(t, [{ balance: 1000n }, {}, {}, {}]);
    const [payer, ...payees] = fixture.members;
    for (let i = 0; i < 10; i++) {
      const payload = await t.ledger.createTransfer({
        idempotencyKey: randomUUID(),
        debitAccountId: payer.id,
        creditAccountId: payees[i % payees.length].id,
        amount: 5n,
        code: 'payment',
        memo: '',
      });
      expect(payload.userErrors).toEqual([]);
    }
  });

  /** The answer to one request, and the SQL it ran, sorted. */
  async function answerWithSql<T>(
    viewer: GraphqlClient,
    query: string,
    variables: Record<string, unknown>,
  ): Promise<{ data: T; statements: string[] }> {
    const spy = jest.spyOn(t.dataSource, 'query');
    try {
      const response = await viewer.graphql<T>(query, variables);
      expect(response.errors).toBeUndefined();
      return {
        data: response.data!,
        // The pending-expiry sweeper queries in the background, always within its own transactions; a read runs outside any.
        statements: spy.mock.calls
          .filter(([, , queryRunner]) => queryRunner === undefined)
          .map(([sql]) => sql)
          .sort(),
      };
    } finally {
      spy.mockRestore();
    }
  }

  async function cost(viewer: GraphqlClient, fields: string, variables: Record<string, unknown>): Promise<RequestCost> {
    const spies = {
      accounts: jest.spyOn(LedgerRepository.prototype, 'findAccounts'),
      currencies: jest.spyOn(LedgerRepository.prototype, 'findCurrencies'),
      accessFacts: jest.spyOn(AccessRepository.prototype, 'accountFacts'),
    };
    try {
      const { data, statements } = await answerWithSql<{ transfers: { edges: { node: TransferNode }[] } }>(
        viewer,
        pageOfTransfers(fields),
        variables,
      );
      return {
        nodes: data.transfers.edges.map((edge) => edge.node),
        statements,
        loads: {
          accounts: spies.accounts.mock.calls.length,
          currencies: spies.currencies.mock.calls.length,
          accessFacts: spies.accessFacts.mock.calls.length,
        },
      };
    } finally {
      for (const spy of Object.values(spies)) spy.mockRestore();
    }
  }

  /** Asks for a page of 2 and a page of 10, expecting the same SQL for both; returns the large page's costs. */
  async function expectCostIndependentOfPageSize(
    viewer: GraphqlClient,
    fields: string,
    filter: Record<string, unknown>,
  ): Promise<RequestCost> {
    const small = await cost(viewer, fields, { ...filter, first: 2 });
    const large = await cost(viewer, fields, { ...filter, first: 10 });

    expect([small.nodes.length, large.nodes.length]).toEqual([2, 10]);
    expect(large.statements).toEqual(small.statements);
    expect(large.loads).toEqual(small.loads);
    return large;
  }

  it("answers the coordinator's page of a currency's transfers at a cost independent of its size", async () => {
    const [payer, ...payees] = fixture.members;

    const { nodes, loads } = await expectCostIndependentOfPageSize(fixture.asCoordinator(), RELATED_OBJECTS, {
      currencyId: fixture.currency.id,
    });

    expect(loads).toEqual(ONE_LOAD_EACH);
    expect(new Set(nodes.map((node) => node.debitAccount?.id))).toEqual(new Set([globalId('Account', payer.id)]));
    expect(new Set(nodes.map((node) => node.creditAccount?.id))).toEqual(
      new Set(payees.map((payee) => globalId('Account', payee.id))),
    );
    expect(nodes.every((node) => node.currency.code === 'HOUR' && node.debitAccount?.currency.code === 'HOUR')).toBe(
      true,
    );
  });

  it("answers a payer's page of their own transfers at a cost independent of its size, without the payees' accounts", async () => {
    const [payer] = fixture.members;

    const { nodes, loads } = await expectCostIndependentOfPageSize(fixture.as(payer), RELATED_OBJECTS, {
      accountId: payer.id,
    });

    // Access facts twice: once for the account the list is filtered by, before the page exists; once for the page.
    expect(loads).toEqual({ ...ONE_LOAD_EACH, accessFacts: 2 });
    expect(new Set(nodes.map((node) => node.debitAccount?.id))).toEqual(new Set([globalId('Account', payer.id)]));
    expect(nodes.map((node) => node.creditAccount)).toEqual(Array(10).fill(null));
  });

  it("loads a page's resolutions, reversals and pending states at a cost independent of its size", async () => {
    const holds = await createLedgerFixture(t, [{ balance: 1000n }, {}]);
    const [holder, payee] = holds.members;
    for (let i = 0; i < 10; i++) {
      const payload = await t.ledger.createTransfer({
        idempotencyKey: randomUUID(),
        debitAccountId: holder.id,
        creditAccountId: payee.id,
        amount: 5n,
        code: 'payment',
        memo: '',
        pending: true,
        timeoutSeconds: 3600,
      });
      expect(payload.userErrors).toEqual([]);
    }

    const { nodes, statements } = await expectCostIndependentOfPageSize(
      holds.asCoordinator(),
      'kind pendingStatus resolution { id } reversal { id }',
      { currencyId: holds.currency.id },
    );

    // One query for the page's resolutions and one for its reversals, not one per row.
    expect(statements.filter((sql) => /pending_id = ANY/.test(sql))).toHaveLength(1);
    expect(statements.filter((sql) => /reverses_id = ANY/.test(sql))).toHaveLength(1);
    expect(nodes).toEqual(Array(10).fill({ kind: 'PENDING', pendingStatus: 'OPEN', resolution: null, reversal: null }));
  });

  it('reads a statement page in two queries: the account with the facts that decide who sees it, then the page', async () => {
    const [payer] = fixture.members;
    const accessFacts = jest.spyOn(AccessRepository.prototype, 'accountFacts');
    try {
      const { data, statements } = await answerWithSql<{
        account: { balance: string; statement: { edges: unknown[] } };
      }>(
        fixture.as(payer),
        `query Page($id: ID!) { account(id: $id) { balance statement(first: 5) { edges { node { amount balanceAfter } } } } }`,
        { id: globalId('Account', payer.id) },
      );
      expect(data.account.statement.edges).toHaveLength(5);
      expect(accessFacts).not.toHaveBeenCalled();
      // Besides the session's (read on every request here): the account with its facts, and the page.
      expect(statements.filter((sql) => !/FROM sessions/.test(sql))).toHaveLength(2);
    } finally {
      accessFacts.mockRestore();
    }
  });

  it("loads a page's postings at a cost independent of its size, showing a payer only their own", async () => {
    const [payer] = fixture.members;

    const { nodes } = await expectCostIndependentOfPageSize(fixture.as(payer), 'postings { accountId }', {
      accountId: payer.id,
    });

    expect(nodes.map((node) => node.postings)).toEqual(Array(10).fill([{ accountId: globalId('Account', payer.id) }]));
  });

  describe('the objects beside the ids of a page', () => {
    const PAGE_OF_LISTINGS = `query Listings($communityId: ID!, $first: Int!) {
      listings(communityId: $communityId, first: $first) { edges { node {
        memberId member { id displayName email }
        communityId community { id slug }
      } } }
    }`;
    interface ListingNode {
      memberId: string;
      member: { id: string; displayName: string; email: string | null } | null;
      communityId: string;
      community: { id: string; slug: string };
    }

    beforeAll(async () => {
      // Twenty listings by four authors, posted through the service: the mutation's rate limit is not what is tested here.
      const listings = t.app.get(ListingsService);
      for (let i = 0; i < 20; i++) {
        const holder = fixture.holders[i % fixture.holders.length];
        const author: MemberActor = {
          kind: 'member',
          memberId: holder.memberId,
          isAdmin: false,
          sessionId: null,
          viaPartnerAppId: null,
          withinCommunityId: null,
        };
        const { userErrors } = await listings.create(author, {
          communityId: fixture.community.id,
          kind: ListingKind.OFFER,
          nature: ListingNature.SERVICE,
          title: `Help number ${i}`,
          category: 'gardening',
          pricing: PricingUnit.PER_HOUR,
          price: 60n,
        });
        expect(userErrors).toEqual([]);
      }
    });

    // A co-member sees the authors' profiles but not their emails; the coordinator sees those too.
    it.each([
      ['a co-member', () => fixture.as(fixture.members[0]), false],
      ['the coordinator', () => fixture.asCoordinator(), true],
    ])(
      'answers %s a page of listings with their members and communities in as many queries for 20 as for 2',
      async (_viewer, client, seesEmails) => {
        const page = (first: number) =>
          answerWithSql<{ listings: { edges: { node: ListingNode }[] } }>(client(), PAGE_OF_LISTINGS, {
            communityId: fixture.community.id,
            first,
          });
        const small = await page(2);
        const large = await page(20);

        expect(large.statements).toEqual(small.statements);
        const nodes = large.data.listings.edges.map((edge) => edge.node);
        expect(nodes).toHaveLength(20);
        for (const node of nodes) {
          expect(node.member?.id).toBe(node.memberId);
          // The co-member (the first holder) is an author too, and sees their own email.
          const own = !seesEmails && node.memberId === globalId('Member', fixture.holders[0].memberId);
          expect(node.member?.email).toEqual(seesEmails || own ? expect.stringMatching(/@test[.]example$/) : null);
          expect(node.community).toEqual({ id: node.communityId, slug: fixture.community.slug });
        }
      },
    );
  });
});
