import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../libs/config/app-config.js';
import { findFreePort } from '../../libs/database/embedded-postgres.js';
import { createApp, CreateAppOptions } from '../../src/app.js';
import { IdentityService } from '../../src/identity/identity.service.js';
import { checkLedgerInvariants } from '../../src/ledger/ledger.invariants.js';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import { CommunitiesService } from '../../src/communities/communities.service.js';
import { MembersService } from '../../src/members/members.service.js';
import { serviceUrlOf } from './test-database.js';

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

/** The application's services, to call directly: what fixtures build on, with HTTP in front or without. */
export interface TestServices {
  /** For any other provider, such as a sweeper: `t.app.get(ChainSweeper)`. */
  app: INestApplicationContext;
  ledger: LedgerService;
  members: MembersService;
  communities: CommunitiesService;
  identity: IdentityService;
  dataSource: DataSource;
  close(): Promise<void>;
}

/** The running app. As a client it is anonymous; `as` gives clients with credentials. */
export interface TestApp extends TestServices, GraphqlClient {
  app: INestApplication;
  /** A client sending `Authorization: Bearer <token>` (an access token or an API key), and any other headers given. */
  as(token: string | null, headers?: Record<string, string>): GraphqlClient;
}

export function servicesOf(app: INestApplicationContext): TestServices {
  return {
    app,
    ledger: app.get(LedgerService),
    members: app.get(MembersService),
    communities: app.get(CommunitiesService),
    identity: app.get(IdentityService),
    dataSource: app.get(DataSource),
    close: () => app.close(),
  };
}

/** This test file's own database (test/setup/file-database.ts), there from its first hook on. */
export function testDatabaseUrl(): string {
  const url = process.env.PUMASI_TEST_DATABASE_URL;
  if (!url) throw new Error("This file's database is cloned before its first hook: call testDatabaseUrl() in one");
  return url;
}

function client(url: string, headers: Record<string, string>): GraphqlClient {
  const post = async (body: string, contentType = 'application/json'): Promise<{ status: number; json: any }> => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { ...headers, 'content-type': contentType },
      body,
    });
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
 * The timeouts are for a database that stalls; on a test machine shared and busy, a legitimately
 * slow request (a batch of 1000 transfers with their fields) must not be taken for one. The tests
 * of the timeouts themselves (test/e2e/database-faults.test.ts) set short ones of their own.
 */
const PATIENT_TIMEOUTS = {
  DB_STATEMENT_TIMEOUT_MS: '60000',
  DB_ACQUIRE_TIMEOUT_MS: '60000',
  REQUEST_TIMEOUT_MS: '120000',
};

/**
 * The settings of every test app, over which a test's own go. The background jobs are off: a test
 * that needs one calls its sweep(), and so knows what ran and when (BACKGROUND_JOBS=on brings the
 * timers back, for a test of the timers themselves). The database is migrated already (a clone of
 * the template).
 */
export function testSettings(databaseUrl: string, poolSize: number): Record<string, string> {
  return {
    DATABASE_URL: serviceUrlOf(databaseUrl),
    MIGRATION_DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'fatal',
    MIGRATE_ON_START: 'false',
    DB_POOL_SIZE: String(poolSize),
    GRAPHQL_EXPLORER: 'true',
    BACKGROUND_JOBS: 'off',
    ...TEST_LIMITS,
    ...PATIENT_TIMEOUTS,
  };
}

/**
 * The real application on this file's database (or on `databaseUrl`, another clone of the
 * template), listening on a free port. `settings` are environment variables over testSettings,
 * such as GRAPHQL_EXPLORER=false to run as in production; `options` such as where it logs.
 */
export async function startTestApp(
  poolSize = 20,
  databaseUrl = testDatabaseUrl(),
  settings: Record<string, string> = {},
  options: CreateAppOptions = {},
): Promise<TestApp> {
  // The port is chosen first, so that PUBLIC_URL (on which links are built) names this server.
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    ...testSettings(databaseUrl, poolSize),
    PORT: String(port),
    PUBLIC_URL: url,
    ...settings,
  });
  const app = await createApp(config, options);
  await app.listen(port, '127.0.0.1');
  return {
    ...client(url, {}),
    ...servicesOf(app),
    app,
    as: (token, headers = {}) => client(url, token ? { ...headers, authorization: `Bearer ${token}` } : headers),
  };
}

/** Fails the test with the offending rows when any ledger invariant is broken. */
export async function expectLedgerInvariants(dataSource: DataSource): Promise<void> {
  expect(await checkLedgerInvariants(dataSource)).toEqual([]);
}

export interface TestAppOptions {
  poolSize?: number;
  /** Environment variables for the app's configuration, over the test defaults. */
  env?: Record<string, string>;
  /** Connect as the tables' owner instead of the service's role (see asTablesOwner). */
  owner?: boolean;
}

/**
 * Settings that connect the app as the tables' owner, not as the service's role: for the tests of
 * the database's own rules (test/db), which write what the service may not, to show that the
 * triggers and constraints refuse it even to the owner.
 */
export function asTablesOwner(databaseUrl = testDatabaseUrl()): Record<string, string> {
  return { DATABASE_URL: databaseUrl, ALLOW_PRIVILEGED_DATABASE_USER: 'true' };
}

/**
 * For a describe block: boots the app before its tests, checks the ledger's invariants after each
 * one (docs/testing.md), and closes the app at the end. The returned object is filled in by beforeAll.
 */
export function useTestApp(options: number | TestAppOptions = {}): TestApp {
  const { poolSize, env, owner } = typeof options === 'number' ? { poolSize: options } : options;
  const app = {} as TestApp;
  beforeAll(async () => {
    Object.assign(app, await startTestApp(poolSize, undefined, { ...(owner && asTablesOwner()), ...env }));
  });
  afterEach(async () => expectLedgerInvariants(app.dataSource));
  afterAll(async () => app.close?.());
  return app;
}
