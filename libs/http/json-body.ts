import express, { ErrorRequestHandler, RequestHandler } from 'express';
import { ErrorCode } from '../graphql/error-code.js';

export const MAX_BODY_BYTES = '256kb';

/**
 * Nest's built-in body parser is off: we parse JSON ourselves so that a malformed or oversized
 * body gets a GraphQL-shaped answer with a stable code instead of an HTML error page.
 */
export function jsonBodyParser(): RequestHandler {
  return express.json({ limit: MAX_BODY_BYTES });
}

export const malformedBodyHandler: ErrorRequestHandler = (error, _req, res, next) => {
  const status = (error as { status?: number; type?: string }).status;
  if (status === undefined || status >= 500 || res.headersSent) return next(error);
  const tooLarge = status === 413;
  res.status(status).json({
    errors: [
      {
        message: tooLarge ? `Request body exceeds ${MAX_BODY_BYTES}` : 'Request body is not valid JSON',
        extensions: { code: tooLarge ? ErrorCode.QUERY_TOO_COMPLEX : ErrorCode.MALFORMED_REQUEST },
      },
    ],
  });
};
