// Scale check (issue 6, "Scale"): an export of 1,000,000 postings streams with bounded memory, and
// verifying 1,000,000 postings takes seconds. It builds 500,000 transfers (1,000,000 postings) in a
// scratch database by bulk SQL (setup is not what is measured), chains them all by hashes as the
// chainer would (timed: the chain must keep up with the write path), then starts the real server
// (node dist/src/main.js) and downloads through HTTP:
//   - the transfers export (500,000 rows: every transfer with the accounts of its two postings);
//   - the statement of the hot account that is a party to every transfer (500,000 postings);
//   - one download abandoned mid-file, after which the server must still serve;
// and reports rows, seconds, MB/s and the server's resident memory: before, peak during each
// download (sampled every 50 ms from /proc/<pid>/status), and the kernel's high-water mark. Then
// the read path (issue 14), once the server's relay has published the setup's events: 16 clients
// reading statement pages of 50 lines (a member's, and the hot account's) and searching listings
// (Korean and English words) among 10,000 members' listings, each for 10 s, with p50 and p99
// against the goal of 15 ms. Last, it times the whole invariant
// check (the verification a coordinator runs), chain included.
//
// Usage: npm run scale [-- --transfers N] [-- --json]
// With DATABASE_URL, a scratch database is created on that server and dropped at the end; without
// it, an embedded PostgreSQL runs in a temporary directory. Exit code 1 if a download is short, the
// CSV does not match the database, or the ledger's invariant check fails afterwards.
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { runMigrations } from '../../dist/libs/database/migrate.js';
import { createDataSource } from '../../dist/src/data-source.js';
import { extendChain } from '../../dist/src/integrity/chain.repository.js';
import { checkLedgerInvariants } from '../../dist/src/ledger/ledger.invariants.js';
import {
  commandLineValue,
  findFreePort,
  memoryMb,
  serverDatabaseEnv,
  serverNodeFlags,
  withDatabase,
} from './harness.mjs';
import { createWorkloads, graphqlClient } from './workload.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const argument = (name, fallback) => Number(commandLineValue(name) ?? fallback);
const TRANSFERS = argument('--transfers', 500_000);
const JSON_OUTPUT = process.argv.includes('--json');
const MEMBERS = 10_000;
const LISTINGS = 10_000;
const READ_CLIENTS = 16;
const READ_TIMING = { warmupMs: 2_000, measureMs: 10_000 };
const READ_GOAL_P99_MS = 15;
const STATEMENT_PAGE = 50;
/** Listing titles, as members write them; each listing gets one, numbered. */
const TITLES = [
  '자전거 수리해요',
  '영어 회화 가르쳐요',
  '아이 돌봄 도와드려요',
  '컴퓨터 설치 도움',
  '이사 짐 나르기',
  'Bike repair',
  'English conversation',
  'Garden work together',
  'Computer setup help',
  'Moving boxes',
];
const CATEGORIES = [
  'repairs',
  'language',
  'childcare',
  'computers',
  'transport',
  'repairs',
  'language',
  'care',
  'computers',
  'transport',
];
/** What members search for: parts of titles in both languages. */
const SEARCH_WORDS = ['수리', '회화', '돌봄', '설치', 'repair', 'garden', 'computer', 'boxes'];
const CHUNK = 50_000; // transfers per statement of the setup
const CHAIN_BATCH = 5_000; // the chainer's batch
const RSS_SAMPLE_MS = 50;
const ABANDON_AFTER_BYTES = 1 << 20;
const RUN_ID = `scale-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
// Memos exercise the CSV quoting: commas, quotes, and a leading '=' that the export defuses.
const MEMOS = ['', 'garden work', 'lessons, two hours', 'moving "boxes"', '=1+1'];

const log = (message) => process.stderr.write(`[scale] ${message}\n`);
const seconds = (from) => (performance.now() - from) / 1000;
const round = (value, digits = 1) => Number(value.toFixed(digits));

/** The real server, as `npm start` runs it, on the scratch database; resolves once /health answers. */
async function startServer(databaseUrl) {
  const port = await findFreePort();
  const env = {
    ...process.env,
    ...(await serverDatabaseEnv(databaseUrl)),
    PORT: String(port),
    MIGRATE_ON_START: 'true',
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    NO_COLOR: '1',
  };
  const child = spawn(process.execPath, [...serverNodeFlags(), 'dist/src/main.js'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise((done) => child.once('exit', done));
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await exited;
  };
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${origin}/health`)).ok) return { pid: child.pid, origin, stop };
    } catch {
      /* not listening yet */
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  await stop();
  throw new Error('the server did not answer /health within 60 s');
}

