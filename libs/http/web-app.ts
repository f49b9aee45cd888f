import express, { Router } from 'express';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the web app is served. */
export const WEB_APP_PATH = '/app';

/**
 * The web app's own policy, stricter than the API's (security-headers.ts): its scripts and styles are
 * files of this server (Vite emits no inline script or style), and it talks to this server only.
 */
export const WEB_APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Vite names every built asset by its content's hash: a new build is a new name, so a year's cache is safe. */
const HASHED_ASSETS = { immutable: true, maxAge: '365d' };

/**
 * The directory `npm run build` writes the web app to (web/dist), found from this file both where
 * tsc compiled it (dist/libs/http) and where the tests run it from source (libs/http): the first
 * directory above with a package.json is the checkout.
 */
export function webAppDirectory(from = dirname(fileURLToPath(import.meta.url))): string {
  let directory = from;
  while (!existsSync(join(directory, 'package.json')) && dirname(directory) !== directory)
    directory = dirname(directory);
  return join(directory, 'web', 'dist');
}

/** Whether `npm run build` built the web app here. */
export const webAppBuilt = (directory = webAppDirectory()): boolean => existsSync(join(directory, 'index.html'));

/**
 * The single-page app under /app: its hashed assets cached for good, index.html never (so that a
 * new build is picked up at the next visit), and any other path under /app answered with
 * index.html, for the app's router to show. Without a build (unit tests, a server built without
 * it) /app is a plain 404.
 */
export function webApp(directory = webAppDirectory()): Router {
  const router = Router();
  const index = join(directory, 'index.html');
  if (!webAppBuilt(directory)) return router;
  router.use(WEB_APP_PATH, (_req, res, next) => {
    res.setHeader('Content-Security-Policy', WEB_APP_CSP);
    next();
  });
  router.use(
    `${WEB_APP_PATH}/assets`,
    express.static(join(directory, 'assets'), { ...HASHED_ASSETS, fallthrough: false }),
  );
  router.get([WEB_APP_PATH, `${WEB_APP_PATH}/{*route}`], (_req, res, next) => {
    res.set('cache-control', 'no-cache').sendFile(index, (error) => error && next(error));
  });
  return router;
}
