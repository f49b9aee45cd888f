import { ErrorCode } from '../../libs/graphql/error-code.js';
import { startTestApp, TestApp } from '../support/test-app.js';
import { errorSummary } from './denials.js';

/** With the explorer off, as in production, errors must not map the schema or the server for a stranger. */
describe('errors with the explorer off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(2, undefined, { GRAPHQL_EXPLORER: 'false' });
  });
  afterAll(async () => t.close());

  it('refuses introspection without naming the server library or how to configure it', async () => {
    const response = await t.graphql('{ __schema { types { name } } }');
    expect(errorSummary(response.errors)).toEqual([
      { code: ErrorCode.GRAPHQL_VALIDATION_FAILED, message: 'Introspection is disabled on this server' },
    ]);
  });

  it.each([
    [
      'enum value in a variable',
      'query($kind: ListingKind) { listings(communityId: "1", kind: $kind) { edges { cursor } } }',
      { kind: 'OFER' },
      ErrorCode.BAD_USER_INPUT,
    ],
    [
      'enum value in the query text',
      '{ listings(communityId: "1", kind: OFER) { edges { cursor } } }',
      {},
      ErrorCode.GRAPHQL_VALIDATION_FAILED,
    ],
    ['field name', '{ listing(id: "1") { titel } }', {}, ErrorCode.GRAPHQL_VALIDATION_FAILED],
    [
      'argument name',
      '{ listings(communityId: "1", frist: 5) { edges { cursor } } }',
      {},
      ErrorCode.GRAPHQL_VALIDATION_FAILED,
    ],
  ])('suggests no names for a misspelt %s', async (_name, query, variables, code) => {
    const response = await t.graphql(query, variables);
    expect(response.errors?.[0]?.extensions?.code).toBe(code);
    for (const error of response.errors ?? []) expect(error.message).not.toMatch(/did you mean|OFFER|title|first/i);
  });
});