/**
 * Transfers `[from, to]` in one statement, as the ledger's write path would leave them: each
 * transfer between the hot account and a member (alternately debited and credited), its two
 * postings numbered after the account's last version with their running balances, and the
 * accounts' totals moved by the same amounts. Posting times are `epoch` plus n microseconds, so
 * every account's postings are in time order. The database's own checks still run: each transfer
 * must balance at commit, and the invariant check runs at the end.
 */
const BULK_TRANSFERS = `
  WITH spec AS (
    SELECT n, CASE WHEN n % 2 = 0 THEN m.member ELSE $4::bigint END AS debit, CASE WHEN n % 2 = 0 THEN $4::bigint ELSE m.member END AS credit,
           1 + (n::bigint * 7919) % 120 AS amount, ($7::text[])[1 + n % cardinality($7::text[])] AS memo, $6::timestamptz + n * interval '1 microsecond' AS at
      FROM generate_series($1::int, $2::int) AS n, LATERAL (SELECT ($5::bigint[])[1 + n % cardinality($5::bigint[])] AS member) m),
  new_transfers AS (
    INSERT INTO transfers (idempotency_key, request_hash, currency_id, debit_account_id, credit_account_id, amount, code, memo, metadata, kind, created_at)
    SELECT $3 || n, repeat('0', 64), $8, debit, credit, amount, 'payment', memo, '{}', 'direct', at FROM spec ORDER BY n
    RETURNING id, debit_account_id, credit_account_id, amount, created_at),
  sides AS (
    SELECT id, debit_account_id AS account_id, -amount AS amount, created_at FROM new_transfers
    UNION ALL SELECT id, credit_account_id, amount, created_at FROM new_transfers),
  numbered AS (
    SELECT s.*, a.version + row_number() OVER w AS version, a.posted_credits - a.posted_debits + sum(s.amount) OVER w AS balance_after
      FROM sides s JOIN accounts a ON a.id = s.account_id
    WINDOW w AS (PARTITION BY s.account_id ORDER BY s.created_at, s.id ROWS UNBOUNDED PRECEDING)),
  new_postings AS (
    INSERT INTO postings (transfer_id, account_id, currency_id, amount, balance_after, account_version, created_at)
    SELECT id, account_id, $8, amount, balance_after, version, created_at FROM numbered
    RETURNING account_id, amount)
  UPDATE accounts a SET posted_debits = a.posted_debits + t.debits, posted_credits = a.posted_credits + t.credits, version = a.version + t.postings
    FROM (SELECT account_id, coalesce(sum(-amount) FILTER (WHERE amount < 0), 0) AS debits, coalesce(sum(amount) FILTER (WHERE amount > 0), 0) AS credits,
                 count(*) AS postings
            FROM new_postings GROUP BY account_id) t
   WHERE a.id = t.account_id`;

/**
 * A community with its currency and system accounts, MEMBERS members and a hot member account, all
 * with deep credit lines, and a coordinator with a live session; then TRANSFERS transfers, each
 * between the hot account and a member, so that the hot account's statement has one posting per transfer.
 */
