import { ApolloServerErrorCode } from '@apollo/server/errors';
import { HttpException, Logger } from '@nestjs/common';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { isUnavailable, Unavailable } from '../database/pg-errors.js';
import { ClientError, ErrorCode, UNAVAILABLE_MESSAGE } from './error-code.js';

const logger = new Logger('GraphQL');

const HTTP_STATUS_CODES: Record<number, ErrorCode> = {
  400: ErrorCode.BAD_USER_INPUT,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
};

/** What Apollo itself reports, mapped onto our codes. */
function classifyApolloError(formatted: GraphQLFormattedError): ErrorCode | undefined {
  const code = formatted.extensions?.code;
  if (code === ApolloServerErrorCode.GRAPHQL_PARSE_FAILED) {
    return /more th(?:an|at) \d+ tokens/.test(formatted.message)
      ? ErrorCode.QUERY_TOO_COMPLEX
      : ErrorCode.GRAPHQL_PARSE_FAILED;
  }
  if (code === ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED) {
    // graphql-armor's depth, alias, directive and cost rules all say "... limit of N exceeded".
    if (/limit of \d+ exceeded/.test(formatted.message)) return ErrorCode.QUERY_TOO_COMPLEX;
    // A literal argument our scalars refused (an inline amount of 1.5) is bad input, as it is in a variable.
    if (formatted.message.startsWith('Expected value of type')) return ErrorCode.BAD_USER_INPUT;
    return ErrorCode.GRAPHQL_VALIDATION_FAILED;
  }
  if (code === ApolloServerErrorCode.BAD_USER_INPUT) return ErrorCode.BAD_USER_INPUT;
  if (code === ApolloServerErrorCode.BAD_REQUEST) return ErrorCode.MALFORMED_REQUEST;
  if (code === ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE) return ErrorCode.BAD_USER_INPUT;
  if (code === ApolloServerErrorCode.PERSISTED_QUERY_NOT_SUPPORTED) return ErrorCode.MALFORMED_REQUEST;
  if (code === ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND) return ErrorCode.PERSISTED_QUERY_NOT_FOUND;
  return undefined;
}

export interface FormatErrorOptions {
  /** With the explorer on, messages keep graphql-js's "Did you mean …?" hints; off (production), they would map the schema for a stranger. */
  explorer: boolean;
}

/** Apollo's own wording names the server library and how to configure it: not a stranger's business. */
const INTROSPECTION_REFUSED = /^GraphQL introspection is not allowed/;
/** graphql-armor prefixes its refusals with "Syntax Error: " although the syntax is fine. */
const ARMOR_PREFIX = /^Syntax Error: (?=.*limit of \d+ exceeded)/;
const SUGGESTION = / ?Did you mean [^?]*\?/g;

function clientMessage(message: string, options: FormatErrorOptions): string {
  if (INTROSPECTION_REFUSED.test(message)) return 'Introspection is disabled on this server';
  const honest = message.replace(ARMOR_PREFIX, '');
  return options.explorer ? honest : honest.replace(SUGGESTION, '');
}

/**
 * The single place errors are shaped for clients: every error gets one `ErrorCode`, and only
 * errors we raised on purpose keep their message. Everything else is logged and masked.
 */
export function createFormatError(
  options: FormatErrorOptions,
): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  return (formatted, error) => {
    const result = formatError(formatted, error);
    return { ...result, message: clientMessage(result.message, options) };
  };
}

function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = (error as { originalError?: unknown })?.originalError ?? error;
  const base = { locations: formatted.locations, path: formatted.path };

  if (original instanceof ClientError) {
    return { ...base, message: original.message, extensions: { code: original.code, ...original.details } };
  }
  if (original instanceof HttpException) {
    const code = HTTP_STATUS_CODES[original.getStatus()];
    if (code) return { ...base, message: original.message, extensions: { code } };
  }
  if (isUnavailable(original)) {
    return {
      ...base,
      // A refusal for want of capacity says so; anything else leaves the outcome of a write unknown.
      message: original instanceof Unavailable ? original.message : UNAVAILABLE_MESSAGE,
      extensions: { code: ErrorCode.SERVICE_UNAVAILABLE },
    };
  }
  const apolloCode = classifyApolloError(formatted);
  if (apolloCode !== ErrorCode.QUERY_TOO_COMPLEX && isRefusedArgument(formatted, original)) {
    return { ...base, message: formatted.message, extensions: { code: ErrorCode.BAD_USER_INPUT } };
  }
  if (apolloCode) {
    return { ...base, message: formatted.message, extensions: { code: apolloCode } };
  }
  logger.error(original instanceof Error ? original : String(original));
  return { ...base, message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}

/**
 * Arguments refused by GraphQL itself rather than by our code:
 * - graphql-js refuses some only at execution (a null variable for a non-null `first`), with no cause attached;
 * - our scalars refuse literals during validation (an inline amount of 1.5), which Apollo labels a validation failure.
 */
function isRefusedArgument(formatted: GraphQLFormattedError, original: unknown): boolean {
  if (!isGraphQLError(original)) return false;
  const atExecution =
    !original.originalError && formatted.extensions?.code === ApolloServerErrorCode.INTERNAL_SERVER_ERROR;
  return atExecution || original.extensions?.code === ErrorCode.BAD_USER_INPUT;
}

/** By name, not instanceof: graphql is loaded both as CommonJS (by Nest) and as ESM (by Apollo). */
function isGraphQLError(error: unknown): error is GraphQLError {
  return (error as { name?: unknown } | null)?.name === 'GraphQLError';
}
