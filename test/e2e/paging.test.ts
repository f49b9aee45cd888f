import { globalId } from '../support/global-ids.js';
import { ErrorCode } from '../../libs/graphql/error-code.js';
import { createLedgerFixture, LedgerFixture } from '../support/ledger-fixture.js';
import { GraphqlClient, GraphqlResponse, useTestApp } from '../support/test-app.js';
import { asPartner, loginAsNewAdmin, logInAs, registerMember, registerPartnerApp } from './auth-client.js';
import { errorSummary, expectForbidden } from './denials.js';
import { exchangeCommunity, Party } from './exchange-client.js';
import { gql, PAGE_INFO, PageView } from './graphql-client.js';
import { pay } from './member-client.js';
import { STATEMENT_LINE_FIELDS, StatementLineView } from './report-client.js';

/**
 * The connections that replaced unbounded lists, and the statement's lines paged on their own:
 * every page walk finds each row once, the bounds and cursors are refused as for every connection,
 * totalCount counts what the pages hold, and each is for the same callers as the list it replaces.
 */

const { BAD_USER_INPUT, UNAUTHENTICATED } = ErrorCode;

interface CountedPage<T> extends PageView<T> {
  totalCount: number;
}

/** One connection under test: its query (taking $first and $after) and where its page is in the answer. */
interface ConnectionQuery {
  field: string;
  document: string;
  variables?: Record<string, unknown>;
}

const connection = (field: string, args: string, params: string, node: string): ConnectionQuery => ({
  field,
  document: `query Page($first: Int!, $after: String${params}) {
    ${field}(first: $first, after: $after${args}) { edges { cursor node { ${node} } } ${PAGE_INFO} totalCount }
  }`,
});

const COMMUNITIES = connection('communitiesConnection', '', '', 'id slug name');
const SESSIONS = connection('sessionsConnection', '', '', 'id createdAt current');
const PARTNER_APPS = connection(
  'partnerAppsConnection',
  ', communityId: $communityId',
  ', $communityId: ID!',
  'id name communityId revokedAt',
);
const RISK_SIGNALS = connection(
  'riskSignalsConnection',
  ', communityId: $communityId, kinds: $kinds, to: $to',
  ', $communityId: ID!, $kinds: [RiskSignalKind!], $to: DateTime',
  'kind accountId memberId',
);

function pageOf<T>(query: ConnectionQuery, response: GraphqlResponse): CountedPage<T> {
  expect(response.errors).toBeUndefined();
  return (response.data as Record<string, CountedPage<T>>)[query.field];
}

async function fetchPage<T>(
  client: GraphqlClient,
  query: ConnectionQuery,
  first: number,
  after: string | null,
  variables: Record<string, unknown> = {},
): Promise<CountedPage<T>> {
  return pageOf<T>(query, await client.graphql(query.document, { ...variables, first, after }));
}

/**
 * Walks the whole connection `first` at a time, checking each page's pageInfo, and calling
 * `betweenPages` after the first page (to write rows while a client pages).
 */
async function walk<T>(
  client: GraphqlClient,
  query: ConnectionQuery,
  first: number,
  variables: Record<string, unknown> = {},
  betweenPages?: () => Promise<void>,
): Promise<{ nodes: T[]; pages: number; totalCounts: number[] }> {
  const nodes: T[] = [];
  const totalCounts: number[] = [];
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const page: CountedPage<T> = await fetchPage<T>(client, query, first, after, variables);
    pages += 1;
    expect(page.edges.length).toBeLessThanOrEqual(first);
    expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
    expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
    nodes.push(...page.edges.map((edge) => edge.node));
    totalCounts.push(page.totalCount);
    if (pages === 1) await betweenPages?.();
    if (!page.pageInfo.hasNextPage) return { nodes, pages, totalCounts };
    after = page.pageInfo.endCursor;
  }
}

const ids = (nodes: { id: string }[]): string[] => nodes.map((node) => node.id);

