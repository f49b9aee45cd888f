import { IntrinsicException } from '@nestjs/common';

/**
 * The one documented set of `extensions.code` values a client can receive in `errors[]`.
 * Expected business failures (insufficient funds, conflicts) are not here: they come back as
 * typed `userErrors` in the mutation's payload.
 */
export enum ErrorCode {
  /** An argument failed validation: wrong type, out of range, badly formed. */
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  /** The HTTP body was not valid JSON or not a GraphQL request. */
  MALFORMED_REQUEST = 'MALFORMED_REQUEST',
  /** The query text is not valid GraphQL syntax. */
  GRAPHQL_PARSE_FAILED = 'GRAPHQL_PARSE_FAILED',
  /** The query asks for fields or types the schema does not have. */
  GRAPHQL_VALIDATION_FAILED = 'GRAPHQL_VALIDATION_FAILED',
  /** Too deep, too many aliases, directives or tokens. */
  QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX',
  /** The query's estimated cost, computed with its variables' values, is over the limit. */
  QUERY_TOO_COSTLY = 'QUERY_TOO_COSTLY',
  /** An automatic persisted query's hash is not known yet: send the query text with it. */
  PERSISTED_QUERY_NOT_FOUND = 'PERSISTED_QUERY_NOT_FOUND',
  /** Too many requests of this kind from this address or for this account; retry after `retryAfterSeconds`. */
  RATE_LIMITED = 'RATE_LIMITED',
  /** A value is outside the range the API can carry exactly (±(2^53-1) for Amount and Int64). */
  VALUE_OUT_OF_RANGE = 'VALUE_OUT_OF_RANGE',
  /** A subscription socket already carries as many subscriptions as allowed: complete one first. */
  TOO_MANY_SUBSCRIPTIONS = 'TOO_MANY_SUBSCRIPTIONS',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  /**
   * The database is unreachable, overloaded or too slow, or the server is busy or stopping: a write
   * may or may not have been applied. Retry later (HTTP `Retry-After`) with the same idempotency key.
   */
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  /** A bug on our side. The message never carries internals; the server log has the detail. */
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

/** What a client is told when the service could not finish in time: the outcome is unknown, and a keyed retry is safe. */
export const UNAVAILABLE_MESSAGE =
  'The service is temporarily unavailable; a write may or may not have been applied: retry later with the same idempotency key';

/** Seconds a client should wait before retrying a SERVICE_UNAVAILABLE answer (HTTP `Retry-After`). */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

/**
 * An error whose code and message are safe to show a client as they are. Intrinsic, so that Nest
 * does not log a client's mistake as a server error with a stack trace.
 */
export class ClientError extends IntrinsicException {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}
