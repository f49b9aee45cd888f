import cors from 'cors';
import type { RequestHandler } from 'express';
import { ErrorCode } from '../graphql/error-code.js';
import { REQUEST_ID_HEADER } from '../observability/logging.js';

/** Whether a page served from this origin (as its browser sends it in `Origin`) may call the API. */
export type OriginCheck = (origin: string) => Promise<boolean>;

/**
 * What a page may send: JSON, a bearer token, the member a partner app acts for (X-Acting-For),
 * the two headers with which Apollo's CSRF prevention lets a GET query through, and its own
 * request id. Idempotency keys travel in the mutation's input, not in a header.
 */
const ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'x-acting-for',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  REQUEST_ID_HEADER,
];

/**
 * What a page may read beyond the headers every page reads: the request id to quote to support,
 * and when to try again after SERVICE_UNAVAILABLE or RATE_LIMITED.
 */
const EXPOSED_HEADERS = [REQUEST_ID_HEADER, 'retry-after'];

/**
 * Chromium's ceiling for caching a preflight. Caching grants nothing once an origin is struck off:
 * the browser checks Access-Control-Allow-Origin on every actual response too.
 */
const PREFLIGHT_MAX_AGE_SECONDS = 7200;

/** Shaped like every other refusal of the API. */
const PREFLIGHT_REFUSAL = {
  errors: [{ message: 'Pages from this origin may not call this API', extensions: { code: ErrorCode.FORBIDDEN } }],
};

/**
 * CORS for the origins `isAllowed` accepts, and none for any other. Another origin's preflight is
 * refused (403 FORBIDDEN, without CORS headers, so that its developer sees why in the browser's
 * network panel); its other requests go on as if CORS did not exist, and the browser withholds
 * their answers from the page. No credentials mode: clients authenticate with a bearer token,
 * never with a cookie that a browser would attach by itself.
 */
export function corsMiddleware(isAllowed: OriginCheck): RequestHandler {
  // `origin: true` reflects the request's Origin: this middleware only hands it allowed ones.
  const allow = cors({
    origin: true,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
  });
  return (req, res, next) => {
    // Every answer depends on Origin, refusals included: a cache must not hand one origin's answer to another.
    res.vary('Origin');
    const origin = req.headers.origin;
    if (origin === undefined) return next();
    isAllowed(origin).then((allowed) => {
      if (allowed) return allow(req, res, next);
      if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
        res.status(403).json(PREFLIGHT_REFUSAL);
        return;
      }
      next();
    }, next);
  };
}