/** The refusal of a page size out of range, or of a cursor the connection did not issue. */
async function expectBadPaging(
  client: GraphqlClient,
  query: ConnectionQuery,
  otherConnectionsCursor: string,
  variables: Record<string, unknown> = {},
): Promise<void> {
  const refusals = [
    { first: 0, after: null },
    { first: 101, after: null },
    { first: -1, after: null },
    { first: 5, after: 'not-a-cursor' },
    { first: 5, after: otherConnectionsCursor },
  ];
  for (const paging of refusals) {
    const response = await client.graphql(query.document, { ...variables, ...paging });
    expect({ paging, data: response.data, codes: errorSummary(response.errors)?.map((error) => error.code) }).toEqual({
      paging,
      data: null,
      codes: [BAD_USER_INPUT],
    });
  }
  const foreign = await client.graphql(query.document, { ...variables, first: 5, after: otherConnectionsCursor });
  expect(foreign.errors?.[0].message).toMatch(/^after is not a cursor of \w+Connection that this API issued$/);
}

describe('paged lists over GraphQL', () => {
  const t = useTestApp();
  /** The endCursor of a connection other than the one under test. */
  let foreignCursor: string;
  let fixture: LedgerFixture;

  beforeAll(async () => {
    fixture = await createLedgerFixture(t, [{}, {}]);
    await createLedgerFixture(t, []);
    const page = await fetchPage(t.as(null), COMMUNITIES, 1, null);
    foreignCursor = page.pageInfo.endCursor!;
  });

  describe('communitiesConnection', () => {
    it('walks every community once, oldest first, with communities added between pages at the end', async () => {
      const listed = (await gql<{ communities: { id: string }[] }>(t.as(null), '{ communities { id } }')).communities;
      let added: LedgerFixture | undefined;
      const { nodes, pages, totalCounts } = await walk<{ id: string }>(t.as(null), COMMUNITIES, 1, {}, async () => {
        added = await createLedgerFixture(t, []);
      });
      expect(ids(nodes)).toEqual([...ids(listed), globalId('Community', added!.community.id)]);
      expect(pages).toBe(nodes.length);
      expect(totalCounts[0]).toBe(listed.length);
      expect(totalCounts.at(-1)).toBe(nodes.length);
    });

    it('is public, as the list is', async () => {
      expect((await fetchPage(t.as(null), COMMUNITIES, 100, null)).edges.length).toBeGreaterThan(1);
    });

    it('refuses page sizes out of range and cursors it did not issue', async () => {
      const sessions = await logInAs(t, (await registerMember(t, 'paging-cursor')).email);
      const sessionsCursor = (await fetchPage(sessions.client, SESSIONS, 1, null)).pageInfo.endCursor!;
      await expectBadPaging(t.as(null), COMMUNITIES, sessionsCursor);
    });
  });

  describe('sessionsConnection', () => {
    it('walks your live sessions once each, newest first; a login between pages is not slipped in', async () => {
      const { email } = await registerMember(t, 'paging-sessions');
      const logins = [];
      for (let n = 0; n < 5; n += 1) logins.push(await logInAs(t, email));
      const me = logins.at(-1)!.client;
      const listed = (await gql<{ sessions: { id: string }[] }>(me, '{ sessions { id } }')).sessions;

      const { nodes, totalCounts } = await walk<{ id: string; current: boolean }>(me, SESSIONS, 2, {}, async () => {
        await logInAs(t, email);
      });

      expect(ids(nodes)).toEqual(ids(listed));
      expect(nodes.filter((session) => session.current)).toHaveLength(1);
      expect(totalCounts).toEqual([5, 6, 6]);
    });

    it('is for members in person, as sessions is', async () => {
      const anonymous = await t.as(null).graphql(SESSIONS.document, { first: 5 });
      const anonymousList = await t.as(null).graphql('{ sessions { id } }');
      expect(errorSummary(anonymous.errors)).toEqual(errorSummary(anonymousList.errors));
      expect(errorSummary(anonymous.errors)?.[0].code).toBe(UNAUTHENTICATED);

      const app = await registerPartnerApp(fixture.asCoordinator(), fixture.community.id, ['AUDIT_READ']);
      const partner = asPartner(t, app.apiKey);
      const refused = await partner.graphql(SESSIONS.document, { first: 5 });
      expect(errorSummary(refused.errors)).toEqual(errorSummary((await partner.graphql('{ sessions { id } }')).errors));
      expect(refused.errors).toHaveLength(1);
    });

    it('refuses page sizes out of range and cursors it did not issue', async () => {
      await expectBadPaging(fixture.as(fixture.members[0]), SESSIONS, foreignCursor);
    });
  });

  describe('partnerAppsConnection', () => {
    it("walks a community's apps once each, revoked ones included, and no other community's", async () => {
      const community = await createLedgerFixture(t, []);
      const coordinator = community.asCoordinator();
      for (const name of ['one', 'two', 'three', 'four'])
        await registerPartnerApp(coordinator, community.community.id, ['AUDIT_READ'], `App ${name}`);
      await registerPartnerApp(fixture.asCoordinator(), fixture.community.id, ['AUDIT_READ'], 'Elsewhere');
      const variables = { communityId: community.community.id };
      const listed = (
        await gql<{ partnerApps: { id: string }[] }>(
          coordinator,
          'query Apps($communityId: ID!) { partnerApps(communityId: $communityId) { id } }',
          variables,
        )
      ).partnerApps;

      const { nodes, totalCounts } = await walk<{ id: string; communityId: string }>(
        coordinator,
        PARTNER_APPS,
        3,
        variables,
        async () => {
          await registerPartnerApp(coordinator, community.community.id, ['AUDIT_READ'], 'App five');
        },
      );

      expect(ids(nodes).slice(0, 4)).toEqual(ids(listed));
      expect(nodes).toHaveLength(5);
      expect(new Set(nodes.map((app) => app.communityId))).toEqual(
        new Set([globalId('Community', community.community.id)]),
      );
      expect(totalCounts).toEqual([4, 5]);
    });

    it('is for coordinators and admins, as partnerApps is', async () => {
      const variables = { communityId: fixture.community.id, first: 5 };
      expectForbidden(await fixture.as(fixture.members[0]).graphql(PARTNER_APPS.document, variables));
      const admin = await loginAsNewAdmin(t);
      expect((await fetchPage(admin.client, PARTNER_APPS, 5, null, variables)).totalCount).toBeGreaterThan(0);
      const outsider = await createLedgerFixture(t, []);
      expectForbidden(await outsider.asCoordinator().graphql(PARTNER_APPS.document, variables));
    });

    it('refuses page sizes out of range and cursors it did not issue', async () => {
      await expectBadPaging(fixture.asCoordinator(), PARTNER_APPS, foreignCursor, {
        communityId: fixture.community.id,
      });
    });
  });

  describe('riskSignalsConnection', () => {
    let signals: { fixture: LedgerFixture; parties: Party[] };
    let variables: Record<string, unknown>;

    /** Five accounts near their cap (HOARDING) and a cycle of payments A→B→C→A (CIRCULAR_TRADING). */
    beforeAll(async () => {
      signals = await exchangeCommunity(t, [
        { balance: 1000n },
        { balance: 1000n },
        { balance: 1000n },
        ...Array.from({ length: 5 }, () => ({ balance: 950n, upperLimit: 1000n })),
      ]);
      const [a, b, c] = signals.parties;
      await pay(a.client, a.accountId, b.accountId, 10);
      await pay(b.client, b.accountId, c.accountId, 10);
      await pay(c.client, c.accountId, a.accountId, 10);
      const [{ now }] = await t.dataSource.query("SELECT clock_timestamp() + interval '1 second' AS now");
      variables = { communityId: signals.fixture.community.id, to: (now as Date).toISOString() };
    });

    it('walks the same signals as riskSignals, by kind then account, across the kinds', async () => {
      const coordinator = signals.fixture.asCoordinator();
      const listed = (
        await gql<{ riskSignals: { kind: string; accountId: string }[] }>(
          coordinator,
          'query Signals($communityId: ID!, $to: DateTime) { riskSignals(communityId: $communityId, to: $to) { kind accountId } }',
          variables,
        )
      ).riskSignals;
      expect(listed.map((signal) => signal.kind)).toEqual([
        ...Array<string>(3).fill('CIRCULAR_TRADING'),
        ...Array<string>(5).fill('HOARDING'),
      ]);

      const { nodes, pages, totalCounts } = await walk<{ kind: string; accountId: string }>(
        coordinator,
        RISK_SIGNALS,
        3,
        variables,
      );

      expect(nodes.map(({ kind, accountId }) => ({ kind, accountId }))).toEqual(listed);
      expect(pages).toBe(3);
      expect(totalCounts).toEqual([8, 8, 8]);
    });

    it('counts only the kinds asked for', async () => {
      const hoarding = { ...variables, kinds: ['HOARDING'] };
      const { nodes, totalCounts } = await walk<{ kind: string }>(
        signals.fixture.asCoordinator(),
        RISK_SIGNALS,
        2,
        hoarding,
      );
      expect(nodes.map((signal) => signal.kind)).toEqual(Array<string>(5).fill('HOARDING'));
      expect(new Set(totalCounts)).toEqual(new Set([5]));
    });

    it("is for the community's auditors, as riskSignals is", async () => {
      expectForbidden(
        await signals.fixture.as(signals.fixture.members[0]).graphql(RISK_SIGNALS.document, { ...variables, first: 5 }),
      );
    });

    it('refuses page sizes out of range and cursors it did not issue', async () => {
      await expectBadPaging(signals.fixture.asCoordinator(), RISK_SIGNALS, foreignCursor, variables);
    });
  });

  describe('totalCount on the connections that had none', () => {
    it('counts memberships with the same status filter as the page', async () => {
      const query = connection(
        'memberships',
        ', communityId: $communityId, status: $status',
        ', $communityId: ID!, $status: MembershipStatus',
        'id status',
      );
      const coordinator = fixture.asCoordinator();
      const all = await walk<{ status: string }>(coordinator, query, 1, { communityId: fixture.community.id });
      expect(all.totalCounts).toEqual(all.nodes.map(() => all.nodes.length));
      const active = await fetchPage<{ status: string }>(coordinator, query, 1, null, {
        communityId: fixture.community.id,
        status: 'ACTIVE',
      });
      expect(active.totalCount).toBe(all.nodes.filter((membership) => membership.status === 'ACTIVE').length);
      const closed = await fetchPage(coordinator, query, 1, null, {
        communityId: fixture.community.id,
        status: 'CLOSED',
      });
      expect(closed).toMatchObject({ edges: [], totalCount: 0 });
    });
  });
});

