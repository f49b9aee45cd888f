import type { Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/**
 * helmet's headers on every response. The API answers JSON, so its policy matters only for the one
 * page served here under it, GraphiQL (when the explorer is on): its scripts, styles and fonts come
 * from this server (fonts and icons inlined as data: URLs), and its editors set inline styles. The
 * OAuth pages replace this policy with their own, stricter one (src/oauth/pages.ts).
 */
export function securityHeaders(): RequestHandler {
  const headers = headersSetBy(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          fontSrc: ["'self'", 'data:'],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      // The API is called from partners' pages (CORS decides which): their browsers must be able to read the answers.
      crossOriginResourcePolicy: { policy: 'cross-origin' },
      // Partner apps may open the OAuth sign-in in a popup and watch it come back: an opener policy would cut that tie.
      crossOriginOpenerPolicy: false,
    }),
  );
  return (_req, res, next) => {
    for (const [name, value] of headers) {
      if (value === undefined) res.removeHeader(name);
      else res.setHeader(name, value);
    }
    next();
  };
}

/**
 * What a middleware does to every response's headers, in order (undefined: removed), read once by
 * running it on a stand-in. helmet's headers depend on nothing of the request while no directive is
 * a function, and running its eleven middlewares on every request cost more than setting the
 * headers. One that does not answer at once, or touches anything but headers, is refused here.
 */
function headersSetBy(middleware: RequestHandler): [string, string | undefined][] {
  const headers: [string, string | undefined][] = [];
  const response = {
    setHeader: (name: string, value: unknown) => headers.push([name, String(value)]),
    removeHeader: (name: string) => headers.push([name, undefined]),
  };
  let done = false;
  const request = new Proxy(
    {},
    {
      get: (_, property) => {
        throw new Error(`the security headers would depend on the request (${String(property)})`);
      },
    },
  );
  let failure: unknown;
  middleware(request as Request, response as unknown as Response, (error?: unknown) => {
    failure = error;
    done = true;
  });
  if (!done) throw new Error('the security headers middleware did not call next() at once');
  if (failure) throw failure instanceof Error ? failure : new Error('helmet refused its options');
  return headers;
}