async function setUp(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'pumasi-scale-setup' });
  await client.connect();
  try {
    const started = performance.now();
    const [{ id: communityId }] = (
      await client.query('INSERT INTO communities (slug, name) VALUES ($1, $2) RETURNING id', [RUN_ID, 'Export scale'])
    ).rows;
    const [{ id: currencyId }] = (
      await client.query(
        `INSERT INTO currencies (community_id, code, name, symbol, minor_units_per_unit) VALUES ($1, 'HOUR', 'Hour', 'h', 60) RETURNING id`,
        [communityId],
      )
    ).rows;
    await client.query(
      `INSERT INTO accounts (currency_id, kind, name, lower_limit) VALUES ($1, 'issuance', 'HOUR issuance', NULL), ($1, 'pool', 'HOUR community pool', 0)`,
      [currencyId],
    );
    const { rows: people } = await client.query(
      `WITH people AS (
         SELECT n, CASE WHEN n = 0 THEN 'coordinator' ELSE 'member' END AS role, 'Person ' || n AS label FROM generate_series(0, $3::int) AS n),
       new_members AS (INSERT INTO members (email, display_name) SELECT $4 || '-' || n || '@scale.example', label FROM people RETURNING id, display_name),
       new_accounts AS (INSERT INTO accounts (currency_id, kind, name, lower_limit) SELECT $2, 'member', label, -1000000000 FROM people RETURNING id, name)
       INSERT INTO memberships (member_id, community_id, currency_id, account_id, role, status, approved_at)
       SELECT m.id, $1, $2, a.id, p.role, 'active', now() FROM people p JOIN new_members m ON m.display_name = p.label JOIN new_accounts a ON a.name = p.label
       RETURNING member_id, account_id, role`,
      [communityId, currencyId, MEMBERS + 1, RUN_ID],
    );
    const coordinator = people.find((person) => person.role === 'coordinator');
    const [hot, ...members] = people.filter((person) => person.role === 'member').map((person) => person.account_id);
    await client.query(
      `INSERT INTO listings (community_id, member_id, kind, nature, title, description, category, pricing, price, district)
       SELECT $1, ($2::bigint[])[1 + n % cardinality($2::bigint[])], CASE WHEN n % 3 = 0 THEN 'request' ELSE 'offer' END, 'service',
              ($3::text[])[1 + n % cardinality($3::text[])] || ' ' || n, 'Listing ' || n || ' of the scale check',
              ($4::text[])[1 + n % cardinality($4::text[])], 'per_hour', 60, 'District ' || n % 25
         FROM generate_series(1, $5::int) AS n`,
      [communityId, people.map((person) => person.member_id), TITLES, CATEGORIES, LISTINGS],
    );
    const accessToken = `pa_${randomBytes(32).toString('base64url')}`;
    const sha256 = (token) => createHash('sha256').update(token).digest('hex');
    await client.query(
      `INSERT INTO sessions (member_id, access_token_hash, access_expires_at, refresh_token_hash, refresh_expires_at)
       VALUES ($1, $2, now() + interval '2 hours', $3, now() + interval '30 days')`,
      [coordinator.member_id, sha256(accessToken), sha256(`pr_${randomBytes(32).toString('base64url')}`)],
    );
    log(
      `community ${communityId}: ${MEMBERS} members, ${LISTINGS} listings and a hot account ${hot}; writing ${TRANSFERS} transfers`,
    );
    const [{ epoch }] = (await client.query('SELECT clock_timestamp() AS epoch')).rows;
    for (let from = 0; from < TRANSFERS; from += CHUNK) {
      await client.query(BULK_TRANSFERS, [
        from,
        Math.min(from + CHUNK, TRANSFERS) - 1,
        `${RUN_ID}-`,
        hot,
        members,
        epoch,
        MEMOS,
        currencyId,
      ]);
      log(`${Math.min(from + CHUNK, TRANSFERS)} transfers after ${round(seconds(started))} s`);
    }
    await client.query('ANALYZE');
    const [{ transfers, postings }] = (
      await client.query(
        'SELECT (SELECT count(*)::int FROM transfers WHERE currency_id = $1) AS transfers, (SELECT count(*)::int FROM postings WHERE currency_id = $1) AS postings',
        [currencyId],
      )
    ).rows;
    if (transfers !== TRANSFERS || postings !== 2 * TRANSFERS)
      throw new Error(`set up ${transfers} transfers and ${postings} postings, not ${TRANSFERS} and ${2 * TRANSFERS}`);
    log(`set up ${transfers} transfers (${postings} postings) in ${round(seconds(started))} s`);
    return { communityId, currencyId, hot, members, accessToken, postings, setupSeconds: round(seconds(started)) };
  } finally {
    await client.end();
  }
}

