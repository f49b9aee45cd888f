import { ErrorCode } from '../../libs/graphql/error-code.js';
import { GraphqlResponse } from '../support/test-app.js';

/** How the e2e tests recognise a refusal that comes as a top-level error rather than in a payload's userErrors. */

/** The message of every denial: the same for someone else's object and for no object at all. */
export const DENIAL_MESSAGE = 'Not permitted, or no such object';
export const FORBIDDEN_ERROR = { code: ErrorCode.FORBIDDEN, message: DENIAL_MESSAGE };
/** A well-formed id that names no row (of any table) in a test database: far beyond any sequence the tests reach. */
export const NONEXISTENT_ID = '9000000000000000000';

/** The part of top-level errors a client relies on: code and message. */
export function errorSummary(errors: GraphqlResponse['errors']): { code: unknown; message: string }[] | undefined {
  return errors?.map(({ message, extensions }) => ({ code: extensions?.code, message }));
}

/**
 * A query refused by its resolver: HTTP 200, no data, and one error with this code. A FORBIDDEN
 * one also carries the message that does not tell whether the object exists.
 */
export function expectQueryRefused(response: GraphqlResponse, code: ErrorCode, nullableField?: string): void {
  const error = code === ErrorCode.FORBIDDEN ? FORBIDDEN_ERROR : { code, message: expect.any(String) };
  // A nullable root field is null beside its error; a non-null one takes the whole data with it.
  const data = nullableField ? { [nullableField]: null } : null;
  expect({ status: response.status, data: response.data, errors: errorSummary(response.errors) }).toEqual({
    status: 200,
    data,
    errors: [error],
  });
}

/** A denial of a root field: someone else's object, or none at all. */
export function expectForbidden(response: GraphqlResponse, nullableField?: string): void {
  expectQueryRefused(response, ErrorCode.FORBIDDEN, nullableField);
}

/** A request refused as a whole for its credentials, before any resolver ran: this HTTP status, this code, and no data at all. */
export function expectRequestRefused(response: GraphqlResponse, status: 401 | 403): void {
  const code = status === 401 ? ErrorCode.UNAUTHENTICATED : ErrorCode.FORBIDDEN;
  expect({
    status: response.status,
    data: response.data ?? null,
    codes: response.errors?.map((error) => error.extensions?.code),
  }).toEqual({ status, data: null, codes: [code] });
}
