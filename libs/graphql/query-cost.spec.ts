import { readFileSync } from 'node:fs';
import { buildSchema, parse } from 'graphql';
import { ErrorCode } from './error-code.js';
import { assertQueryCost, MAX_QUERY_COST } from './query-cost.js';

const schema = buildSchema(readFileSync('schema.gql', 'utf8'));
const PAGES_OF_PAGES =
  'accounts(currencyId: "1", first: $accounts) { edges { node { statement(first: $postings) { edges { node { id } } } } } }';
const refusalCode = (run: () => void): unknown => {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as { originalError?: { code?: unknown } }).originalError?.code;
  }
};

describe('query cost', () => {
  it('counts page sizes given as variables, request by request, on the same parsed document', () => {
    const document = parse(`query($accounts: Int!, $postings: Int!) { ${PAGES_OF_PAGES} }`);
    expect(refusalCode(() => assertQueryCost(schema, document, { accounts: 5, postings: 5 }))).toBeUndefined();
    expect(refusalCode(() => assertQueryCost(schema, document, { accounts: 100, postings: 100 }))).toBe(
      ErrorCode.QUERY_TOO_COSTLY,
    );
  });

  it('does not let a cost taken with a branch skipped serve a request that takes it', () => {
    const document = parse(
      'query($skip: Boolean!) { accounts(currencyId: "1", first: 100) @skip(if: $skip) { edges { node { statement(first: 100) { edges { node { id } } } } } } }',
    );
    expect(refusalCode(() => assertQueryCost(schema, document, { skip: true }))).toBeUndefined();
    expect(refusalCode(() => assertQueryCost(schema, document, { skip: false }))).toBe(ErrorCode.QUERY_TOO_COSTLY);
  });

  it('costs a fixed document once, and refuses it every time', () => {
    const document = parse(`{ ${PAGES_OF_PAGES.replace('$accounts', '100').replace('$postings', '100')} }`);
    for (let attempt = 0; attempt < 2; attempt += 1)
      expect(refusalCode(() => assertQueryCost(schema, document, {}))).toBe(ErrorCode.QUERY_TOO_COSTLY);
  });

  it('prices a statement proof of 1,000 entries under the limit', () => {
    const document = parse(
      '{ statementProof(accountId: "1", first: 1000) { entries { transferId path { hash side } } checkpoint { id } checkpoints { id } } }',
    );
    expect(refusalCode(() => assertQueryCost(schema, document, {}))).toBeUndefined();
    expect(MAX_QUERY_COST).toBe(10_000);
  });

  it('costs an object beside an id like a lookup, and multiplies it by the page it is on', () => {
    const page = (objects: string) =>
      parse(`{ listings(communityId: "1", first: 100) { edges { node { id ${objects} } } } }`);
    // 100 listings, each with its member and its community: about 500 objects.
    expect(refusalCode(() => assertQueryCost(schema, page('member { id } community { slug }'), {}))).toBeUndefined();
    // The same page, through each member's accounts to a statement page of 100 each: about 30,000.
    const throughStatements = page(
      'member { memberships { account { statement(first: 100) { edges { node { id } } } } } }',
    );
    expect(refusalCode(() => assertQueryCost(schema, throughStatements, {}))).toBe(ErrorCode.QUERY_TOO_COSTLY);
  });

  it("costs a statement by its page of lines, not by the statement's deprecated page size", () => {
    const lines = 'lines(first: 100) { edges { node { amount balanceAfter } } pageInfo { endCursor } totalCount }';
    const document = parse(
      `{ accountStatement(accountId: "1") { openingBalance account { id currency { id } } ${lines} } }`,
    );
    expect(refusalCode(() => assertQueryCost(schema, document, {}))).toBeUndefined();
  });

  it('counts lines without a page size of their own at the largest page, which the deprecated one may ask', () => {
    const statements = (lines: string): string =>
      Array.from(
        { length: 40 },
        (_, n) => `s${n}: accountStatement(accountId: "1") { ${lines} { edges { node { amount } } } }`,
      ).join(' ');
    expect(
      refusalCode(() => assertQueryCost(schema, parse(`{ ${statements('lines(first: 1)')} }`), {})),
    ).toBeUndefined();
    expect(refusalCode(() => assertQueryCost(schema, parse(`{ ${statements('lines')} }`), {}))).toBe(
      ErrorCode.QUERY_TOO_COSTLY,
    );
  });

  it('refuses variables that cannot be coerced as bad input', () => {
    const document = parse(`query($accounts: Int!, $postings: Int!) { ${PAGES_OF_PAGES} }`);
    expect(refusalCode(() => assertQueryCost(schema, document, { accounts: 'many', postings: 1 }))).toBe(
      ErrorCode.BAD_USER_INPUT,
    );
  });
});