async function graphql(origin, token, query, variables) {
  const response = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (!body.data || body.errors) throw new Error(`GraphQL failed: ${JSON.stringify(body)}`);
  return body.data;
}

async function requestExport(origin, token, input) {
  const query = 'mutation Export($input: RequestExportInput!) { requestExport(input: $input) { url filename } }';
  return (await graphql(origin, token, query, { input })).requestExport.url;
}

/** The GraphQL reports over the same data: the balance report's totals over every posting, and a statement page of the hot account. */
async function timeReports(origin, token, { communityId, hot }) {
  const timed = async (query, variables) => {
    const started = performance.now();
    const data = await graphql(origin, token, query, variables);
    return { seconds: round(seconds(started), 2), data };
  };
  const report = await timed(
    'query R($c: ID!) { balanceReport(communityId: $c) { currencies { totalDebits balanced lines(first: 100) { edges { node { accountId } } } } } }',
    { c: communityId },
  );
  const statement = await timed(
    'query S($a: ID!) { accountStatement(accountId: $a, first: 100) { openingBalance closingBalance lineCount } }',
    { a: hot },
  );
  if (!report.data.balanceReport.currencies[0].balanced || statement.data.accountStatement.lineCount !== TRANSFERS)
    throw new Error('the reports disagree with the data');
  return { balanceReportSeconds: report.seconds, statementSeconds: statement.seconds };
}

/**
 * Downloads a CSV file, counting its rows (CRLF outside quotes) and bytes as they arrive, without
 * keeping it; samples the server's RSS meanwhile. `abandonAfter` hangs up after that many bytes.
 */
function measureDownload(url, serverPid, abandonAfter = Infinity) {
  return new Promise((done, fail) => {
    const started = performance.now();
    let peakRssMb = memoryMb(serverPid, 'VmRSS');
    const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, memoryMb(serverPid, 'VmRSS'))), RSS_SAMPLE_MS);
    const result = (extra) => {
      clearInterval(sampler);
      done({ seconds: round(seconds(started), 2), peakRssMb, ...extra });
    };
    let bytes = 0;
    let rows = 0;
    let quoted = false;
    let pendingCr = false; // a chunk that ended in CR outside quotes
    /** Counts the row ends (CRLF outside quotes) of a chunk, jumping from quote to quote with indexOf. */
    const countRows = (chunk) => {
      if (pendingCr && !quoted && chunk.startsWith('\n')) rows++;
      const lineEndsBetween = (from, to) => {
        for (let at = chunk.indexOf('\r\n', from); at !== -1 && at + 1 < to; at = chunk.indexOf('\r\n', at + 2)) rows++;
      };
      let index = 0;
      for (let quote = chunk.indexOf('"'); quote !== -1; quote = chunk.indexOf('"', quote + 1)) {
        if (!quoted) lineEndsBetween(index, quote);
        quoted = !quoted;
        index = quote + 1;
      }
      if (!quoted) lineEndsBetween(index, chunk.length);
      pendingCr = !quoted && chunk.endsWith('\r');
    };
    const request = http.get(url, (response) => {
      if (response.statusCode !== 200) {
        clearInterval(sampler);
        fail(new Error(`download answered ${response.statusCode}`));
        return;
      }
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        bytes += Buffer.byteLength(chunk);
        countRows(chunk);
        if (bytes >= abandonAfter) {
          request.destroy();
          result({ rows, bytes, complete: false });
        }
      });
      response.on('end', () => result({ rows: rows - 1, bytes, complete: true })); // the header row is not data
      response.on('error', (error) => (request.destroyed ? undefined : fail(error)));
    });
    request.on('error', (error) => (request.destroyed ? undefined : fail(error)));
  });
}

const globalId = (type, id) => Buffer.from(`${type}:${id}`).toString('base64');
const STATEMENT_PAGE_QUERY = `query Page($id: ID!, $first: Int!) {
  account(id: $id) { statement(first: $first) { edges { node { amount balanceAfter createdAt } } pageInfo { hasNextPage endCursor } } }
}`;
const SEARCH_QUERY = `query Search($communityId: ID!, $query: String!) {
  listings(communityId: $communityId, query: $query, first: 20) { edges { node { id title price } } pageInfo { hasNextPage } }
}`;

