import { randomBytes } from 'node:crypto';
import { ErrorCode } from '../../libs/graphql/error-code.js';
import { QUERY_LIMITS } from '../../libs/graphql/graphql-options.js';
import { MAX_PAGE_SIZE } from '../../libs/graphql/pagination.js';
import { createLedgerFixture, LedgerFixture } from '../support/ledger-fixture.js';
import { expectLedgerInvariants, GraphqlClient, startTestApp, TestApp } from '../support/test-app.js';
import { TransferErrorCode } from '../../src/ledger/ledger.errors.js';
import { Account } from '../../src/ledger/models/ledger.models.js';
import { grantPartnerConsent, registerPartnerApp } from './auth-client.js';
import { errorSummary, FORBIDDEN_ERROR, NONEXISTENT_ID } from './denials.js';
import { CREATE_TRANSFER, gql, newKey, postRaw, RawResponse, rowsForKey, TransferInput } from './graphql-client.js';
import { globalId } from '../support/global-ids.js';

const {
  BAD_USER_INPUT,
  FORBIDDEN,
  GRAPHQL_PARSE_FAILED,
  GRAPHQL_VALIDATION_FAILED,
  MALFORMED_REQUEST,
  PERSISTED_QUERY_NOT_FOUND,
  QUERY_TOO_COMPLEX,
  QUERY_TOO_COSTLY,
  UNAUTHENTICATED,
} = ErrorCode;
const { AMOUNT_MUST_BE_POSITIVE, CREDIT_ACCOUNT_NOT_FOUND, CURRENCY_MISMATCH, INVALID_INPUT, SAME_ACCOUNT } =
  TransferErrorCode;

/** The first id PostgreSQL's bigint cannot hold. */
const BEYOND_INT64 = '9223372036854775808';

