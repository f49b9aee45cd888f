import { ErrorCode } from '../../libs/graphql/error-code.js';
import { globalId } from '../support/global-ids.js';
import { createLedgerFixture, LedgerFixture } from '../support/ledger-fixture.js';
import { GraphqlClient, useTestApp } from '../support/test-app.js';
import { asPartner, registerPartnerApp } from './auth-client.js';
import { expectForbidden, expectQueryRefused, NONEXISTENT_ID } from './denials.js';
import { createTransfer, fetchAccount, gql, transferInput } from './graphql-client.js';
import {
  ACCOUNT_STATEMENT,
  accountStatement,
  BALANCE_REPORT,
  balanceReport,
  balanceReportPage,
  boundary,
  CurrencyReportView,
  databaseNow,
  millisecondBefore,
  StatementLineView,
} from './report-client.js';

const TRICKY_MEMO = 'tea, "biscuits"\nand a lift home';
/** The id the API gives the account of this database id (the fixture holds database ids). */
const account = (id: string): string => globalId('Account', id);

/**
 * Balance reports and statements over GraphQL, on a fixture whose every figure is known: members
 * A (100), B (50, may go to -100) and C (0) are funded from issuance; then, before `middle`, A pays B
 * 30 and B pays C 20; after it, C pays A 5 and B pays A 90.
 */
