import { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { isUnavailable } from '../database/pg-errors.js';
import { ErrorCode, UNAVAILABLE_MESSAGE, UNAVAILABLE_RETRY_AFTER_SECONDS } from './error-code.js';

/** What every response that failed as a whole for want of the database carries besides 503. */
export const RETRY_AFTER_HEADER = ['retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS)] as const;

/**
 * Context creation (who is calling: a token lookup) happens before GraphQL runs, and Apollo answers
 * its failures 500. One that failed for want of the database is answered 503 with Retry-After.
 */
export function unavailableAsHttp503(error: unknown): unknown {
  if (!isUnavailable(error)) return error;
  return new GraphQLError(UNAVAILABLE_MESSAGE, {
    originalError: error as Error,
    extensions: { http: { status: 503, headers: new Map([RETRY_AFTER_HEADER]) } },
  });
}

const isUnavailableError = (error: GraphQLFormattedError): boolean =>
  error.extensions?.code === ErrorCode.SERVICE_UNAVAILABLE;

/**
 * A response with no data whose every error is SERVICE_UNAVAILABLE failed as a whole for want of
 * the database: 503 with Retry-After, so that HTTP clients and proxies retry it. Partial data stays 200.
 */
export const unavailableStatus: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single') return;
        const { data, errors } = response.body.singleResult;
        if (data != null || !errors?.length || !errors.every(isUnavailableError)) return;
        response.http.status = 503;
        response.http.headers.set(...RETRY_AFTER_HEADER);
      },
    };
  },
};
