import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode } from '../../libs/graphql/error-code.js';
import { createLedgerFixture, LedgerFixture, MemberSpec } from '../support/ledger-fixture.js';
import { GraphqlClient, GraphqlResponse, useTestApp } from '../support/test-app.js';
import { Account } from '../../src/ledger/models/ledger.models.js';
import { AccountKind } from '../../src/ledger/models/ledger-enums.js';
import { DENIAL_MESSAGE, NONEXISTENT_ID } from './denials.js';
import {
  AccountView,
  createTransfer,
  fetchAccount,
  fetchTransfer,
  gql,
  PAGE_INFO,
  PageView,
  POSTING_FIELDS,
  PostingView,
  rowsForKey,
  TRANSFER_FIELDS,
  TransferView,
  transferInput,
} from './graphql-client.js';
import { globalId } from '../support/global-ids.js';

/** The global id of a fixture's account, as the API names it. */
const accountId = (account: { id: string }): string => globalId('Account', account.id);
/** A posting's id: the global id of some Posting (base64 of "Posting:…"). */
const POSTING_ID = new RegExp(`^${globalId('Posting', '').slice(0, 8)}`);

const MAX_AMOUNT = '9007199254740991'; // 2^53 - 1

const STATEMENT = `query Statement($id: ID!, $first: Int, $after: String, $from: DateTime, $to: DateTime) {
  account(id: $id) { statement(first: $first, after: $after, from: $from, to: $to) { edges { cursor node { ${POSTING_FIELDS} } } ${PAGE_INFO} } }
}`;
const TRANSFERS = `query Transfers($accountId: ID, $currencyId: ID, $first: Int, $after: String) {
  transfers(accountId: $accountId, currencyId: $currencyId, first: $first, after: $after) { edges { cursor node { ${TRANSFER_FIELDS} } } ${PAGE_INFO} }
}`;
const TRIAL_BALANCE = `query TrialBalance($currencyId: ID!) {
  trialBalance(currencyId: $currencyId) { currency { id code } lines { kind accountCount postedDebits postedCredits balance } total balanced }
}`;
const TRIAL_BALANCE_TOTAL =
  'query TrialBalance($currencyId: ID!) { trialBalance(currencyId: $currencyId) { total balanced } }';
const ACCOUNT_ID = 'query Account($id: ID!) { account(id: $id) { id } }';
/** What a viewer learns of a transfer's two sides: each account (or null) and the postings shown. */
const SIDES = '{ debitAccount { id balance } creditAccount { id balance } postings { accountId balanceAfter } }';

/** How an operation denied as a whole answers: no data, one error with this code, nothing that tells why. */
const denied = (code: 'FORBIDDEN' | 'UNAUTHENTICATED', field: string) => ({
  status: 200,
  data: null,
  errors: [
    {
      message: code === 'FORBIDDEN' ? DENIAL_MESSAGE : expect.any(String),
      locations: expect.any(Array),
      path: [field],
      extensions: { code },
    },
  ],
});

/**
 * The clients of one fixture's account holders: a member account is debited and read by its
 * holder; the community's own accounts (issuance, pool) by the coordinator, who manages them.
 */
function actingAsHolders(fixture: LedgerFixture) {
  const holder = (account: Account): GraphqlClient =>
    account.kind === AccountKind.MEMBER ? fixture.as(account) : fixture.asCoordinator();
  const pay = (from: Account, to: Account, amount: string | number, extra: Record<string, unknown> = {}) =>
    createTransfer(holder(from), transferInput(from.id, to.id, amount, extra));
  const payOrFail = async (from: Account, to: Account, amount: string | number): Promise<TransferView> => {
    const payload = await pay(from, to, amount);
    expect(payload.userErrors).toEqual([]);
    return payload.transfer!;
  };
  /** Balance and version of each account, as the API reports them to its holder. */
  const positions = async (...accounts: Account[]) =>
    Promise.all(
      accounts.map(async (account) => {
        const { balance, version } = await fetchAccount(holder(account), account.id);
        return { balance, version };
      }),
    );
  return { holder, pay, payOrFail, positions };
}