describe("an account statement's lines, paged on their own", () => {
  const t = useTestApp();
  let fixture: LedgerFixture;
  let accountId: string;
  let client: GraphqlClient;

  const STATEMENT = `query Statement($accountId: ID!, $from: DateTime, $to: DateTime, $first: Int, $after: String) {
    accountStatement(accountId: $accountId, from: $from, to: $to) {
      openingBalance closingBalance lineCount
      lines(first: $first, after: $after) { edges { cursor node { ${STATEMENT_LINE_FIELDS} } } ${PAGE_INFO} totalCount }
    }
  }`;

  interface StatementPage {
    openingBalance: string;
    closingBalance: string;
    lineCount: number;
    lines: CountedPage<StatementLineView>;
  }

  const statementPage = async (variables: Record<string, unknown>): Promise<StatementPage> =>
    (await gql<{ accountStatement: StatementPage }>(client, STATEMENT, { accountId, ...variables })).accountStatement;

  /** Twelve payments in and out of the first member's account: its balance after each is known. */
  beforeAll(async () => {
    fixture = await createLedgerFixture(t, [{ balance: 1000n }, { balance: 1000n }]);
    const [mine, theirs] = fixture.members;
    accountId = mine.id;
    client = fixture.as(mine);
    for (let n = 1; n <= 12; n += 1) {
      if (n % 3 === 0) await pay(fixture.as(theirs), theirs.id, mine.id, n);
      else await pay(client, mine.id, theirs.id, n);
    }
  });

  /** Reads a statement's lines page by page and checks every page against the statement and its neighbours. */
  async function readAllPages(variables: Record<string, unknown>, first: number): Promise<StatementPage[]> {
    const pages: StatementPage[] = [];
    let after: string | null = null;
    do {
      const page = await statementPage({ ...variables, first, after });
      pages.push(page);
      after = page.lines.pageInfo.hasNextPage ? page.lines.pageInfo.endCursor : null;
    } while (after);
    return pages;
  }

  it('keeps the running balance right on every page, and the opening and closing balances of the whole period', async () => {
    const [fromRow] = await t.dataSource.query(
      'SELECT created_at FROM postings WHERE account_id = $1 AND account_version = 4',
      [accountId],
    );
    const period = { from: (fromRow.created_at as Date).toISOString() };
    const pages = await readAllPages(period, 4);
    const lines = pages.flatMap((page) => page.lines.edges.map((edge) => edge.node));
    const [first] = pages;

    // Versions 4 to 13 (the funding and twelve payments): ten lines, in three pages of 4, 4 and 2.
    expect(pages.map((page) => page.lines.edges.length)).toEqual([4, 4, 2]);
    expect(lines.map((line) => Number(line.accountVersion))).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    for (const page of pages) {
      expect(page).toMatchObject({
        openingBalance: first.openingBalance,
        closingBalance: first.closingBalance,
        lineCount: 10,
        lines: { totalCount: 10 },
      });
    }
    let running = BigInt(first.openingBalance);
    for (const line of lines) {
      running += BigInt(line.amount);
      expect({ version: line.accountVersion, balanceAfter: line.balanceAfter }).toEqual({
        version: line.accountVersion,
        balanceAfter: running.toString(),
      });
    }
    expect(running.toString()).toBe(first.closingBalance);
  });

  it("keeps a statement's pages to its own period while money moves between them", async () => {
    const [{ now }] = await t.dataSource.query('SELECT clock_timestamp() AS now');
    const period = { to: new Date((now as Date).getTime() + 1).toISOString() };
    const firstPage = await statementPage({ ...period, first: 5 });
    await pay(client, accountId, fixture.members[1].id, 1);
    const rest = await readAllPages(period, 5);
    const again = await statementPage({ ...period, first: 5, after: firstPage.lines.pageInfo.endCursor });
    expect(again.lines.edges).toEqual(rest[1].lines.edges);
    const total = rest.reduce((count, page) => count + page.lines.edges.length, 0);
    expect(total).toBe(firstPage.lineCount);
  });

  it("still pages with accountStatement's deprecated first and after, and lines' own arguments take precedence", async () => {
    const OLD = `query Old($accountId: ID!, $first: Int, $after: String, $linesFirst: Int) {
      accountStatement(accountId: $accountId, first: $first, after: $after) {
        lines(first: $linesFirst) { edges { node { accountVersion } } ${PAGE_INFO} }
      }
    }`;
    type Old = { accountStatement: { lines: PageView<{ accountVersion: string }> } };
    const versions = (page: Old): string[] => page.accountStatement.lines.edges.map((edge) => edge.node.accountVersion);
    const firstOld = await gql<Old>(client, OLD, { accountId, first: 3 });
    expect(versions(firstOld)).toEqual(['1', '2', '3']);
    const secondOld = await gql<Old>(client, OLD, {
      accountId,
      first: 3,
      after: firstOld.accountStatement.lines.pageInfo.endCursor,
    });
    expect(versions(secondOld)).toEqual(['4', '5', '6']);
    expect(versions(await gql<Old>(client, OLD, { accountId, first: 3, linesFirst: 2 }))).toEqual(['1', '2']);
  });

  it('refuses page sizes out of range and cursors it did not issue, as BAD_USER_INPUT', async () => {
    for (const paging of [{ first: 0 }, { first: 101 }, { first: -1 }, { after: 'garbage' }]) {
      const response = await client.graphql(STATEMENT, { accountId, ...paging });
      expect({ paging, codes: errorSummary(response.errors)?.map((error) => error.code) }).toEqual({
        paging,
        codes: [BAD_USER_INPUT],
      });
    }
  });

  it("is for the account's holder and the community's auditors, as before", async () => {
    expectForbidden(await fixture.as(fixture.members[1]).graphql(STATEMENT, { accountId, first: 5 }));
    const audited = await gql<{ accountStatement: StatementPage }>(fixture.asCoordinator(), STATEMENT, {
      accountId,
      first: 5,
    });
    expect(audited.accountStatement.lines.edges).toHaveLength(5);
    const anonymous = await t.as(null).graphql(STATEMENT, { accountId, first: 5 });
    const anonymousBefore = await t
      .as(null)
      .graphql('query Old($accountId: ID!) { accountStatement(accountId: $accountId) { lineCount } }', { accountId });
    expect(errorSummary(anonymous.errors)).toEqual(errorSummary(anonymousBefore.errors));
    expect(errorSummary(anonymous.errors)?.[0].code).toBe(UNAUTHENTICATED);
  });
});
