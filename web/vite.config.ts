// The web app's build (`npm run build` runs it after the server's): served by the server at /app,
// so every URL it emits starts there. Vite transpiles TSX itself (esbuild/oxc, with tsconfig's
// `jsx: react-jsx`); no React plugin is needed, as the app has no dev-time fast refresh to offer.
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/app/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The Content-Security-Policy allows no inline script: the preload polyfill would be one.
    modulePreload: { polyfill: false },
    // Small assets are files too, never data: URLs inlined into the CSS or scripts.
    assetsInlineLimit: 0,
    sourcemap: true,
    // The insights chunk (Apache ECharts) is large, and loads only with its screen; the first load has its own budget (bundle-budget.mjs).
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      // React Router marks its modules "use client" for server-component bundlers; a browser-only
      // bundle has no server side for the directive to mean anything on.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    // `npx vite web` during development: the API is the server started with `npm start`.
    proxy: { '/graphql': 'http://localhost:3000' },
  },
});