/** Traces of internals that must never reach a client: stack frames, file paths, driver errors. */
const INTERNALS = [
  /\bat (async )?[\w$.<>]+ \(/, // "at Foo.bar (" stack frames
  /\bat (file:\/\/|\/)/, // "at /path/file.js:1:2"
  /node_modules/,
  /\/(src|libs|dist|work|home|root|tmp)\//,
  /\.[cm]?[jt]s:\d+/,
  /stacktrace/i,
  /QueryFailedError|duplicate key|violates|out of range for type/,
];

/** A GraphQL literal written as is, such as 1.5 or true, where `literal()` would otherwise quote. */
class Raw {
  constructor(readonly text: string) {}
}
const raw = (text: string): Raw => new Raw(text);

/** An input object as GraphQL query text: `{ amount: "5", ... }`. */
function literal(input: Record<string, unknown>): string {
  return `{ ${Object.entries(input)
    .map(([field, value]) => `${field}: ${value instanceof Raw ? value.text : JSON.stringify(value)}`)
    .join(', ')} }`;
}

const literalTransfer = (input: TransferInput, selection = 'replayed'): string =>
  `createTransfer(input: ${literal(input)}) { ${selection} }`;
/** Inline fragments add depth without changing what is selected. */
const nestedFragments = (levels: number, selection: string): string =>
  `${'... on Transfer { '.repeat(levels)}${selection}${' }'.repeat(levels)}`;
const statementSelection = `statement(first: ${MAX_PAGE_SIZE}) { edges { node { id amount balanceAfter } } }`;
const range = (n: number): number[] => Array.from({ length: n }, (_, index) => index);
/** A transfer's accounts with their statements, then the same again for its resolution and reversal, `levels` times: a tree of 2^(levels+1) - 1 transfers. */
const transferTree = (levels: number): string => {
  const accounts = `debitAccount { ${statementSelection} } creditAccount { ${statementSelection} }`;
  return levels === 0
    ? accounts
    : `${accounts} resolution { ${transferTree(levels - 1)} } reversal { ${transferTree(levels - 1)} }`;
};
/** Metadata of `levels` nested objects. */
const nestedObject = (levels: number): Record<string, unknown> => (levels <= 1 ? {} : { a: nestedObject(levels - 1) });
const cursor = (text: string): string => Buffer.from(text).toString('base64url');

/** The code a client switches on: a top-level error's, else the mutation's first userError's. */
function codeOf(body: any): string | undefined {
  return body?.errors?.[0]?.extensions?.code ?? body?.data?.createTransfer?.userErrors?.[0]?.code;
}

/**
 * docs/testing.md: bad input gets a clear error and changes nothing. Every request is sent by a logged-in
 * member who may make its valid form, so that a refusal is the bad input's, not a missing login's.
 */
describe('bad input over GraphQL', () => {
  let t: TestApp;
  let fixture: LedgerFixture;
  let other: LedgerFixture;
  let payer: Account;
  let payee: Account;
  let foreign: Account;
  let currencyIds: string[];
  /** The holder of `payer`, who sends every request unless a case says otherwise. */
  let asPayer: GraphqlClient;

  beforeAll(async () => {
    t = await startTestApp(4);
    fixture = await createLedgerFixture(t, [{ balance: 100n }, {}]);
    other = await createLedgerFixture(t, [{ balance: 100n }]);
    [payer, payee] = fixture.members;
    foreign = other.members[0];
    currencyIds = [fixture.currency.id, other.currency.id];
    asPayer = fixture.as(payer);
  });
  afterEach(async () => expectLedgerInvariants(t.dataSource));
  afterAll(async () => t.close());

  /** Every account of both fixture currencies, and their transfers: what no refused request may change. */
  const ledgerState = async (): Promise<unknown> =>
    (
      await t.dataSource.query(
        `SELECT (SELECT count(*)::int FROM transfers WHERE currency_id = ANY($1)) AS transfers,
              (SELECT json_agg(json_build_array(id, posted_debits, posted_credits, pending_debits, pending_credits, version) ORDER BY id)
                 FROM accounts WHERE currency_id = ANY($1)) AS accounts`,
        [currencyIds],
      )
    )[0];

  /** A valid input with a fresh key; each bad-input case changes one thing about it. */
  const validInput = (overrides: Record<string, unknown> = {}): TransferInput => ({
    idempotencyKey: newKey('bad'),
    debitAccountId: payer.id,
    creditAccountId: payee.id,
    amount: '5',
    ...overrides,
  });
  const post = (payload: unknown, client = asPayer): Promise<RawResponse> => postRaw(client, JSON.stringify(payload));
  /** The transfer that funded an account in its fixture: readable by that account's holder only. */
  const fundingTransferOf = async (account: Account): Promise<string> =>
    (
      await t.dataSource.query('SELECT id FROM transfers WHERE credit_account_id = $1 ORDER BY id LIMIT 1', [
        account.id,
      ])
    )[0].id;
  const mutationBody = (input: TransferInput): string =>
    JSON.stringify({ query: CREATE_TRANSFER, variables: { input } });

  /** Sends one bad request; checks the code, the status, that no internals leak and that nothing was written. */
  async function expectRejected(send: () => Promise<RawResponse>, code: string, keys: string[]): Promise<RawResponse> {
    const before = await ledgerState();
    const response = await send();
    expect(response.status).toBeLessThan(500);
    expect(response.contentType).toMatch(/^application\/json/);
    expect({ code: codeOf(response.body), body: response.body }).toEqual({ code, body: expect.anything() });
    expect(response.body.data?.createTransfer?.transfer ?? null).toBeNull();
    for (const pattern of INTERNALS) expect(response.text).not.toMatch(pattern);
    for (const key of keys) expect(await rowsForKey(t, key)).toEqual({ transfers: 0, failures: 0 });
    expect(await ledgerState()).toEqual(before);
    return response;
  }

  const expectTransferRejected = (overrides: Record<string, unknown>, code: string): Promise<RawResponse> => {
    const input = validInput(overrides);
    return expectRejected(() => post({ query: CREATE_TRANSFER, variables: { input } }), code, [
      String(input.idempotencyKey),
    ]);
  };

  it('accepts the valid request every case below spoils in one way, and a key of exactly 128 characters', async () => {
    const input = validInput({ idempotencyKey: 'k'.repeat(128) });
    const response = await post({ query: CREATE_TRANSFER, variables: { input } });
    expect({ status: response.status, code: codeOf(response.body) }).toEqual({ status: 200, code: undefined });
    expect(response.body.data.createTransfer.transfer).toMatchObject({
      idempotencyKey: input.idempotencyKey,
      amount: '5',
    });
    expect(await rowsForKey(t, input.idempotencyKey)).toEqual({ transfers: 1, failures: 0 });
  });

  describe('amounts', () => {
    it.each<[string, unknown, string]>([
      ['negative', '-5', AMOUNT_MUST_BE_POSITIVE],
      ['a negative JSON integer', -5, AMOUNT_MUST_BE_POSITIVE],
      ['zero', '0', AMOUNT_MUST_BE_POSITIVE],
      ['a JSON zero', 0, AMOUNT_MUST_BE_POSITIVE],
      ['minus zero', '-0', AMOUNT_MUST_BE_POSITIVE],
      ['2^53', '9007199254740992', BAD_USER_INPUT],
      ['2^53 as a JSON integer', 9007199254740992, BAD_USER_INPUT],
      ['-(2^53)', '-9007199254740992', BAD_USER_INPUT],
      ['2^63', BEYOND_INT64, BAD_USER_INPUT],
      ['1e21 as a JSON number', 1e21, BAD_USER_INPUT],
      ['a fraction', 1.5, BAD_USER_INPUT],
      ['a fraction in a string', '1.5', BAD_USER_INPUT],
      ['an exponent in a string', '1e3', BAD_USER_INPUT],
      ['padded with a space', ' 5', BAD_USER_INPUT],
      ['an empty string', '', BAD_USER_INPUT],
      ['a word', 'five', BAD_USER_INPUT],
      ['a boolean', true, BAD_USER_INPUT],
      ['an object', { value: 5 }, BAD_USER_INPUT],
      ['a list', [5], BAD_USER_INPUT],
      ['null', null, BAD_USER_INPUT],
    ])('refuses an amount that is %s (%p) with %s', async (_name, amount, code) => {
      await expectTransferRejected({ amount }, code);
    });

    it.each([
      ['a fraction', '1.5'],
      ['a boolean', 'true'],
      ['an object', '{ value: 5 }'],
      ['2^53', '9007199254740992'],
      ['null', 'null'],
    ])('refuses an amount written in the query text as %s (%s)', async (_name, amount) => {
      const input = validInput({ amount: raw(amount) });
      await expectRejected(() => post({ query: `mutation { ${literalTransfer(input)} }` }), BAD_USER_INPUT, [
        input.idempotencyKey,
      ]);
    });
  });

  describe('accounts', () => {
    it.each<[string, string, () => Record<string, unknown>]>([
      ['an unknown credit account', CREDIT_ACCOUNT_NOT_FOUND, () => ({ creditAccountId: NONEXISTENT_ID })],
      ['a credit account in another currency', CURRENCY_MISMATCH, () => ({ creditAccountId: foreign.id })],
      ['the same account on both sides', SAME_ACCOUNT, () => ({ creditAccountId: payer.id })],
      // Neither a global id nor a number: it names no account, and is answered as an unknown one.
      ['a debit account id that is not a number', FORBIDDEN, () => ({ debitAccountId: 'abc' })],
      ['a member id given as the debit account', FORBIDDEN, () => ({ debitAccountId: globalId('Member', payer.id) })],
      ['a credit account id of zero', INVALID_INPUT, () => ({ creditAccountId: '0' })],
      ['a negative debit account id', INVALID_INPUT, () => ({ debitAccountId: '-1' })],
      ['a debit account id beyond 64 bits', INVALID_INPUT, () => ({ debitAccountId: BEYOND_INT64 })],
      ['a credit account id beyond 64 bits', INVALID_INPUT, () => ({ creditAccountId: BEYOND_INT64 })],
    ])('refuses %s with %s', async (_name, code, overrides) => {
      await expectTransferRejected(overrides(), code);
    });

    it("refuses a debit account that does not exist exactly as another member's or another community's: FORBIDDEN", async () => {
      const unknown = await expectTransferRejected({ debitAccountId: NONEXISTENT_ID }, FORBIDDEN);
      expect(errorSummary(unknown.body.errors)).toEqual([FORBIDDEN_ERROR]);
      // Paid to the caller's own account, so that no check of the input's shape (SAME_ACCOUNT) answers first.
      for (const debitAccountId of [payee.id, foreign.id]) {
        const someoneElses = await expectTransferRejected({ debitAccountId, creditAccountId: payer.id }, FORBIDDEN);
        expect({ status: someoneElses.status, body: someoneElses.body }).toEqual({
          status: unknown.status,
          body: unknown.body,
        });
      }
    });
  });

  describe('other fields', () => {
    it.each<[string, Record<string, unknown>]>([
      ['an empty idempotency key', { idempotencyKey: '' }],
      ['an idempotency key of spaces', { idempotencyKey: '   ' }],
      ['an idempotency key with a space', { idempotencyKey: 'my key' }],
      ['an idempotency key with a tab', { idempotencyKey: 'my\tkey' }],
      ['an idempotency key of 129 characters', { idempotencyKey: 'k'.repeat(129) }],
      ['a non-ASCII idempotency key', { idempotencyKey: 'clé-1' }],
      ['a memo over 500 characters', { memo: 'm'.repeat(501) }],
      ['a code that is not lower_snake_case', { code: 'Not-Snake' }],
    ])('refuses %s as the userError INVALID_INPUT naming the field', async (_name, overrides) => {
      const response = await expectTransferRejected(overrides, INVALID_INPUT);
      expect(response.body.data.createTransfer.userErrors.map(({ field }: { field: string[] }) => field)).toEqual([
        ['input', ...Object.keys(overrides)],
      ]);
    });

    // The schema's own checks (types, unknown fields) and the text check of the whole request come before any resolver.
    it.each<[string, Record<string, unknown>]>([
      ['an idempotency key that is a number', { idempotencyKey: 42 }],
      ['metadata that is a list', { metadata: [1, 2] }],
      ['metadata that is a string', { metadata: 'x' }],
      ['metadata over 4096 bytes', { metadata: { note: 'x'.repeat(4100) } }],
      ['metadata nested 17 levels deep', { metadata: nestedObject(17) }],
      ['metadata nested 1,500 levels deep', { metadata: nestedObject(1500) }],
      [
        'metadata holding lists nested 1,500 levels deep, within 4096 bytes',
        { metadata: { a: JSON.parse(`${'['.repeat(1500)}${']'.repeat(1500)}`) } },
      ],
      ['a memo with a NUL character', { memo: 'tea\u0000time' }],
      ['a memo with a lone high surrogate', { memo: 'tea\ud800time' }],
      ['a memo with a lone low surrogate', { memo: '\udc00' }],
      ['a memo with a surrogate pair the wrong way round', { memo: '\ude00\ud83d' }],
      ['a memo with a bell character', { memo: 'ding\u0007' }],
      ['a memo with DEL', { memo: 'oops\u007f' }],
      ['an idempotency key with DEL', { idempotencyKey: 'key\u007f' }],
      ['metadata with a NUL character in a value', { metadata: { note: 'a\u0000b' } }],
      ['metadata with a NUL character in a key', { metadata: { 'no\u0000te': 'x' } }],
      ['metadata with a lone surrogate deep inside', { metadata: { a: { b: [{ c: '\ud800' }] } } }],
      ['an unknown input field', { nope: 1 }],
      ['an input field from another API', { currencyId: '1' }],
    ])('refuses %s with BAD_USER_INPUT', async (_name, overrides) => {
      await expectTransferRejected(overrides, BAD_USER_INPUT);
    });
  });

  it('accepts text in any script, emoji, tabs and line breaks', async () => {
    const memo = '자전거 수리 🚲\tthanks!\r\nsee you';
    const input = validInput({ memo, metadata: { note: '고마워요 👍', nested: { deep: ['é'] } } });
    const response = await post({ query: CREATE_TRANSFER, variables: { input } });
    expect(response.body.data.createTransfer).toMatchObject({
      transfer: { memo, metadata: input.metadata },
      userErrors: [],
    });
  });

  it('refuses a control character written in the query text, in any argument', async () => {
    const input = validInput({ memo: 'tea\u0000time' });
    await expectRejected(() => post({ query: `mutation { ${literalTransfer(input)} }` }), BAD_USER_INPUT, [
      input.idempotencyKey,
    ]);
    const search = await post({
      query: `{ listings(communityId: "${fixture.community.id}", category: "x\\u0000") { edges { cursor } } }`,
    });
    expect({ status: search.status, code: codeOf(search.body) }).toEqual({ status: 400, code: BAD_USER_INPUT });
  });

  describe('dates', () => {
    const BALANCE_AT = 'query($id: ID!, $at: DateTime!) { account(id: $id) { balanceAt(at: $at) } }';

    it.each([
      ['without an offset, which would be read in the wrong zone', '2026-12-04T13:00:00'],
      ['a date without a time', '2026-12-04'],
      ['30 February', '2026-02-30T00:00:00Z'],
      ['hour 25', '2026-12-04T25:00:00Z'],
      ['not a date at all', 'not-a-date'],
    ])('refuses a date-time %s (%s) with BAD_USER_INPUT', async (_name, at) => {
      const response = await post({ query: BALANCE_AT, variables: { id: payer.id, at } });
      expect({ status: response.status, code: codeOf(response.body), data: response.body.data }).toEqual({
        status: 400,
        code: BAD_USER_INPUT,
        data: undefined,
      });
      const literal = await post({ query: `{ account(id: "${payer.id}") { balanceAt(at: ${JSON.stringify(at)}) } }` });
      expect(codeOf(literal.body)).toBe(BAD_USER_INPUT);
    });

    it('reads a date-time with its offset as the instant it names', async () => {
      const inSeoul = await post({ query: BALANCE_AT, variables: { id: payer.id, at: '2999-12-04T13:00:00+09:00' } });
      const inUtc = await post({ query: BALANCE_AT, variables: { id: payer.id, at: '2999-12-04T04:00:00Z' } });
      expect(inSeoul.body).toEqual({ data: { account: { balanceAt: expect.any(String) } } });
      expect(inSeoul.body).toEqual(inUtc.body);
    });
  });

  describe('query cost', () => {
    const pagesOfPages = (accounts: string, postings: string): string =>
      `accounts(currencyId: $currencyId, first: ${accounts}) { edges { node { statement(first: ${postings}) { edges { node { id amount } } } } } }`;
    const PAGES_OF_PAGES = `query($currencyId: ID!, $accounts: Int!, $postings: Int!) { ${pagesOfPages('$accounts', '$postings')} }`;

    it('counts page sizes given as variables as it counts those written in the query', async () => {
      const variables = { currencyId: currencyIds[0], accounts: 100, postings: 100 };
      const asVariables = await expectRejected(() => post({ query: PAGES_OF_PAGES, variables }), QUERY_TOO_COSTLY, []);
      const inline = `query($currencyId: ID!) { ${pagesOfPages('100', '100')} }`;
      const written = await expectRejected(
        () => post({ query: inline, variables: { currencyId: currencyIds[0] } }),
        QUERY_TOO_COSTLY,
        [],
      );
      for (const response of [asVariables, written]) {
        expect(response.status).toBe(400);
        expect(response.body.errors[0].message).not.toMatch(/syntax/i);
        expect(response.body.errors[0].extensions).toMatchObject({
          code: QUERY_TOO_COSTLY,
          maxCost: QUERY_LIMITS.maxCost,
          cost: expect.any(Number),
        });
      }
    });

    it('serves the same query with small pages, and a statement proof of its documented maximum of 1,000 entries', async () => {
      const small = await post({
        query: PAGES_OF_PAGES,
        variables: { currencyId: currencyIds[0], accounts: 5, postings: 5 },
      });
      expect(codeOf(small.body)).not.toBe(QUERY_TOO_COSTLY);
      const proof = await post({
        query: `query($accountId: ID!) { statementProof(accountId: $accountId, first: 1000) {
          accountId hasMore entries { transferId position entryHash entryText postingText postingSalt path { hash side } } checkpoint { id chainHash } checkpoints { id checkpointHash } } }`,
        variables: { accountId: payer.id },
      });
      expect(codeOf(proof.body)).not.toBe(QUERY_TOO_COSTLY);
    });
  });

  it('answers an unknown persisted query hash as Apollo clients expect, so that they send the query text', async () => {
    const unknownHash = { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } };
    const response = await post(unknownHash);
    expect({ status: response.status, code: codeOf(response.body) }).toEqual({
      status: 200,
      code: PERSISTED_QUERY_NOT_FOUND,
    });
  });

  describe('request bodies', () => {
    it.each<[string, number, string, (input: TransferInput) => { body: string | Blob; contentType?: string | null }]>([
      ['malformed JSON', 400, MALFORMED_REQUEST, (input) => ({ body: mutationBody(input).slice(0, -2) })],
      [
        'JSON with a trailing comma',
        400,
        MALFORMED_REQUEST,
        (input) => ({ body: mutationBody(input).replace(/}$/, ',}') }),
      ],
      [
        'a JSON string holding the request',
        400,
        MALFORMED_REQUEST,
        (input) => ({ body: JSON.stringify(mutationBody(input)) }),
      ],
      ['a batch', 400, MALFORMED_REQUEST, (input) => ({ body: `[${mutationBody(input)}]` })],
      [
        'a query that is not a string',
        400,
        MALFORMED_REQUEST,
        (input) => ({ body: JSON.stringify({ query: 42, variables: { input } }) }),
      ],
      [
        'variables encoded as a string',
        400,
        MALFORMED_REQUEST,
        (input) => ({ body: JSON.stringify({ query: CREATE_TRANSFER, variables: JSON.stringify({ input }) }) }),
      ],
      ['no query', 400, MALFORMED_REQUEST, (input) => ({ body: JSON.stringify({ variables: { input } }) })],
      ['an empty body', 400, MALFORMED_REQUEST, () => ({ body: '' })],
      [
        'JSON in UTF-16',
        400,
        MALFORMED_REQUEST,
        (input) => ({ body: mutationBody(input), contentType: 'application/json; charset=utf-16' }),
      ],
      ['text/plain', 400, MALFORMED_REQUEST, (input) => ({ body: mutationBody(input), contentType: 'text/plain' })],
      [
        'a form',
        400,
        MALFORMED_REQUEST,
        (input) => ({
          body: `query=${encodeURIComponent(`mutation { ${literalTransfer(input)} }`)}`,
          contentType: 'application/x-www-form-urlencoded',
        }),
      ],
      [
        'multipart/form-data',
        400,
        MALFORMED_REQUEST,
        (input) => ({ body: mutationBody(input), contentType: 'multipart/form-data; boundary=x' }),
      ],
      [
        'application/graphql',
        400,
        MALFORMED_REQUEST,
        (input) => ({ body: `mutation { ${literalTransfer(input)} }`, contentType: 'application/graphql' }),
      ],
      [
        'XML',
        400,
        MALFORMED_REQUEST,
        (input) => ({ body: `<createTransfer key="${input.idempotencyKey}"/>`, contentType: 'application/xml' }),
      ],
      [
        'no content type',
        400,
        MALFORMED_REQUEST,
        (input) => ({ body: new Blob([mutationBody(input)]), contentType: null }),
      ],
      [
        'an unknown operation name',
        400,
        BAD_USER_INPUT,
        (input) => ({ body: JSON.stringify({ query: CREATE_TRANSFER, variables: { input }, operationName: 'Nope' }) }),
      ],
      [
        'a body over 256kb',
        413,
        QUERY_TOO_COMPLEX,
        (input) => ({ body: mutationBody({ ...input, memo: 'm'.repeat(300_000) }) }),
      ],
    ])('answers %s with HTTP %i and %s', async (_name, status, code, build) => {
      const input = validInput();
      const { body, contentType } = build(input);
      const response = await expectRejected(() => postRaw(asPayer, body, contentType), code, [input.idempotencyKey]);
      expect(response.status).toBe(status);
    });
  });

  describe('query documents', () => {
    /** Each case builds a mutation from fresh valid inputs (`next`), whose keys must stay unused. */
    it.each<[string, string, (next: () => TransferInput) => string]>([
      ['a syntax error', GRAPHQL_PARSE_FAILED, (next) => `mutation { ${literalTransfer(next())}`],
      [
        'an unknown field in the selection',
        GRAPHQL_VALIDATION_FAILED,
        (next) => `mutation { ${literalTransfer(next(), 'replayed balance')} }`,
      ],
      [
        'an unknown top-level field',
        GRAPHQL_VALIDATION_FAILED,
        (next) => `mutation { ${literalTransfer(next())} sendMoney }`,
      ],
      [
        'an unknown input field in the query text',
        GRAPHQL_VALIDATION_FAILED,
        (next) => `mutation { ${literalTransfer({ ...next(), nope: 1 })} }`,
      ],
      [
        `a selection deeper than ${QUERY_LIMITS.maxDepth}`,
        QUERY_TOO_COMPLEX,
        (next) =>
          `mutation { ${literalTransfer(next(), `transfer { ${nestedFragments(QUERY_LIMITS.maxDepth - 2, 'id')} }`)} }`,
      ],
      [
        `more than ${QUERY_LIMITS.maxAliases} aliases`,
        QUERY_TOO_COMPLEX,
        (next) =>
          `mutation { ${range(QUERY_LIMITS.maxAliases + 1)
            .map((index) => `t${index}: ${literalTransfer(next())}`)
            .join(' ')} }`,
      ],
      [
        `more than ${QUERY_LIMITS.maxTokens} tokens`,
        QUERY_TOO_COMPLEX,
        (next) => `mutation { ${literalTransfer(next(), 'replayed '.repeat(QUERY_LIMITS.maxTokens))} }`,
      ],
      [
        `a cost over ${QUERY_LIMITS.maxCost}`,
        QUERY_TOO_COSTLY,
        (next) => `mutation { ${literalTransfer(next(), `transfer { ${transferTree(4)} }`)} }`,
      ],
    ])('refuses %s with %s, before running anything', async (_name, code, build) => {
      const inputs: TransferInput[] = [];
      const query = build(() => {
        inputs.push(validInput());
        return inputs.at(-1)!;
      });
      await expectRejected(
        () => post({ query }),
        code,
        inputs.map((input) => input.idempotencyKey),
      );
    });

    it('accepts queries right at the depth and alias limits', async () => {
      const atDepthLimit = `{ transfer(id: "${await fundingTransferOf(payer)}") { ${nestedFragments(QUERY_LIMITS.maxDepth - 2, 'id')} } }`;
      const atAliasLimit = `{ ${range(QUERY_LIMITS.maxAliases)
        .map((index) => `c${index}: communities { id }`)
        .join(' ')} }`;
      for (const query of [atDepthLimit, atAliasLimit]) {
        const response = await post({ query });
        expect({ status: response.status, errors: response.body.errors }).toEqual({ status: 200, errors: undefined });
      }
    });

    it('refuses a page of 1000 written in the query text: pages hold 1 to 100', async () => {
      await expectRejected(
        () => post({ query: '{ transfers(first: 1000) { edges { cursor } } }' }),
        BAD_USER_INPUT,
        [],
      );
    });
  });

  describe('pagination and filters', () => {
    /** Each connection with a reader allowed to page through it: its holder, or (for all of a currency's accounts) the coordinator. */
    const CONNECTIONS: Record<
      string,
      { query: string; variables: () => Record<string, unknown>; reader: () => GraphqlClient }
    > = {
      statement: {
        query: `query($id: ID!, $first: Int, $after: String, $from: DateTime) {
          account(id: $id) { statement(first: $first, after: $after, from: $from) { edges { cursor } } } }`,
        variables: () => ({ id: payer.id }),
        reader: () => asPayer,
      },
      transfers: {
        query: `query($accountId: ID, $first: Int, $after: String, $from: DateTime) {
          transfers(accountId: $accountId, first: $first, after: $after, from: $from) { edges { cursor } } }`,
        variables: () => ({ accountId: payer.id }),
        reader: () => asPayer,
      },
      accounts: {
        query:
          'query($currencyId: ID!, $first: Int, $after: String) { accounts(currencyId: $currencyId, first: $first, after: $after) { edges { cursor } } }',
        variables: () => ({ currencyId: currencyIds[0] }),
        reader: () => fixture.asCoordinator(),
      },
    };
    const BAD_PAGES: [string, Record<string, unknown>][] = [
      ['first: 0', { first: 0 }],
      ['first: -1', { first: -1 }],
      [`first: ${MAX_PAGE_SIZE + 1}`, { first: MAX_PAGE_SIZE + 1 }],
      ['first: 1000', { first: 1000 }],
      ['first: 2^31', { first: 2 ** 31 }],
      ['first: null', { first: null }],
      ['a cursor that is not base64', { after: 'not a cursor!' }],
      ['a cursor of another version', { after: cursor('v2:5') }],
      ['a cursor holding no number', { after: cursor('v1:abc') }],
      ['a cursor beyond 64 bits', { after: cursor(`v1:${BEYOND_INT64}`) }],
      ['a cursor over 200 characters', { after: 'A'.repeat(201) }],
    ];
    const BAD_DATES: [string, Record<string, unknown>][] = [
      ['a from date that is not a date', { from: 'yesterday' }],
      ['a from date with month 13', { from: '2024-13-01T00:00:00Z' }],
    ];
    const cases = [
      ...Object.keys(CONNECTIONS).flatMap((connection) =>
        BAD_PAGES.map(([name, args]) => [connection, name, args] as const),
      ),
      ...['statement', 'transfers'].flatMap((connection) =>
        BAD_DATES.map(([name, args]) => [connection, name, args] as const),
      ),
    ];

    it.each(Object.keys(CONNECTIONS))('answers %s for its reader when nothing is spoilt', async (connection) => {
      const { query, variables, reader } = CONNECTIONS[connection];
      const response = await post({ query, variables: { ...variables(), first: 2 } }, reader());
      expect({ status: response.status, errors: response.body.errors }).toEqual({ status: 200, errors: undefined });
    });

    it.each(cases)('refuses %s with %s as BAD_USER_INPUT', async (connection, _name, args) => {
      const { query, variables, reader } = CONNECTIONS[connection];
      await expectRejected(() => post({ query, variables: { ...variables(), ...args } }, reader()), BAD_USER_INPUT, []);
    });

    it.each([
      ['transfers(accountId:)', `{ transfers(accountId: "${BEYOND_INT64}") { edges { cursor } } }`],
      ['accounts(currencyId:)', `{ accounts(currencyId: "${BEYOND_INT64}") { edges { cursor } } }`],
    ])('refuses %s beyond 64 bits as BAD_USER_INPUT', async (_name, query) => {
      await expectRejected(() => post({ query }), BAD_USER_INPUT, []);
    });

    it('answers the public currency(id: an id beyond 64 bits) with null, not an error', async () => {
      const response = await post({ query: `{ currency(id: "${BEYOND_INT64}") { __typename } }` });
      expect({ status: response.status, body: response.body }).toEqual({
        status: 200,
        body: { data: { currency: null } },
      });
    });

    // A caller cannot tell an id no row could have from an object that is not theirs to see.
    it.each<[string, () => Promise<string>]>([
      ['transfer(id:', () => fundingTransferOf(foreign)],
      ['trialBalance(currencyId:', async () => other.currency.id],
    ])(
      "answers %s an id beyond 64 bits) with FORBIDDEN, exactly as another community's",
      async (call, someoneElses) => {
        const ask = (id: string): Promise<RawResponse> => post({ query: `{ ${call} "${id}") { __typename } }` });
        const beyond = await expectRejected(() => ask(BEYOND_INT64), FORBIDDEN, []);
        expect({ status: beyond.status, errors: errorSummary(beyond.body.errors) }).toEqual({
          status: 200,
          errors: [FORBIDDEN_ERROR],
        });
        const foreignResponse = await ask(await someoneElses());
        expect({ status: foreignResponse.status, body: foreignResponse.body }).toEqual({
          status: beyond.status,
          body: beyond.body,
        });
      },
    );
  });

  describe('credentials', () => {
    const unknownToken = (prefix: string): string => `${prefix}${randomBytes(32).toString('base64url')}`;
    let refreshToken: string;

    beforeAll(async () => {
      ({ refreshToken } = await t.identity.startSession(fixture.holders[0].memberId));
    });

    // A credential that cannot be used fails the whole request, rather than running it anonymously.
    it.each<[string, () => GraphqlClient]>([
      ['Authorization: Basic x', () => t.as(null, { authorization: 'Basic x' })],
      ['a Bearer access token no session has', () => t.as(unknownToken('pa_'))],
      ['a refresh token where an access token belongs', () => t.as(refreshToken)],
      ['a Bearer token with characters no token has', () => t.as('pa_not a token!')],
      ['an API key that does not exist', () => t.as(unknownToken('pk_'))],
      ['X-Acting-For without an API key', () => t.as(null, { 'x-acting-for': fixture.holders[0].memberId })],
      [
        "X-Acting-For with a member's access token",
        () => t.as(fixture.holders[0].token, { 'x-acting-for': fixture.holders[0].memberId }),
      ],
    ])(
      'answers a valid transfer sent with %s with HTTP 401 and UNAUTHENTICATED, writing nothing',
      async (_name, client) => {
        const input = validInput();
        const response = await expectRejected(() => postRaw(client(), mutationBody(input)), UNAUTHENTICATED, [
          input.idempotencyKey,
        ]);
        expect(response.status).toBe(401);
      },
    );

    it('answers a partner acting for a member who never consented with HTTP 403 and FORBIDDEN, writing nothing', async () => {
      const [payerHolder, payeeHolder] = fixture.holders;
      const { partnerApp, apiKey } = await registerPartnerApp(fixture.asCoordinator(), fixture.community.id, [
        'ACT_FOR_MEMBER',
      ]);
      expect(await grantPartnerConsent(fixture.as(payee), partnerApp.id)).toBe(true);
      const input = validInput();

      const response = await expectRejected(
        () => postRaw(t.as(apiKey, { 'x-acting-for': payerHolder.memberId }), mutationBody(input)),
        FORBIDDEN,
        [input.idempotencyKey],
      );

      expect(response.status).toBe(403);
      // The key itself is good: for the member who consented, the same app is served.
      const forPayee = t.as(apiKey, { 'x-acting-for': payeeHolder.memberId });
      expect(await gql(forPayee, 'query($id: ID!) { account(id: $id) { id } }', { id: payee.id })).toEqual({
        account: { id: globalId('Account', payee.id) },
      });
    });
  });
});
