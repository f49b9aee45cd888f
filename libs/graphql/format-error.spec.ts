import { jest } from '@jest/globals';
import { BadRequestException, ForbiddenException, Logger } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { ClientError, ErrorCode } from './error-code.js';
import { createFormatError } from './format-error.js';

const formatError = createFormatError({ explorer: true });
const formatInProduction = createFormatError({ explorer: false });

const formatted = (message: string, code?: string) => ({ message, extensions: code ? { code } : {} });

describe('formatError', () => {
  let logged: jest.SpiedFunction<Logger['error']>;
  beforeEach(() => {
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => logged.mockRestore());

  it('masks unexpected errors, leaving no internals or stack, and logs them for us', () => {
    const internal = new Error('relation "accounts" does not exist at /srv/app/node_modules/pg');
    const result = formatError(
      formatted(internal.message, 'INTERNAL_SERVER_ERROR'),
      new GraphQLError(internal.message, { originalError: internal }),
    );
    expect(result).toEqual({
      message: 'Internal server error',
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
      locations: undefined,
      path: undefined,
    });
    // The error itself, once: the logger keeps its kind, message and stack, and nothing else of it.
    expect(logged).toHaveBeenCalledTimes(1);
    expect(logged).toHaveBeenCalledWith(internal);
  });

  it('keeps the message and details of errors raised for clients', () => {
    const error = new ClientError(ErrorCode.BAD_USER_INPUT, 'after is not a cursor this API issued', {
      field: 'after',
    });
    expect(
      formatError(formatted(error.message), new GraphQLError(error.message, { originalError: error })).extensions,
    ).toEqual({
      code: ErrorCode.BAD_USER_INPUT,
      field: 'after',
    });
  });

  it.each([
    [new BadRequestException('nope'), ErrorCode.BAD_USER_INPUT],
    [new ForbiddenException(), ErrorCode.FORBIDDEN],
  ])('maps Nest HTTP exceptions to codes', (exception, code) => {
    expect(formatError(formatted('x'), new GraphQLError('x', { originalError: exception })).extensions?.code).toBe(
      code,
    );
  });

  it.each([
    [
      'Syntax Error: Document contains more that 2000 tokens. Parsing aborted.',
      'GRAPHQL_PARSE_FAILED',
      ErrorCode.QUERY_TOO_COMPLEX,
    ],
    ['Syntax Error: Unexpected "}".', 'GRAPHQL_PARSE_FAILED', ErrorCode.GRAPHQL_PARSE_FAILED],
    [
      'Syntax Error: Query depth limit of 12 exceeded, found 13.',
      'GRAPHQL_VALIDATION_FAILED',
      ErrorCode.QUERY_TOO_COMPLEX,
    ],
    ['Cannot query field "nope" on type "Query".', 'GRAPHQL_VALIDATION_FAILED', ErrorCode.GRAPHQL_VALIDATION_FAILED],
    ['Variable "$i" got invalid value', 'BAD_USER_INPUT', ErrorCode.BAD_USER_INPUT],
    ['PersistedQueryNotFound', 'PERSISTED_QUERY_NOT_FOUND', ErrorCode.PERSISTED_QUERY_NOT_FOUND],
  ])('classifies Apollo errors: %s', (message, apolloCode, code) => {
    expect(formatError(formatted(message, apolloCode), new GraphQLError(message)).extensions?.code).toBe(code);
  });

  it('reports an unreachable database as SERVICE_UNAVAILABLE', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(formatError(formatted('x'), new GraphQLError('x', { originalError: refused }))).toMatchObject({
      extensions: { code: ErrorCode.SERVICE_UNAVAILABLE },
      message: expect.not.stringContaining('5432'),
    });
  });

  it('says a refused limit is a limit, not a syntax error', () => {
    const message = 'Syntax Error: Query depth limit of 12 exceeded, found 13.';
    expect(formatError(formatted(message, 'GRAPHQL_VALIDATION_FAILED'), new GraphQLError(message)).message).toBe(
      'Query depth limit of 12 exceeded, found 13.',
    );
  });

  it('keeps suggestions for the explorer, and drops them in production', () => {
    const message =
      'Variable "$kind" got invalid value "OFER"; Value "OFER" does not exist in "ListingKind" enum. Did you mean the enum value "OFFER"?';
    const error = new GraphQLError(message);
    expect(formatError(formatted(message, 'BAD_USER_INPUT'), error).message).toContain('Did you mean');
    expect(formatInProduction(formatted(message, 'BAD_USER_INPUT'), error)).toEqual({
      message: 'Variable "$kind" got invalid value "OFER"; Value "OFER" does not exist in "ListingKind" enum.',
      extensions: { code: ErrorCode.BAD_USER_INPUT },
      locations: undefined,
      path: undefined,
    });
  });

  it('refuses introspection without naming the server library', () => {
    const message =
      'GraphQL introspection is not allowed by Apollo Server, but the query contained __schema or __type. To enable introspection, pass introspection: true to ApolloServer in production';
    const result = formatInProduction(formatted(message, 'GRAPHQL_VALIDATION_FAILED'), new GraphQLError(message));
    expect(result).toMatchObject({
      message: 'Introspection is disabled on this server',
      extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED },
    });
  });
});
