import type { Response } from 'express';
import { ErrorCode, UNAVAILABLE_MESSAGE } from '../graphql/error-code.js';
import { RETRY_AFTER_HEADER } from '../graphql/unavailable.js';

/** 503 with Retry-After and a body shaped like GraphQL errors, as every refusal of the HTTP layer is. */
export function answerUnavailable(response: Response, message = UNAVAILABLE_MESSAGE): void {
  response
    .status(503)
    .set(...RETRY_AFTER_HEADER)
    .json({ errors: [{ message, extensions: { code: ErrorCode.SERVICE_UNAVAILABLE } }] });
}
