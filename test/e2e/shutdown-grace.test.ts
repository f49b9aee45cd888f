import { ChildProcess, spawn } from 'node:child_process';
import http, { IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { findFreePort } from '../../libs/database/embedded-postgres.js';
import { createDataSource } from '../../src/data-source.js';
import { createLedgerFixture } from '../support/ledger-fixture.js';
import { startTestApp, testDatabaseUrl } from '../support/test-app.js';
import { serviceUrlOf } from '../support/test-database.js';
import { requestExport } from './report-client.js';

/**
 * More rows than the sockets between server and client can buffer (a few megabytes on loopback),
 * so that a client that stops reading keeps the download in flight on the server.
 */
const BULK_ACCOUNTS = 250_000;
/** Apollo's own drain cuts every connection 10 s after it starts; the download must outlive that. */
const PAST_APOLLO_DRAIN_MS = 11_000;

/** The real server, `node dist/src/main.js`, in its own process group; resolves once it serves. */
async function startServer(port: number): Promise<{ child: ChildProcess; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    env: {
      ...process.env,
      DATABASE_URL: serviceUrlOf(testDatabaseUrl()),
      PORT: String(port),
      MIGRATE_ON_START: 'false',
      BACKGROUND_JOBS: 'off',
      LOG_LEVEL: 'warn',
      SHUTDOWN_GRACE_MS: '60000',
    },
    detached: true,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  for (;;) {
    if (child.exitCode !== null) throw new Error('the server exited before it served');
    const ready = await fetch(`http://127.0.0.1:${port}/health/live`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return { child, exited };
    await sleep(200);
  }
}

/** Whether a new request is turned away: no connection at all, or a 503. */
async function refused(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).status === 503;
  } catch {
    return true;
  }
}

describe('stopping the server (SIGTERM)', () => {
  let server: { child: ChildProcess; exited: Promise<number | null> } | undefined;

  afterAll(async () => {
    if (server?.child.exitCode === null) {
      process.kill(-server.child.pid!, 'SIGKILL');
      await server.exited;
    }
  });

  it("lets a CSV download in flight finish within SHUTDOWN_GRACE_MS, past Apollo's 10 s, while refusing new requests", async () => {
    // The export link is made by an app in this process; the server under test serves it (links live in the database).
    const app = await startTestApp(4);
    const fixture = await createLedgerFixture(app, [{}]);
    // Straight to the database: one bulk statement is no request, and the app's statement timeout is meant for requests.
    const direct = await createDataSource(testDatabaseUrl(), 1).initialize();
    await direct.query(
      `INSERT INTO accounts (currency_id, kind, name, lower_limit)
       SELECT $1, 'member', 'bulk ' || n, 0 FROM generate_series(1, $2) n`,
      [fixture.currency.id, BULK_ACCOUNTS],
    );
    await direct.destroy();
    const link = await requestExport(fixture.asCoordinator(), { kind: 'BALANCES', communityId: fixture.community.id });
    await app.close();

    const port = await findFreePort();
    server = await startServer(port);
    const response = await new Promise<IncomingMessage>((done, fail) =>
      http.get(`http://127.0.0.1:${port}${new URL(link.url).pathname}`, done).on('error', fail),
    );
    expect(response.statusCode).toBe(200);
    // Read a little, then stop reading: the server's writes back up, and its download stays in flight.
    const chunks: Buffer[] = [await new Promise<Buffer>((done) => response.once('data', done))];
    response.pause();

    process.kill(server.child.pid!, 'SIGTERM');
    while (!(await refused(`http://127.0.0.1:${port}/health/live`))) await sleep(50);
    await sleep(PAST_APOLLO_DRAIN_MS);

    const ended = new Promise<boolean>((done) => {
      response
        .on('end', () => done(true))
        .on('aborted', () => done(false))
        .on('error', () => done(false));
    });
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.resume();
    expect(await ended).toBe(true);
    const lines = Buffer.concat(chunks).toString('utf8').trimEnd().split('\n');
    // The header, the community's issuance and pool, its member and coordinator, and the bulk accounts.
    expect(lines).toHaveLength(1 + 4 + BULK_ACCOUNTS);
    expect(await server.exited).toBe(0);
  });
});
