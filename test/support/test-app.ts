import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../libs/config/app-config.js';
import { findFreePort } from '../../libs/database/embedded-postgres.js';
import { runAdminStatement, withDatabaseName } from '../../libs/database/scratch-database.js';
import { createApp } from '../../src/app.js';
import { IdentityService } from '../../src/identity/identity.service.js';
import { checkLedgerInvariants } from '../../src/ledger/ledger.invariants.js';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import { CommunitiesService } from '../../src/communities/communities.service.js';
import { MembersService } from '../../src/members/members.service.js';

export interface GraphqlResponse<T = Record<string, any>> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: Record<string, any> }[];
}

/** Speaks GraphQL over real HTTP to the test server, with fixed credentials (or none). */
export interface GraphqlClient {
  /** Base URL of the real HTTP server, e.g. http://127.0.0.1:41234 */
  url: string;
  /** The headers every request of this client carries, e.g. authorization. */
  headers: Record<string, string>;
  graphql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<GraphqlResponse<T>>;
  post(body: string, contentType?: string): Promise<{ status: number; json: any }>;
}

/** The running app. As a client it is anonymous; `as` gives clients with credentials. */
export interface TestApp extends GraphqlClient {
  app: INestApplication;
  ledger: LedgerService;
  members: MembersService;
  communities: CommunitiesService;
  identity: IdentityService;
  dataSource: DataSource;
  /** A client sending `Authorization: Bearer <token>` (an access token or an API key), and any other headers given. */
  as(token: string | null, headers?: Record<string, string>): GraphqlClient;
  close(): Promise<void>;
}

export function testDatabaseUrl(): string {
  const url = process.env.PUMASI_TEST_DATABASE_URL;
  if (!url) throw new Error('PUMASI_TEST_DATABASE_URL is unset: run the tests through `npm test`');
  return url;
}

function client(url: string, headers: Record<string, string>): GraphqlClient {
  const post = async (body: string, contentType = 'application/json'): Promise<{ status: number; json: any }> => {
    const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { ...headers, 'content-type': contentType }, body });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  };
  return {
    url,
    headers,
    post,
    async graphql(query, variables) {
      const { status, json } = await post(JSON.stringify({ query, variables }));
      return { status, ...json };
    },
  };
}

/**
 * Every test file registers its members and logs them in from 127.0.0.1, all within minutes: per
 * address, the test server allows what a large shared address (a library, a campus NAT) would be
 * given. Per account the limits stay as in production; test/e2e/abuse-limits.test.ts runs with
 * production limits throughout, one made-up address per test.
 */
const TEST_LIMITS = { RATE_LIMIT_ADDRESS_MULTIPLIER: '1000' };

/**
 * The real application on the test database (or on `databaseUrl`, which it migrates first: a
 * scratch database of a test's own), listening on a free port. `settings` are environment
 * variables on top of the tests' own, such as GRAPHQL_EXPLORER=false to run as in production.
 */
export async function startTestApp(poolSize = 20, databaseUrl?: string, settings: Record<string, string> = {}): Promise<TestApp> {
  // The port is chosen first, so that PUBLIC_URL (on which links are built) names this server.
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    DATABASE_URL: databaseUrl ?? testDatabaseUrl(), LOG_LEVEL: 'fatal', MIGRATE_ON_START: String(databaseUrl !== undefined), DB_POOL_SIZE: String(poolSize),
    GRAPHQL_EXPLORER: 'true', PORT: String(port), PUBLIC_URL: url, ...TEST_LIMITS,
    ...settings,
  });
  const app = await createApp(config);
  await app.listen(port, '127.0.0.1');
  return {
    ...client(url, {}),
    app,
    ledger: app.get(LedgerService),
    members: app.get(MembersService),
    communities: app.get(CommunitiesService),
    identity: app.get(IdentityService),
    dataSource: app.get(DataSource),
    as: (token, headers = {}) => client(url, token ? { ...headers, authorization: `Bearer ${token}` } : headers),
    close: () => app.close(),
  };
}

/** Fails the test with the offending rows when any ledger invariant is broken. */
export async function expectLedgerInvariants(dataSource: DataSource): Promise<void> {
  expect(await checkLedgerInvariants(dataSource)).toEqual([]);
}

export interface TestAppOptions {
  poolSize?: number;
  /**
   * A database of the file's own, created and migrated for it and dropped at the end, named with
   * this prefix: for files that write thousands of transfers, which would otherwise slow down the
   * invariant check that every other file runs over the shared database.
   */
  ownDatabase?: string;
  /** Environment variables for the app's configuration, over the test defaults. */
  env?: Record<string, string>;
}

/**
 * For a describe block: boots the app before its tests, checks the ledger's invariants after each
 * one (docs/testing.md), and closes the app at the end. The returned object is filled in by beforeAll.
 */
export function useTestApp(options: number | TestAppOptions = {}): TestApp {
  const { poolSize, ownDatabase, env } = typeof options === 'number' ? { poolSize: options, ownDatabase: undefined, env: undefined } : options;
  const app = {} as TestApp;
  const ownName = ownDatabase && `${ownDatabase}_${process.pid}_${Date.now()}`;
  beforeAll(async () => {
    if (ownName) await runAdminStatement(testDatabaseUrl(), `CREATE DATABASE "${ownName}"`);
    Object.assign(app, await startTestApp(poolSize, ownName ? withDatabaseName(testDatabaseUrl(), ownName) : undefined, env));
  });
  afterEach(async () => expectLedgerInvariants(app.dataSource));
  afterAll(async () => {
    await app.close?.();
    if (ownName) await runAdminStatement(testDatabaseUrl(), `DROP DATABASE IF EXISTS "${ownName}" WITH (FORCE)`);
  });
  return app;
}