/** The money-moving paths a client relies on, through GraphQL over real HTTP, each as the member (or manager) entitled to it. */
describe('transfers over GraphQL', () => {
  const t = useTestApp(4);

  const setUp = async (specs: MemberSpec[]) => {
    const fixture = await createLedgerFixture(t, specs);
    return { ...fixture, ...actingAsHolders(fixture) };
  };

  it('moves money and shows each viewer the postings it may read, with their running balances and versions', async () => {
    const {
      as,
      asCoordinator,
      positions,
      members: [payer, payee],
    } = await setUp([{ balance: 100n }, { balance: 20n }]);
    const input = transferInput(payer.id, payee.id, '30', {
      code: 'gift',
      memo: 'Two hours of gardening',
      metadata: { task: 'weeding', hours: 2 },
    });

    const payload = await createTransfer(as(payer), input);

    expect(payload).toMatchObject({ replayed: false, userErrors: [] });
    const transfer = payload.transfer!;
    expect(transfer).toMatchObject({
      idempotencyKey: input.idempotencyKey,
      debitAccountId: accountId(payer),
      creditAccountId: accountId(payee),
      amount: '30',
      code: 'gift',
      memo: 'Two hours of gardening',
      metadata: { task: 'weeding', hours: 2 },
    });
    const common = {
      id: expect.stringMatching(POSTING_ID),
      transferId: transfer.id,
      code: 'gift',
      memo: 'Two hours of gardening',
      createdAt: transfer.createdAt,
    };
    const debitPosting = {
      ...common,
      accountId: accountId(payer),
      counterpartyAccountId: accountId(payee),
      amount: '-30',
      balanceAfter: '70',
      accountVersion: '2',
    };
    const creditPosting = {
      ...common,
      accountId: accountId(payee),
      counterpartyAccountId: accountId(payer),
      amount: '30',
      balanceAfter: '50',
      accountVersion: '2',
    };
    expect(transfer.postings).toEqual([debitPosting]);
    expect(await positions(payer, payee)).toEqual([
      { balance: '70', version: '2' },
      { balance: '50', version: '2' },
    ]);
    expect(await fetchTransfer(as(payer), transfer.id)).toEqual(transfer);
    expect(await fetchTransfer(as(payee), transfer.id)).toEqual({ ...transfer, postings: [creditPosting] });
    expect(await fetchTransfer(asCoordinator(), transfer.id)).toEqual({
      ...transfer,
      postings: [debitPosting, creditPosting],
    });
  });

  it("does not show a paying member the payee's account or posting, nor the payee the payer's", async () => {
    const {
      as,
      asCoordinator,
      members: [payer, payee],
    } = await setUp([{ balance: 100n }, { balance: 20n }]);
    const paid = await gql<{ createTransfer: { transfer: { id: string } & Record<string, unknown> } }>(
      as(payer),
      `mutation Pay($input: CreateTransferInput!) { createTransfer(input: $input) { transfer { id ...on Transfer ${SIDES} } } }`,
      { input: transferInput(payer.id, payee.id, '30') },
    );
    const { id, ...payerView } = paid.createTransfer.transfer;
    const sides = async (viewer: GraphqlClient) =>
      (await gql<{ transfer: unknown }>(viewer, `query Sides($id: ID!) { transfer(id: $id) ${SIDES} }`, { id }))
        .transfer;

    const debitSide = {
      debitAccount: { id: accountId(payer), balance: '70' },
      postings: [{ accountId: accountId(payer), balanceAfter: '70' }],
    };
    const creditSide = {
      creditAccount: { id: accountId(payee), balance: '50' },
      postings: [{ accountId: accountId(payee), balanceAfter: '50' }],
    };
    expect(payerView).toEqual({ ...debitSide, creditAccount: null });
    expect(await sides(as(payer))).toEqual(payerView);
    expect(await sides(as(payee))).toEqual({ ...creditSide, debitAccount: null });
    expect(await sides(asCoordinator())).toEqual({
      ...debitSide,
      ...creditSide,
      postings: [...debitSide.postings, ...creditSide.postings],
    });
  });

  it('replays the same key and request: the same transfer, replayed, money moved once', async () => {
    const {
      as,
      positions,
      members: [payer, payee],
    } = await setUp([{ balance: 100n }, {}]);
    const input = transferInput(payer.id, payee.id, '25', { metadata: { a: 1, b: { c: 2, d: 3 } } });
    const first = await createTransfer(as(payer), input);
    expect(first).toMatchObject({ replayed: false, userErrors: [] });

    // The same request written differently: the amount as a JSON integer, the metadata keys in another order.
    const replays = [
      await createTransfer(as(payer), input),
      await createTransfer(as(payer), { ...input, amount: 25, metadata: { b: { d: 3, c: 2 }, a: 1 } }),
    ];

    for (const replay of replays) expect(replay).toEqual({ transfer: first.transfer, replayed: true, userErrors: [] });
    expect(await positions(payer, payee)).toEqual([
      { balance: '75', version: '2' },
      { balance: '25', version: '1' },
    ]);
    expect(await rowsForKey(t, input.idempotencyKey)).toEqual({ transfers: 1, failures: 0 });
  });

  it('answers IDEMPOTENCY_KEY_CONFLICT for the same key with a different request, and moves nothing more', async () => {
    const {
      as,
      positions,
      members: [payer, payee, other],
    } = await setUp([{ balance: 100n }, {}, {}]);
    const input = transferInput(payer.id, payee.id, '25');
    await createTransfer(as(payer), input);

    for (const change of [
      { amount: '26' },
      { memo: 'changed my mind' },
      { creditAccountId: other.id },
      { code: 'gift' },
    ]) {
      expect(await createTransfer(as(payer), { ...input, ...change })).toEqual({
        transfer: null,
        replayed: false,
        userErrors: [
          { code: 'IDEMPOTENCY_KEY_CONFLICT', field: ['input', 'idempotencyKey'], message: expect.any(String) },
        ],
      });
    }
    expect(await positions(payer, payee, other)).toEqual([
      { balance: '75', version: '2' },
      { balance: '25', version: '1' },
      { balance: '0', version: '0' },
    ]);
    expect(await rowsForKey(t, input.idempotencyKey)).toEqual({ transfers: 1, failures: 0 });
  });

  it('refuses a transfer beyond the available balance, changes nothing, and keeps the key failed', async () => {
    const {
      as,
      issuance,
      payOrFail,
      positions,
      members: [payer, payee],
    } = await setUp([{ balance: 10n }, {}]);
    const input = transferInput(payer.id, payee.id, '50');

    expect(await createTransfer(as(payer), input)).toEqual({
      transfer: null,
      replayed: false,
      userErrors: [{ code: 'EXCEEDS_LOWER_LIMIT', field: ['input', 'amount'], message: expect.any(String) }],
    });
    expect(await positions(payer, payee)).toEqual([
      { balance: '10', version: '1' },
      { balance: '0', version: '0' },
    ]);
    expect(await rowsForKey(t, input.idempotencyKey)).toEqual({ transfers: 0, failures: 1 });

    await payOrFail(issuance, payer, '100'); // the coordinator pays from issuance: now the payer could afford it, but the key has failed for good
    expect(await createTransfer(as(payer), input)).toEqual({
      transfer: null,
      replayed: false,
      userErrors: [
        { code: 'IDEMPOTENCY_KEY_ALREADY_FAILED', field: ['input', 'idempotencyKey'], message: expect.any(String) },
      ],
    });
    expect(await positions(payer, payee)).toEqual([
      { balance: '110', version: '2' },
      { balance: '0', version: '0' },
    ]);
    expect(await rowsForKey(t, input.idempotencyKey)).toEqual({ transfers: 0, failures: 1 });
  });

  it('shows balance, available balance and limits on the account, and honours a credit line', async () => {
    const {
      as,
      currency,
      issuance,
      pool,
      pay,
      payOrFail,
      members: [member, other],
    } = await setUp([{ balance: 100n, lowerLimit: -50n, upperLimit: 1000n }, {}]);
    const expected = (fields: Partial<AccountView>): AccountView => ({
      id: accountId(member),
      kind: 'MEMBER',
      name: member.name,
      status: 'OPEN',
      balance: '100',
      availableBalance: '100',
      postedDebits: '0',
      postedCredits: '100',
      pendingDebits: '0',
      pendingCredits: '0',
      lowerLimit: '-50',
      upperLimit: '1000',
      version: '1',
      currency: { id: globalId('Currency', currency.id), code: 'HOUR' },
      ...fields,
    });
    expect(await fetchAccount(as(member), member.id)).toEqual(expected({}));

    await payOrFail(member, other, '130');
    expect(await fetchAccount(as(member), member.id)).toEqual(
      expected({ balance: '-30', availableBalance: '-30', postedDebits: '130', version: '2' }),
    );
    expect((await pay(member, other, '21')).userErrors.map((error) => error.code)).toEqual(['EXCEEDS_LOWER_LIMIT']);

    // A member may read the community's own accounts.
    expect(await fetchAccount(as(member), issuance.id)).toMatchObject({
      kind: 'ISSUANCE',
      balance: '-100',
      lowerLimit: null,
      upperLimit: null,
    });
    expect(await fetchAccount(as(member), pool.id)).toMatchObject({
      kind: 'POOL',
      balance: '0',
      lowerLimit: '0',
      upperLimit: null,
    });
  });

  describe('an account statement', () => {
    let account: Account;
    let counterparty: Account;
    let issuance: Account;
    let holder: GraphqlClient;
    /** The whole statement, newest first. */
    let postings: PostingView[];

    const statement = async (variables: Record<string, unknown>): Promise<PageView<PostingView>> =>
      (
        await gql<{ account: { statement: PageView<PostingView> } }>(holder, STATEMENT, {
          id: account.id,
          ...variables,
        })
      ).account.statement;
    const versions = (page: PageView<PostingView>): string[] => page.edges.map((edge) => edge.node.accountVersion);
    const createdAt = (version: number): string =>
      postings.find((posting) => posting.accountVersion === String(version))!.createdAt;
    /** Follows endCursor until hasNextPage is false, returning every page. */
    const walk = async (first: number, filters: Record<string, unknown> = {}): Promise<PageView<PostingView>[]> => {
      const pages = [await statement({ first, ...filters })];
      while (pages.at(-1)!.pageInfo.hasNextPage)
        pages.push(await statement({ first, after: pages.at(-1)!.pageInfo.endCursor, ...filters }));
      return pages;
    };

    beforeAll(async () => {
      const fixture = await setUp([{ balance: 1000n }, { balance: 1000n }]);
      [account, counterparty] = fixture.members;
      issuance = fixture.issuance;
      holder = fixture.as(account);
      // Apart in time, so that every posting has its own millisecond for the date filters.
      for (const [from, to, amount] of [
        [account, counterparty, 100],
        [counterparty, account, 40],
        [account, counterparty, 7],
        [account, counterparty, 300],
        [counterparty, account, 1],
      ] as const) {
        await sleep(15);
        await fixture.payOrFail(from, to, String(amount));
      }
      postings = (await statement({ first: 100 })).edges.map((edge) => edge.node);
    });

    it('lists postings newest first with running balances that end at the account balance', async () => {
      expect(postings.map((posting) => posting.accountVersion)).toEqual(['6', '5', '4', '3', '2', '1']);
      expect(postings.map((posting) => posting.amount)).toEqual(['1', '-300', '-7', '40', '-100', '1000']);
      expect(postings.map((posting) => posting.balanceAfter)).toEqual(['634', '633', '933', '940', '900', '1000']);
      expect(postings.map((posting) => posting.counterpartyAccountId)).toEqual([
        ...Array(5).fill(accountId(counterparty)),
        accountId(issuance),
      ]);
      expect(postings.every((posting) => posting.accountId === accountId(account))).toBe(true);
      expect(postings.map((posting) => posting.code)).toEqual([
        'payment',
        'payment',
        'payment',
        'payment',
        'payment',
        'starter_grant',
      ]);
      expect(await fetchAccount(holder, account.id)).toMatchObject({ balance: '634', version: '6' });
    });

    it.each([
      [1, [1, 1, 1, 1, 1, 1]],
      [2, [2, 2, 2]],
      [4, [4, 2]],
      [5, [5, 1]],
      [6, [6]],
      [7, [6]],
    ])('pages of %i walk every posting exactly once (page sizes %j)', async (first, sizes) => {
      const pages = await walk(first);

      expect(pages.map((page) => page.edges.length)).toEqual(sizes);
      expect(pages.flatMap(versions)).toEqual(['6', '5', '4', '3', '2', '1']);
      expect(pages.map((page) => page.pageInfo.hasNextPage)).toEqual(sizes.map((_, index) => index < sizes.length - 1));
      expect(pages.map((page) => page.pageInfo.hasPreviousPage)).toEqual(sizes.map((_, index) => index > 0));
      for (const page of pages) {
        expect(page.pageInfo.startCursor).toBe(page.edges[0].cursor);
        expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)!.cursor);
      }
    });

    it('filters by date: from is inclusive, to is exclusive', async () => {
      expect(new Set(postings.map((posting) => posting.createdAt)).size).toBe(6);

      expect(versions(await statement({ from: createdAt(3) }))).toEqual(['6', '5', '4', '3']);
      expect(versions(await statement({ to: createdAt(3) }))).toEqual(['2', '1']);
      expect(versions(await statement({ from: createdAt(2), to: createdAt(5) }))).toEqual(['4', '3', '2']);
      expect(versions(await statement({ from: new Date(Date.parse(createdAt(6)) + 1).toISOString() }))).toEqual([]);
      expect(versions(await statement({ to: createdAt(1) }))).toEqual([]);
    });

    it('pages through a date range', async () => {
      const pages = await walk(2, { from: createdAt(2) });
      expect(pages.map(versions)).toEqual([['6', '5'], ['4', '3'], ['2']]);
    });
  });

  it("lists transfers newest first: an account's for its holder, a currency's for the coordinator", async () => {
    const {
      as,
      asCoordinator,
      currency,
      payOrFail,
      members: [a, b, c],
    } = await setUp([{ balance: 100n }, { balance: 100n }, { balance: 100n }]);
    const t1 = await payOrFail(a, b, '10');
    const t2 = await payOrFail(b, c, '20');
    const t3 = await payOrFail(c, a, '30');
    const t4 = await payOrFail(b, c, '5');
    const list = async (viewer: GraphqlClient, filter: Record<string, unknown>): Promise<PageView<TransferView>> =>
      (await gql<{ transfers: PageView<TransferView> }>(viewer, TRANSFERS, filter)).transfers;
    const ids = (page: PageView<TransferView>): string[] => page.edges.map((edge) => edge.node.id);

    const all = await list(asCoordinator(), { currencyId: currency.id, first: 100 });
    expect(all.edges.map((edge) => edge.node.code)).toEqual([
      'payment',
      'payment',
      'payment',
      'payment',
      'starter_grant',
      'starter_grant',
      'starter_grant',
    ]);
    const [fundC, fundB, fundA] = ids(all).slice(4);
    expect(ids(all)).toEqual([t4.id, t3.id, t2.id, t1.id, fundC, fundB, fundA]);
    // The payer saw only its own posting; the coordinator, who audits the community, sees the payee's too.
    expect(all.edges[0].node).toEqual({
      ...t4,
      postings: [...t4.postings, expect.objectContaining({ accountId: accountId(c), amount: '5', balanceAfter: '95' })],
    });

    expect(ids(await list(as(a), { accountId: a.id }))).toEqual([t3.id, t1.id, fundA]);
    expect(ids(await list(as(b), { accountId: b.id }))).toEqual([t4.id, t2.id, t1.id, fundB]);
    expect(ids(await list(as(c), { accountId: c.id }))).toEqual([t4.id, t3.id, t2.id, fundC]);

    const firstPage = await list(as(a), { accountId: a.id, first: 2 });
    expect([ids(firstPage), firstPage.pageInfo.hasNextPage]).toEqual([[t3.id, t1.id], true]);
    const secondPage = await list(as(a), { accountId: a.id, first: 2, after: firstPage.pageInfo.endCursor });
    expect([ids(secondPage), secondPage.pageInfo.hasNextPage]).toEqual([[fundA], false]);
  });

  it('reports a balanced trial balance whose total is "0" to the coordinator', async () => {
    const {
      asCoordinator,
      currency,
      pool,
      payOrFail,
      members: [a],
    } = await setUp([{ balance: 100n }, { balance: 250n }]);
    await payOrFail(a, pool, '30');

    expect(
      (await gql<{ trialBalance: unknown }>(asCoordinator(), TRIAL_BALANCE, { currencyId: currency.id })).trialBalance,
    ).toEqual({
      currency: { id: globalId('Currency', currency.id), code: 'HOUR' },
      lines: [
        { kind: 'ISSUANCE', accountCount: 1, postedDebits: '350', postedCredits: '0', balance: '-350' },
        // Two members' accounts and the coordinator's own.
        { kind: 'MEMBER', accountCount: 3, postedDebits: '30', postedCredits: '350', balance: '320' },
        { kind: 'POOL', accountCount: 1, postedDebits: '0', postedCredits: '30', balance: '30' },
      ],
      total: '0',
      balanced: true,
    });
  });

  it("answers trialBalance for a missing currency exactly as for another community's: FORBIDDEN", async () => {
    const { asCoordinator } = await setUp([]);
    const { currency: foreignCurrency } = await createLedgerFixture(t, []);

    const missing = await asCoordinator().graphql(TRIAL_BALANCE, { currencyId: NONEXISTENT_ID });
    expect(missing).toEqual(denied('FORBIDDEN', 'trialBalance'));
    expect(await asCoordinator().graphql(TRIAL_BALANCE, { currencyId: foreignCurrency.id })).toEqual(missing);
  });

  it('carries amounts beyond 2^31 and up to 2^53-1 exactly', async () => {
    const {
      asCoordinator,
      currency,
      issuance,
      payOrFail,
      members: [rich, other],
    } = await setUp([{}, {}]);

    const minted = await payOrFail(issuance, rich, Number(MAX_AMOUNT)); // as a JSON integer
    expect(minted.amount).toBe(MAX_AMOUNT);
    expect(minted.postings.map((posting) => [posting.amount, posting.balanceAfter])).toEqual([
      [`-${MAX_AMOUNT}`, `-${MAX_AMOUNT}`],
      [MAX_AMOUNT, MAX_AMOUNT],
    ]);
    const moved = await payOrFail(rich, other, '2147483649'); // 2^31 + 1, as a string
    expect(moved.amount).toBe('2147483649');
    expect(
      (await fetchTransfer(asCoordinator(), moved.id)).postings.map((posting) => [
        posting.amount,
        posting.balanceAfter,
      ]),
    ).toEqual([
      ['-2147483649', '9007197107257342'],
      ['2147483649', '2147483649'],
    ]);

    const [richView, otherView, issuanceView] = await Promise.all(
      [rich, other, issuance].map((account) => fetchAccount(asCoordinator(), account.id)),
    );
    expect(richView).toMatchObject({
      balance: '9007197107257342',
      postedCredits: MAX_AMOUNT,
      postedDebits: '2147483649',
      upperLimit: null,
    });
    expect(otherView).toMatchObject({ balance: '2147483649', availableBalance: '2147483649' });
    expect(issuanceView).toMatchObject({ balance: `-${MAX_AMOUNT}`, postedDebits: MAX_AMOUNT });
    expect(
      (await gql<{ trialBalance: unknown }>(asCoordinator(), TRIAL_BALANCE_TOTAL, { currencyId: currency.id }))
        .trialBalance,
    ).toEqual({ total: '0', balanced: true });
  });

  it('refuses to serve a total beyond 2^53-1 rather than one a client would read wrong', async () => {
    const {
      asCoordinator,
      currency,
      issuance,
      payOrFail,
      members: [rich, other],
    } = await setUp([{}, {}]);
    await payOrFail(issuance, rich, MAX_AMOUNT);
    await payOrFail(rich, other, '5');
    // The members' credits add up to 2^53 + 4: each account is within range, their sum is not.
    const response = await asCoordinator().graphql(TRIAL_BALANCE, { currencyId: currency.id });
    expect(response.errors).toEqual([
      expect.objectContaining({
        extensions: { code: ErrorCode.VALUE_OUT_OF_RANGE },
        path: ['trialBalance', 'lines', expect.any(Number), 'postedCredits'],
      }),
    ]);
  });

  describe('account(id:) for an account the caller may not read', () => {
    let fixture: LedgerFixture;
    let viewer: GraphqlClient;
    /** What a member is told when asking for a co-member's account (balances are not shown in this community). */
    let foreign: GraphqlResponse;

    beforeAll(async () => {
      fixture = await createLedgerFixture(t, [{}, { balance: 5n }]);
      viewer = fixture.as(fixture.members[0]);
      foreign = await viewer.graphql(ACCOUNT_ID, { id: fixture.members[1].id });
    });

    it("answers a member asking for another member's account with FORBIDDEN", () => {
      expect(foreign).toEqual(denied('FORBIDDEN', 'account'));
    });

    const badIds = [
      ['an id that names no account', NONEXISTENT_ID],
      ['the largest 64-bit id', '9223372036854775807'],
      ['an id just beyond 64 bits', '9223372036854775808'],
      ['a 20-digit id', '99999999999999999999'],
      ['zero', '0'],
      ['a negative id', '-1'],
      ['a decimal', '1.5'],
      ['letters', 'abc'],
      ['hex', '0x10'],
      ['a leading space', ' 1'],
      ['an empty id', ''],
    ];

    it.each(badIds)(
      "answers %s (%p) exactly as another member's account, so that a denial never tells what exists",
      async (_name, id) => {
        expect(await viewer.graphql(ACCOUNT_ID, { id })).toEqual(foreign);
      },
    );

    it.each(badIds)('answers anonymous asking for %s (%p) with UNAUTHENTICATED', async (_name, id) => {
      expect(await t.graphql(ACCOUNT_ID, { id })).toEqual(denied('UNAUTHENTICATED', 'account'));
    });

    it('answers anonymous asking for existing accounts exactly as for a missing one', async () => {
      const missing = await t.graphql(ACCOUNT_ID, { id: NONEXISTENT_ID });
      for (const account of [fixture.members[0], fixture.issuance])
        expect(await t.graphql(ACCOUNT_ID, { id: account.id })).toEqual(missing);
    });
  });
});