describe('balance reports and statements', () => {
  const t = useTestApp();
  let fixture: LedgerFixture;
  let coordinator: GraphqlClient;
  let a: string, b: string, c: string;
  let start: Date;
  let middle: Date;
  let end: Date;

  const pay = async (from: string, to: string, amount: number, memo = ''): Promise<void> => {
    const payment = await createTransfer(fixture.as({ id: from }), transferInput(from, to, amount, { memo }));
    expect(payment.userErrors).toEqual([]);
  };

  beforeAll(async () => {
    start = await databaseNow(t);
    fixture = await createLedgerFixture(t, [{ balance: 100n }, { balance: 50n, lowerLimit: -100n }, {}]);
    coordinator = fixture.asCoordinator();
    [a, b, c] = fixture.members.map((account) => account.id);
    await pay(a, b, 30, TRICKY_MEMO);
    await pay(b, c, 20);
    middle = await boundary(t);
    await pay(c, a, 5);
    await pay(b, a, 90);
    end = await boundary(t);
  });

  const balancesOf = (lines: { accountId: string; balance: string }[]): Record<string, string> =>
    Object.fromEntries(lines.map((line) => [line.accountId, line.balance]));

  it('gives the trial balance as of an instant: every account with debits, credits and balance, balanced, summed per kind', async () => {
    const { report, lines } = await balanceReport(coordinator, fixture.community.id, middle);
    expect(report).toMatchObject({
      currency: { id: globalId('Currency', fixture.currency.id), code: 'HOUR' },
      asOf: middle.toISOString(),
      accountCount: 6,
      totalDebits: '200',
      totalCredits: '200',
      totalBalance: '0',
      balanced: true,
    });
    const coordinatorAccount = fixture.coordinator.account.id;
    expect(lines).toEqual([
      {
        accountId: account(fixture.issuance.id),
        kind: 'ISSUANCE',
        name: 'HOUR issuance',
        memberId: null,
        memberDisplayName: null,
        debits: '150',
        credits: '0',
        balance: '-150',
      },
      {
        accountId: account(fixture.pool.id),
        kind: 'POOL',
        name: 'HOUR community pool',
        memberId: null,
        memberDisplayName: null,
        debits: '0',
        credits: '0',
        balance: '0',
      },
      ...[
        [a, '30', '100', '70'],
        [b, '20', '80', '60'],
        [c, '0', '20', '20'],
      ].map(([accountId, debits, credits, balance], index) => ({
        accountId: account(accountId),
        kind: 'MEMBER',
        name: expect.any(String),
        memberId: globalId('Member', fixture.holders[index].memberId),
        memberDisplayName: expect.stringMatching(`^member${index + 1} `),
        debits,
        credits,
        balance,
      })),
      expect.objectContaining({
        accountId: account(coordinatorAccount),
        kind: 'MEMBER',
        memberId: globalId('Member', fixture.coordinator.memberId),
        balance: '0',
      }),
    ]);
    expect(report.byKind).toEqual([
      {
        kind: 'ISSUANCE',
        accountCount: 1,
        debits: '150',
        credits: '0',
        balance: '-150',
        positiveBalances: '0',
        negativeBalances: '-150',
        accountsInDebt: 1,
      },
      {
        kind: 'POOL',
        accountCount: 1,
        debits: '0',
        credits: '0',
        balance: '0',
        positiveBalances: '0',
        negativeBalances: '0',
        accountsInDebt: 0,
      },
      {
        kind: 'MEMBER',
        accountCount: 4,
        debits: '50',
        credits: '200',
        balance: '150',
        positiveBalances: '150',
        negativeBalances: '0',
        accountsInDebt: 0,
      },
    ]);

    const now = await balanceReport(coordinator, fixture.community.id, end);
    expect(balancesOf(now.lines)).toEqual({
      [account(fixture.issuance.id)]: '-150',
      [account(fixture.pool.id)]: '0',
      [account(a)]: '165',
      [account(b)]: '-30',
      [account(c)]: '15',
      [account(coordinatorAccount)]: '0',
    });
    expect(now.report.byKind[2]).toEqual({
      kind: 'MEMBER',
      accountCount: 4,
      debits: '145',
      credits: '295',
      balance: '150',
      positiveBalances: '180',
      negativeBalances: '-30',
      accountsInDebt: 1,
    });
    expect((await balanceReport(coordinator, fixture.community.id, start)).report).toMatchObject({
      totalDebits: '0',
      totalCredits: '0',
      totalBalance: '0',
      balanced: true,
    });
  });

  it('counts a posting as of the millisecond it shows, like Account.balanceAt, and defaults asOf to now', async () => {
    const { lines } = await accountStatement(coordinator, a, { from: middle });
    const lastPayment = lines.at(-1)!;
    const balanceOfA = async (asOf: Date): Promise<string> =>
      balancesOf((await balanceReport(coordinator, fixture.community.id, asOf)).lines)[account(a)];
    expect(await balanceOfA(new Date(lastPayment.createdAt))).toBe('165');
    expect(await balanceOfA(millisecondBefore(lastPayment.createdAt))).toBe('75');
    const current = await balanceReportPage(coordinator, fixture.community.id, { first: 100 });
    expect(new Date(current.asOf).getTime()).toBeGreaterThanOrEqual(end.getTime());
    expect(balancesOf(current.currencies[0].lines.edges.map(({ node }) => node))[account(a)]).toBe(
      (await fetchAccount(coordinator, a)).balance,
    );
  });

  it('pages the lines while the totals cover them all', async () => {
    const pages: string[][] = [];
    let after: string | null = null;
    do {
      const [report]: CurrencyReportView[] = (
        await balanceReportPage(coordinator, fixture.community.id, { asOf: end, first: 4, after })
      ).currencies;
      expect(report).toMatchObject({ accountCount: 6, totalDebits: '295', totalCredits: '295' });
      pages.push(report.lines.edges.map(({ node }) => node.accountId));
      after = report.lines.pageInfo.hasNextPage ? report.lines.pageInfo.endCursor : null;
    } while (after);
    expect(pages.map((page) => page.length)).toEqual([4, 2]);
    expect(pages.flat()).toEqual(
      [fixture.issuance.id, fixture.pool.id, a, b, c, fixture.coordinator.account.id].map(account),
    );
  });

  it('gives a statement across a period boundary: opening, lines with running balances, closing', async () => {
    const before = await accountStatement(coordinator, a, { to: middle });
    expect(before.statement).toMatchObject({
      from: null,
      to: middle.toISOString(),
      openingBalance: '0',
      closingBalance: '70',
      debits: '30',
      credits: '100',
      lineCount: 2,
    });
    expect(
      before.lines.map(({ amount, balanceAfter, counterpartyAccountId, memo }) => ({
        amount,
        balanceAfter,
        counterpartyAccountId,
        memo,
      })),
    ).toEqual([
      { amount: '100', balanceAfter: '100', counterpartyAccountId: account(fixture.issuance.id), memo: '' },
      { amount: '-30', balanceAfter: '70', counterpartyAccountId: account(b), memo: TRICKY_MEMO },
    ]);

    const after = await accountStatement(coordinator, a, { from: middle, to: end });
    expect(after.statement).toMatchObject({
      account: { id: account(a), balance: '165' },
      openingBalance: '70',
      closingBalance: '165',
      debits: '0',
      credits: '95',
      lineCount: 2,
    });
    expect(
      after.lines.map(({ amount, balanceAfter, counterpartyAccountId, transferKind, code, accountVersion }) => ({
        amount,
        balanceAfter,
        counterpartyAccountId,
        transferKind,
        code,
        accountVersion,
      })),
    ).toEqual([
      {
        amount: '5',
        balanceAfter: '75',
        counterpartyAccountId: account(c),
        transferKind: 'DIRECT',
        code: 'payment',
        accountVersion: '3',
      },
      {
        amount: '90',
        balanceAfter: '165',
        counterpartyAccountId: account(b),
        transferKind: 'DIRECT',
        code: 'payment',
        accountVersion: '4',
      },
    ]);

    const ofB = await accountStatement(coordinator, b, { from: middle, to: end });
    expect(ofB.statement).toMatchObject({
      openingBalance: '60',
      closingBalance: '-30',
      debits: '90',
      credits: '0',
      lineCount: 1,
    });
    const whole = await accountStatement(coordinator, b);
    expect(whole.statement).toMatchObject({ from: null, openingBalance: '0', closingBalance: '-30', lineCount: 4 });
    expect(new Date(whole.statement.to).getTime()).toBeGreaterThan(end.getTime());
    const empty = await accountStatement(coordinator, b, { from: middle, to: middle });
    expect(empty).toMatchObject({ statement: { openingBalance: '60', closingBalance: '60', lineCount: 0 }, lines: [] });
  });

  it('pages statement lines oldest first, with opening and closing on every page', async () => {
    const seen: StatementLineView[] = [];
    let after: string | null = null;
    do {
      const {
        accountStatement: page,
      }: {
        accountStatement: {
          openingBalance: string;
          closingBalance: string;
          lines: { edges: { node: StatementLineView }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
        };
      } = await gql(coordinator, ACCOUNT_STATEMENT, { accountId: b, first: 3, after });
      expect(page).toMatchObject({ openingBalance: '0', closingBalance: '-30' });
      seen.push(...page.lines.edges.map(({ node }) => node));
      after = page.lines.pageInfo.hasNextPage ? page.lines.pageInfo.endCursor : null;
    } while (after);
    expect(seen.map((line) => line.balanceAfter)).toEqual(['50', '80', '60', '-30']);
  });

  it('shows a member their own statement, naming the other side only where they could see it', async () => {
    const own = await accountStatement(fixture.as({ id: a }), a, { to: end });
    expect(own.statement.closingBalance).toBe('165');
    // Balances are private in this community: the issuance account is the community's own, other members' are not.
    expect(own.lines.map((line) => line.counterpartyAccountId)).toEqual([
      account(fixture.issuance.id),
      null,
      null,
      null,
    ]);
    expectForbidden(await fixture.as({ id: a }).graphql(ACCOUNT_STATEMENT, { accountId: b }));
    expectForbidden(await fixture.as({ id: a }).graphql(BALANCE_REPORT, { communityId: fixture.community.id }));
  });

  it("is closed to another community's coordinator and to anonymous callers, open to the community's AUDIT_READ partner app", async () => {
    const other = await createLedgerFixture(t, [{ balance: 10n }]);
    expectForbidden(await other.asCoordinator().graphql(BALANCE_REPORT, { communityId: fixture.community.id }));
    expectForbidden(await other.asCoordinator().graphql(ACCOUNT_STATEMENT, { accountId: a }));
    expectQueryRefused(
      await t.graphql(BALANCE_REPORT, { communityId: fixture.community.id }),
      ErrorCode.UNAUTHENTICATED,
    );
    expectQueryRefused(await t.graphql(ACCOUNT_STATEMENT, { accountId: a }), ErrorCode.UNAUTHENTICATED);

    const { apiKey } = await registerPartnerApp(coordinator, fixture.community.id, ['AUDIT_READ']);
    const partner = asPartner(t, apiKey);
    expect((await balanceReport(partner, fixture.community.id, end)).report).toMatchObject({
      totalDebits: '295',
      balanced: true,
    });
    expect(
      (await accountStatement(partner, a, { from: middle, to: end })).lines.map((line) => line.counterpartyAccountId),
    ).toEqual([account(c), account(b)]);
    expectForbidden(await partner.graphql(BALANCE_REPORT, { communityId: other.community.id }));
    expectForbidden(await partner.graphql(ACCOUNT_STATEMENT, { accountId: other.members[0].id }));
  });

  it('refuses bad input with BAD_USER_INPUT, and unknown ids as FORBIDDEN', async () => {
    const badInput = (response: { errors?: { extensions?: Record<string, unknown> }[] }) =>
      expect(response.errors?.map((error) => error.extensions?.code)).toEqual([ErrorCode.BAD_USER_INPUT]);
    badInput(
      await coordinator.graphql(ACCOUNT_STATEMENT, { accountId: a, from: end.toISOString(), to: middle.toISOString() }),
    );
    badInput(
      await coordinator.graphql(ACCOUNT_STATEMENT, {
        accountId: a,
        from: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    );
    badInput(await coordinator.graphql(ACCOUNT_STATEMENT, { accountId: '0' }));
    badInput(await coordinator.graphql(ACCOUNT_STATEMENT, { accountId: a, to: 'yesterday' }));
    badInput(await coordinator.graphql(ACCOUNT_STATEMENT, { accountId: a, after: 'not-a-cursor' }));
    badInput(await coordinator.graphql(ACCOUNT_STATEMENT, { accountId: a, first: 101 }));
    badInput(await coordinator.graphql(BALANCE_REPORT, { communityId: '-1' }));
    badInput(
      await coordinator.graphql(BALANCE_REPORT, { communityId: fixture.community.id, asOf: '2026-13-45T00:00:00Z' }),
    );
    expectForbidden(await coordinator.graphql(ACCOUNT_STATEMENT, { accountId: NONEXISTENT_ID }));
    // Neither a global id nor a number: it names no account, and is denied as an unknown one is.
    expectForbidden(await coordinator.graphql(ACCOUNT_STATEMENT, { accountId: 'account-1' }));
    expectForbidden(await coordinator.graphql(ACCOUNT_STATEMENT, { accountId: globalId('Member', a) }));
    expectForbidden(await coordinator.graphql(BALANCE_REPORT, { communityId: NONEXISTENT_ID }));
  });
});
