import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * helmet's headers on every response. The API answers JSON, so its policy matters only for the one
 * page served here under it, GraphiQL (when the explorer is on): its scripts, styles and fonts come
 * from this server (fonts and icons inlined as data: URLs), and its editors set inline styles. The
 * OAuth pages replace this policy with their own, stricter one (src/oauth/pages.ts).
 */
export function securityHeaders(): RequestHandler {
  return helmet({
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
  });
}
