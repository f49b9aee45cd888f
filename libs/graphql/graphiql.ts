import { ApolloServerPlugin } from '@apollo/server';
import { Router } from 'express';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Where GraphiQL's page finds its files: on this server, never on a CDN (many operators have no internet). */
export const GRAPHIQL_ASSETS_PATH = '/graphiql';

const packageFile = (name: string, file: string): string =>
  join(dirname(createRequire(import.meta.url).resolve(`${name}/package.json`)), file);

/** The built bundles the packages ship for a page without a build step; GraphiQL's expects React and ReactDOM as globals. */
const VENDORED: Record<string, { path: string; type: string }> = {
  'react.js': { path: packageFile('react', 'umd/react.production.min.js'), type: 'text/javascript' },
  'react-dom.js': { path: packageFile('react-dom', 'umd/react-dom.production.min.js'), type: 'text/javascript' },
  'graphiql.js': { path: packageFile('graphiql', 'dist/index.umd.js'), type: 'text/javascript' },
  'graphiql.css': { path: packageFile('graphiql', 'dist/style.css'), type: 'text/css' },
};

/** A file rather than an inline script, so that the page's Content-Security-Policy allows scripts from this server only. */
const START_SCRIPT = `const endpoint = window.location.pathname;
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, { fetcher: GraphiQL.createFetcher({ url: endpoint }), defaultEditorToolsVisibility: true }),
);
`;

const PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Pumasi · GraphiQL</title>
<link rel="stylesheet" href="${GRAPHIQL_ASSETS_PATH}/graphiql.css">
<script src="${GRAPHIQL_ASSETS_PATH}/react.js" defer></script>
<script src="${GRAPHIQL_ASSETS_PATH}/react-dom.js" defer></script>
<script src="${GRAPHIQL_ASSETS_PATH}/graphiql.js" defer></script>
<script src="${GRAPHIQL_ASSETS_PATH}/start.js" defer></script>
</head><body style="margin:0"><div id="graphiql" style="height:100vh">Loading…</div></body></html>
`;

/** GraphiQL as the landing page Apollo answers a browser's GET /graphql with. */
export const graphiqlLandingPage: ApolloServerPlugin = {
  async serverWillStart() {
    return {
      async renderLandingPage() {
        return { html: PAGE };
      },
    };
  },
};

/** The page's scripts and styles, from the installed packages; cached a day by browsers. */
export function graphiqlAssets(): Router {
  const router = Router();
  const cache = { 'cache-control': 'public, max-age=86400' };
  router.get(`${GRAPHIQL_ASSETS_PATH}/start.js`, (_req, res) => {
    res.set({ ...cache, 'content-type': 'text/javascript; charset=utf-8' }).send(START_SCRIPT);
  });
  for (const [name, asset] of Object.entries(VENDORED)) {
    router.get(`${GRAPHIQL_ASSETS_PATH}/${name}`, (_req, res, next) => {
      res
        .set(cache)
        .type(asset.type)
        .sendFile(asset.path, (error) => error && next(error));
    });
  }
  return router;
}
