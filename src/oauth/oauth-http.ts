import { INestApplication } from '@nestjs/common';
import express, { RequestHandler } from 'express';
import { ConsentPages } from './consent-pages.js';
import { METADATA_PATH, OAuthServer } from './oauth-server.js';

/**
 * Mounts the OAuth server on the HTTP app, ahead of the JSON body parser (the library reads its
 * own form bodies): our sign-in and consent pages under /oauth/interaction, the library's
 * endpoints under /oauth, and the RFC 8414 metadata at the root, where client libraries look.
 */
export function mountOAuth(app: INestApplication): void {
  const server = app.get(OAuthServer);
  const router = express.Router();
  router.use('/oauth/interaction', app.get(ConsentPages).router());
  const toProvider: RequestHandler = (req, res) => server.handle(req, res);
  router.use('/oauth', (req, res, next) => {
    // Under a mount Express strips the prefix; the library's routes are whole paths,
    // and it would put baseUrl before the URLs it builds.
    req.url = req.originalUrl;
    req.baseUrl = '';
    toProvider(req, res, next);
  });
  router.get(METADATA_PATH, toProvider);
  app.use(router);
}