/**
 * The read path under load, as members and coordinators use it: statement pages (the newest 50
 * lines) of random members' accounts and of the hot account, and listings searches by a random
 * word, each by 16 clients for 10 s. A read counts when it answers with data.
 */
async function measureReadPath(server, { communityId, hot, members, accessToken }) {
  const { runWorkload } = createWorkloads({ timing: READ_TIMING, log, stopped: () => false });
  const post = graphqlClient({ maxSockets: READ_CLIENTS, timeoutMs: 10_000 });
  const pick = (values) => values[Math.floor(Math.random() * values.length)];
  const read = (query, variables) => async () => {
    const reply = await post(server.origin, query, variables(), accessToken);
    return reply.data ? { ok: 1 } : { errors: [reply.error] };
  };
  const workload = (name, operation) =>
    runWorkload(name, { clients: READ_CLIENTS, operation, serverPids: [server.pid] });
  return {
    memberStatement: await workload(
      'statement page, a member',
      read(STATEMENT_PAGE_QUERY, () => ({ id: globalId('Account', pick(members)), first: STATEMENT_PAGE })),
    ),
    hotStatement: await workload(
      'statement page, the hot account',
      read(STATEMENT_PAGE_QUERY, () => ({ id: globalId('Account', hot), first: STATEMENT_PAGE })),
    ),
    listingsSearch: await workload(
      'listings search',
      read(SEARCH_QUERY, () => ({ communityId: globalId('Community', communityId), query: pick(SEARCH_WORDS) })),
    ),
  };
}

/** Runs `work` with a TypeORM data source of the service's own configuration on the database. */
async function withDataSource(databaseUrl, work) {
  const dataSource = createDataSource(databaseUrl, 2);
  await dataSource.initialize();
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

/** Waits until the server's chainer has checkpointed every link; how many checkpoints, and how long from the server's start. */
async function waitForCheckpoints(databaseUrl, fixture) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const started = performance.now();
    for (;;) {
      const {
        rows: [{ position, count }],
      } = await client.query(
        'SELECT coalesce(max(position), 0) AS position, count(*)::int AS count FROM ledger_checkpoints WHERE currency_id = $1',
        [fixture.currencyId],
      );
      if (Number(position) >= TRANSFERS) return { count, seconds: round(seconds(started)) };
      await new Promise((done) => setTimeout(done, 200));
    }
  } finally {
    await client.end();
  }
}

/**
 * Waits until the server's relay has published the setup's events (every transfer announces one):
 * the read path is measured in the steady state, not beside a relay draining 500,000 events.
 * The rate is how fast one relay drains a backlog.
 */
async function waitForRelay(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const started = performance.now();
    const unpublished = async () =>
      (await client.query('SELECT count(*)::int AS n FROM outbox_events WHERE published_at IS NULL')).rows[0].n;
    const backlog = await unpublished();
    while ((await unpublished()) > 0) await new Promise((done) => setTimeout(done, 200));
    const relaySeconds = seconds(started);
    return { backlog, seconds: round(relaySeconds), perSecond: Math.round(backlog / relaySeconds) };
  } finally {
    await client.end();
  }
}

/** Chains every transfer, as the chainer does a batch at a time; the rate is what it can keep up with. */
async function chainEverything(databaseUrl) {
  return withDataSource(databaseUrl, async (dataSource) => {
    const started = performance.now();
    let links = 0;
    for (let idle = 0; idle < 3;) {
      const chained = await extendChain((sql, params) => dataSource.query(sql, params), CHAIN_BATCH);
      links += chained;
      idle = chained === 0 ? idle + 1 : 0;
    }
    const chainSeconds = seconds(started);
    return { links, seconds: round(chainSeconds), perSecond: Math.round(links / chainSeconds) };
  });
}

