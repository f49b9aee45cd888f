import express from 'express';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WEB_APP_CSP, webApp, webAppDirectory } from './web-app.js';

/** Serves `directory` as the web app on a free port; answers `fetch` against it. */
async function serve(directory: string): Promise<{ get: (path: string) => Promise<Response>; close: () => void }> {
  const app = express().use(webApp(directory));
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return { get: (path) => fetch(`http://127.0.0.1:${port}${path}`), close: () => server.close() };
}

describe('the web app under /app', () => {
  it("finds the build in the checkout's web/dist, from the sources and from tsc's output alike", () => {
    const checkout = process.cwd();
    expect(webAppDirectory(join(checkout, 'libs', 'http'))).toBe(join(checkout, 'web', 'dist'));
    expect(webAppDirectory(join(checkout, 'dist', 'libs', 'http'))).toBe(join(checkout, 'web', 'dist'));
  });

  it('is a 404 without a build', async () => {
    const server = await serve(mkdtempSync(join(tmpdir(), 'pumasi-no-web-')));
    try {
      expect((await server.get('/app/')).status).toBe(404);
    } finally {
      server.close();
    }
  });

  it('answers every route under /app with index.html, never cached, and hashed assets cached for good', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'pumasi-web-'));
    mkdirSync(join(directory, 'assets'));
    writeFileSync(join(directory, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(join(directory, 'assets', 'index-abc123.js'), 'export {};');
    const server = await serve(directory);
    try {
      for (const path of ['/app', '/app/', '/app/console/members']) {
        const page = await server.get(path);
        expect([path, page.status, await page.text()]).toEqual([path, 200, '<!doctype html><title>app</title>']);
        expect(page.headers.get('cache-control')).toBe('no-cache');
        expect(page.headers.get('content-security-policy')).toBe(WEB_APP_CSP);
      }
      const asset = await server.get('/app/assets/index-abc123.js');
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect((await server.get('/app/assets/missing.js')).status).toBe(404);
      expect((await server.get('/application')).status).toBe(404);
    } finally {
      server.close();
    }
  });
});
