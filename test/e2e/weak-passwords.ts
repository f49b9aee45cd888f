import { ErrorCode } from '../../libs/graphql/error-code.js';
import { GraphqlResponse } from '../support/test-app.js';

/** A password refused as too easy to guess: the BAD_USER_INPUT a too-short one gets, its field coded PASSWORD_TOO_WEAK. */
export function expectWeakPassword(response: GraphqlResponse, field: string): void {
  expect({
    data: response.data,
    errors: response.errors?.map(({ extensions }) => ({
      code: extensions?.code,
      invalidFields: extensions?.invalidFields,
    })),
  }).toEqual({
    data: null,
    errors: [
      {
        code: ErrorCode.BAD_USER_INPUT,
        invalidFields: [{ field, message: expect.any(String), code: 'PASSWORD_TOO_WEAK' }],
      },
    ],
  });
}