async function checkInvariants(databaseUrl) {
  return withDataSource(databaseUrl, async (dataSource) => {
    const started = performance.now();
    const violations = await checkLedgerInvariants(dataSource);
    return { violations, seconds: round(seconds(started)) };
  });
}

async function main() {
  const summary = await withDatabase('scale', log, async (databaseUrl) => {
    await withDataSource(databaseUrl, runMigrations);
    // The data is written before the server starts: the setup is not what is measured.
    const fixture = await setUp(databaseUrl);
    log('chaining every transfer');
    const chain = await chainEverything(databaseUrl);
    log(`chain: ${JSON.stringify(chain)}`);
    const server = await startServer(databaseUrl);
    let measured;
    try {
      // The server's chainer checkpoints the whole chain first (segments of 10,000 links); the downloads measure the exports alone.
      const checkpoints = await waitForCheckpoints(databaseUrl, fixture);
      log(`checkpoints: ${JSON.stringify(checkpoints)}`);
      const relay = await waitForRelay(databaseUrl);
      log(`relay: ${JSON.stringify(relay)}`);
      const rssBeforeMb = memoryMb(server.pid, 'VmRSS');
      const reports = await timeReports(server.origin, fixture.accessToken, fixture);
      log('the read path');
      const readPath = await measureReadPath(server, fixture);
      log(`read path: ${JSON.stringify(readPath)}`);
      const transfersUrl = await requestExport(server.origin, fixture.accessToken, {
        communityId: fixture.communityId,
        kind: 'TRANSFERS',
      });
      log('downloading the transfers export');
      const transfers = await measureDownload(transfersUrl, server.pid);
      log(`transfers: ${JSON.stringify(transfers)}`);
      const statementUrl = await requestExport(server.origin, fixture.accessToken, {
        communityId: fixture.communityId,
        kind: 'STATEMENT',
        accountId: fixture.hot,
      });
      log('downloading the hot account statement');
      const statement = await measureDownload(statementUrl, server.pid);
      log(`statement: ${JSON.stringify(statement)}`);
      const abandoned = await measureDownload(transfersUrl, server.pid, ABANDON_AFTER_BYTES);
      const again = await measureDownload(transfersUrl, server.pid);
      measured = {
        fixture,
        chain,
        checkpoints,
        relay,
        reports,
        readPath,
        rssBeforeMb,
        transfers,
        statement,
        abandoned,
        again,
        highWaterMb: memoryMb(server.pid, 'VmHWM'),
      };
    } finally {
      await server.stop();
    }
    const invariants = await checkInvariants(databaseUrl);
    return { ...measured, invariants };
  });
  const { fixture, transfers, statement, again, invariants, readPath } = summary;
  const problems = [
    transfers.rows !== TRANSFERS && `the transfers export has ${transfers.rows} rows, not ${TRANSFERS}`,
    statement.rows !== TRANSFERS && `the hot account's statement has ${statement.rows} rows, not ${TRANSFERS}`,
    again.rows !== TRANSFERS && `the download after an abandoned one has ${again.rows} rows`,
    invariants.violations.length > 0 && `invariants violated: ${JSON.stringify(invariants.violations)}`,
    summary.chain.links !== TRANSFERS && `the chain has ${summary.chain.links} links, not ${TRANSFERS}`,
    ...Object.values(readPath)
      .filter((workload) => workload.errors > 0)
      .map((workload) => `${workload.name}: ${workload.errors} reads failed (${workload.codes.join(', ')})`),
  ].filter(Boolean);
  const readLine = (workload) =>
    `${workload.name.padEnd(32)} ${String(workload.tps).padEnd(8)} ${String(workload.p50Ms).padEnd(8)} ${String(workload.p99Ms).padEnd(8)} ${workload.p99Ms <= READ_GOAL_P99_MS ? 'met' : 'MISSED'}`;
  const mbPerSecond = (download) => round(download.bytes / 1024 / 1024 / download.seconds);
  const lines = [
    '',
    `Export scale: ${TRANSFERS} transfers, ${fixture.postings} postings (set up in ${fixture.setupSeconds} s); database: ${process.env.DATABASE_URL ? 'scratch on DATABASE_URL' : 'embedded'}`,
    '',
    'download                        rows      MB      s       MB/s   peak RSS MB',
    `transfers export (all)          ${String(transfers.rows).padEnd(9)} ${String(round(transfers.bytes / 1048576)).padEnd(7)} ${String(transfers.seconds).padEnd(7)} ${String(mbPerSecond(transfers)).padEnd(6)} ${transfers.peakRssMb}`,
    `hot account statement           ${String(statement.rows).padEnd(9)} ${String(round(statement.bytes / 1048576)).padEnd(7)} ${String(statement.seconds).padEnd(7)} ${String(mbPerSecond(statement)).padEnd(6)} ${statement.peakRssMb}`,
    `transfers, abandoned at 1 MB    ${String(summary.abandoned.rows).padEnd(9)} ${String(round(summary.abandoned.bytes / 1048576)).padEnd(7)} ${String(summary.abandoned.seconds).padEnd(7)} -      ${summary.abandoned.peakRssMb}`,
    `transfers again, after that     ${String(again.rows).padEnd(9)} ${String(round(again.bytes / 1048576)).padEnd(7)} ${String(again.seconds).padEnd(7)} ${String(mbPerSecond(again)).padEnd(6)} ${again.peakRssMb}`,
    '',
    `read path: ${READ_CLIENTS} clients, ${READ_TIMING.measureMs / 1000} s each, ${MEMBERS} members, ${LISTINGS} listings, ${fixture.postings} postings; goal p99 <= ${READ_GOAL_P99_MS} ms`,
    'read                             per s    p50 ms   p99 ms   goal',
    ...Object.values(readPath).map(readLine),
    '',
    `server RSS before the downloads: ${summary.rssBeforeMb} MB; high-water mark at the end (VmHWM): ${summary.highWaterMb} MB`,
    "the server's background jobs (the chainer of src/integrity among them) run as in production during the downloads",
    `GraphQL over the same data: balanceReport (totals over every posting, first 100 lines) ${summary.reports.balanceReportSeconds} s; accountStatement of the hot account (opening, closing, first 100 lines) ${summary.reports.statementSeconds} s`,
    `hash chain: ${summary.chain.links} transfers chained in ${summary.chain.seconds} s (${summary.chain.perSecond} a second, in batches of ${CHAIN_BATCH}); the server then recorded ${summary.checkpoints.count} checkpoints over it in ${summary.checkpoints.seconds} s`,
    `events: the server's relay published the setup's ${summary.relay.backlog} events in ${summary.relay.seconds} s (${summary.relay.perSecond} a second), before the read path`,
    `verification (the whole invariant check, chain included) over ${fixture.postings} postings: ${invariants.violations.length === 0 ? 'ok' : 'VIOLATED'} in ${invariants.seconds} s`,
    ...problems.map((problem) => `PROBLEM: ${problem}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (JSON_OUTPUT) {
    process.stdout.write(
      `${JSON.stringify({
        transfers: TRANSFERS,
        postings: fixture.postings,
        transfersExportRows: transfers.rows,
        transfersExportSeconds: transfers.seconds,
        statementExportRows: statement.rows,
        statementExportSeconds: statement.seconds,
        balanceReportSeconds: summary.reports.balanceReportSeconds,
        statementPageSeconds: summary.reports.statementSeconds,
        rssBeforeMb: summary.rssBeforeMb,
        peakRssMb: Math.max(transfers.peakRssMb, statement.peakRssMb, again.peakRssMb),
        highWaterMb: summary.highWaterMb,
        invariantsOk: invariants.violations.length === 0,
        chainedPerSecond: summary.chain.perSecond,
        relayedPerSecond: summary.relay.perSecond,
        verificationSeconds: invariants.seconds,
        memberStatementPageP99Ms: readPath.memberStatement.p99Ms,
        hotStatementPageP99Ms: readPath.hotStatement.p99Ms,
        listingsSearchP99Ms: readPath.listingsSearch.p99Ms,
      })}\n`,
    );
  }
  if (problems.length > 0) process.exitCode = 1;
}

main().catch((error) => {
  process.stderr.write(`[scale] failed: ${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
