// The benchmark (docs/testing.md, "The benchmark"): drives the real server over HTTP with
// the real database, and measures the ceiling (plain SQL on the same database) in the same run, so
// that the goals are ratios, which hold on a shared machine where absolute figures drift.
// Every GraphQL request is authenticated as in production: a member pays (alone or in a batch) from
// their own account with their own access token; only the coordinator debits issuance, audited.
//
// Usage: npm run bench [-- --quick] [-- --json] [-- --only single,hot] [-- --waits]
//   --quick  about 1 s of warm-up and 7 s per workload (all in about a minute); default 30 s each.
//   --only   the rawSql baseline, then only the workloads named (WORKLOADS: minimal, single, batch, hot, holds,
//            events), in their usual order: to profile or compare builds on one workload; the others report null.
//            `--only holds --rounds N` runs just the holds workloads, through one server then two, N rounds in turn
//            (A B A B: the machine's load drifts), each round's ratio printed.
//            `--only events --rounds N` likewise: single without subscribers, then with SUBSCRIBERS, N rounds in turn,
//            each with its ratio and the server's CPU per payment.
//   --compare <path of another build's dist/src/main.js>  runs that build's server beside this one's on the same
//            database, and the single workload on each in turn (--rounds, 3 by default): A B A B A B, each with the
//            serving server's CPU per transfer, so that two builds are compared under the same load, in one run.
//   --waits  samples where the database's sessions wait during each workload, and prints it (costs some throughput).
//   --json   end with one line of JSON: singleTps, batchTps, hotTps, rawSqlTps, minimalSqlTps, pgbenchLedgerTps,
//            pgbenchMinimalTps (null without pgbench), p99Ms, peakRssMb, singleBeforeSubscribersTps,
//            singleWithSubscribersTps, deliveryP50Ms, deliveryP99Ms, missedDeliveries, eventsPeakRssMb, holdsTps,
//            holdsTwoReplicasTps, expiryLagP99Ms, deadlocks, invariantsOk, nodeVersion (the servers run on the
//            bench's own Node.js: run it with the Node.js to measure).
// BENCH_LOG_LEVEL sets the servers' LOG_LEVEL: warn by default, so that every line they log is worth a look
// (each is shown and counted); info, production's default, measures its line per request too.
// With DATABASE_URL, a scratch database is created on that server and dropped at the end; without
// it, an embedded PostgreSQL runs in a fresh temporary directory. Goals are printed, never asserted:
// the exit code is 1 only if the benchmark crashes or the ledger's invariant check fails.
// Progress and the server's log go to stderr; the table and the JSON line to stdout.
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createDataSource } from '../../dist/src/data-source.js';
import { checkLedgerInvariants } from '../../dist/src/ledger/ledger.invariants.js';
import { openSubscribers, SUBSCRIBERS } from './events-workload.mjs';
import {
  commandLineValue,
  findFreePort,
  memoryMb,
  serverDatabaseEnv,
  serverNodeFlags,
  withDatabase,
} from './harness.mjs';
import { MEMBERS, RAW_REQUEST_HASH, setUpLedger } from './ledger-fixture.mjs';
import { sampleWaits } from './wait-sampler.mjs';
import { minimalSqlOperation, pgbenchAvailable, pgbenchTps, setUpMinimalTransfer } from './minimal-transfer.mjs';
import { createWorkloads, graphqlClient, round } from './workload.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const QUICK = process.argv.includes('--quick');
const JSON_OUTPUT = process.argv.includes('--json');
const WAITS = process.argv.includes('--waits');
const SERVER_LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';
const WORKLOADS = ['minimal', 'single', 'batch', 'hot', 'holds', 'events'];
const ONLY = onlyWorkloads();
const HOLDS_ROUNDS = ONLY.length === 1 && ONLY[0] === 'holds';
const EVENTS_ROUNDS = ONLY.length === 1 && ONLY[0] === 'events';
const COMPARE_ENTRY = commandLineValue('--compare');
const ROUNDS = Number(commandLineValue('--rounds') ?? (COMPARE_ENTRY ? 3 : 1));

const TIMING = QUICK ? { warmupMs: 1_000, measureMs: 7_000 } : { warmupMs: 3_000, measureMs: 30_000 };
const CLIENTS = 16;
const BATCH_CLIENTS = 4;
const BATCH_SIZE = 100;
const MAX_AMOUNT = 60;
// The holds workload (issue 14): payments among a small community, HOLD_SHARE of them short holds
// (HOLD_TIMEOUT_SECONDS), as exchanges place them, swept by every replica's sweeper as they expire.
const COMMUNITY_MEMBERS = 20;
const HOLD_SHARE = 0.15;
const HOLD_TIMEOUT_SECONDS = 2;
const SERVER_POOL_SIZE = 20;
const REQUEST_TIMEOUT_MS = 10_000; // no request may hang a loop past its window for long
const SERVER_START_TIMEOUT_MS = 60_000;
const SERVER_STOP_TIMEOUT_MS = 10_000;
// Unique per run, so keys never collide with an earlier run's, even on a reused database.
const RUN_ID = `bench-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

const CREATE_TRANSFER = `mutation Bench($input: CreateTransferInput!) {
  createTransfer(input: $input) { transfer { id } userErrors { code } }
}`;
// The batch input is written inline, so that only CreateTransferInput's name is assumed.
const CREATE_TRANSFERS = `mutation BenchBatch($transfers: [CreateTransferInput!]!) {
  createTransfers(input: { mode: LINKED, transfers: $transfers }) { results { transfer { id } userErrors { code } } }
}`;

/** The workloads --only names (all without it); an unknown name is refused before anything starts. */
function onlyWorkloads() {
  const only = commandLineValue('--only');
  if (only === undefined) return WORKLOADS;
  const names = only.split(',').filter(Boolean);
  const unknown = names.filter((name) => !WORKLOADS.includes(name));
  if (names.length === 0 || unknown.length > 0)
    throw new Error(`--only takes workloads among ${WORKLOADS.join(', ')}; not: ${unknown.join(', ') || '(none)'}`);
  return names;
}

const runs = (workload) => ONLY.includes(workload);

let interrupted = false;
const log = (message) => process.stderr.write(`[bench] ${message}\n`);
const { runWorkload } = createWorkloads({ timing: TIMING, log, stopped: () => interrupted });
const postGraphql = graphqlClient({ maxSockets: CLIENTS, timeoutMs: REQUEST_TIMEOUT_MS });

// ---------------------------------------------------------------------------------------------
// Database and server lifecycles: each one stops what it started, also when the work inside fails.

/** Starts `node dist/src/main.js` as `npm start` does, on the given database, and waits until /health answers 200. */
// One service login per database: each call sets its password anew, which would lock out a running server.
const serverDatabaseEnvs = new Map();

async function startServer(databaseUrl, entry = 'dist/src/main.js') {
  const port = await findFreePort();
  if (!serverDatabaseEnvs.has(databaseUrl)) serverDatabaseEnvs.set(databaseUrl, await serverDatabaseEnv(databaseUrl));
  const env = {
    ...process.env,
    ...serverDatabaseEnvs.get(databaseUrl),
    PORT: String(port),
    MIGRATE_ON_START: 'true',
    SEED_DEMO: 'false',
    LOG_LEVEL: SERVER_LOG_LEVEL,
    DB_POOL_SIZE: String(SERVER_POOL_SIZE),
    NO_COLOR: '1', // its log is read in a file or quoted in the report, where colour codes are noise
  };
  const child = spawn(process.execPath, [...serverNodeFlags(), entry], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exitStatus;
  const exited = new Promise((done) => child.once('exit', (code, signal) => done((exitStatus = { code, signal }))));
  // At warn every line is worth a look after a run: all are shown, counted, and the first kept.
  const serverLog = { lines: 0, first: null };
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      serverLog.lines += 1;
      serverLog.first ??= line;
      process.stderr.write(`[server] ${line}\n`);
    });
  }
  const server = {
    pid: child.pid,
    origin: `http://127.0.0.1:${port}`,
    serverLog,
    assertRunning() {
      if (exitStatus)
        throw new Error(
          `the server exited during the run (code ${exitStatus.code}, signal ${exitStatus.signal}); see its log above`,
        );
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), SERVER_STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
  const started = Date.now();
  try {
    await waitForHealth(server);
    log(
      `server (pid ${child.pid}) migrated and ready on port ${port} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

async function waitForHealth(server) {
  const deadline = Date.now() + SERVER_START_TIMEOUT_MS;
  while (Date.now() < deadline && !interrupted) {
    server.assertRunning();
    try {
      const response = await fetch(`${server.origin}/health`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      /* not listening yet */
    }
    await sleep(100);
  }
  throw new Error(
    interrupted ? 'interrupted' : `/health did not answer 200 within ${SERVER_START_TIMEOUT_MS / 1000} s`,
  );
}

// ---------------------------------------------------------------------------------------------
// Setup (ledger-fixture.mjs), then a check that the server sees it.

/**
 * Before measuring: a holder's and the coordinator's tokens are accepted, and the server sees the
 * standing each workload relies on. Otherwise every request would fail and the run mean nothing.
 */
async function checkCredentials(origin, { members, tokenOf, coordinatorAccountId }) {
  // Ids in answers are global; databaseId is the row the bench set up.
  const ME = '{ me { memberships { account { databaseId } role status } } }';
  const expectations = [
    { who: 'a member', accountId: members[randomInt(members.length)], role: 'MEMBER' },
    { who: 'the coordinator', accountId: coordinatorAccountId, role: 'COORDINATOR' },
  ];
  for (const { who, accountId, role } of expectations) {
    const reply = await postGraphql(origin, ME, {}, tokenOf.get(accountId));
    const [membership] = reply.data?.me.memberships ?? [];
    if (
      membership?.account.databaseId !== String(accountId) ||
      membership.role !== role ||
      membership.status !== 'ACTIVE'
    ) {
      throw new Error(`the server does not see ${who} as set up: ${JSON.stringify(reply)}`);
    }
  }
  log('credentials: a member and the coordinator are authenticated, with their active memberships');
}

// ---------------------------------------------------------------------------------------------
// The one workload runner, and the operations it runs.

function randomInt(below) {
  return Math.floor(Math.random() * below);
}

/** A random member other than the one at `index`. */
function otherMember(members, index) {
  return members[(index + 1 + randomInt(members.length - 1)) % members.length];
}

/** Two distinct random members. */
function randomPair(members) {
  const debit = randomInt(members.length);
  return [members[debit], otherMember(members, debit)];
}

let keySequence = 0;
function transferInput(label, debitAccountId, creditAccountId) {
  return {
    idempotencyKey: `${RUN_ID}-${label}-${keySequence++}`,
    debitAccountId,
    creditAccountId,
    amount: String(1 + randomInt(MAX_AMOUNT)),
    code: 'payment',
    memo: 'benchmark',
  };
}

/** A transfer counts only when it was made; each userError is a refusal. */
function payloadOutcome(payloads) {
  const outcome = { ok: 0, refused: [] };
  for (const payload of payloads) {
    if (payload.transfer && payload.userErrors.length === 0) outcome.ok += 1;
    else outcome.refused.push(...(payload.userErrors.length ? payload.userErrors.map((e) => e.code) : ['NO_TRANSFER']));
  }
  return outcome;
}

/**
 * `pick` gives the accounts to debit and credit, and the token of whoever may debit the first;
 * `committed`, if given, hears of each transfer written (its id and accounts) as its answer arrives.
 */
function singleTransferOperation(origin, label, pick, committed) {
  return async () => {
    const { debitAccountId, creditAccountId, token } = pick();
    const reply = await postGraphql(
      origin,
      CREATE_TRANSFER,
      { input: transferInput(label, debitAccountId, creditAccountId) },
      token,
    );
    if (reply.error) return { errors: [reply.error] };
    const { transfer } = reply.data.createTransfer;
    if (committed && transfer) committed(transfer.id, debitAccountId, creditAccountId);
    return payloadOutcome([reply.data.createTransfer]);
  };
}

/** A batch moves only its caller's own money: one random holder pays BATCH_SIZE random others. */
function batchOperation(origin, { members, tokenOf }) {
  return async () => {
    const payer = randomInt(members.length);
    const transfers = Array.from({ length: BATCH_SIZE }, () =>
      transferInput('batch', members[payer], otherMember(members, payer)),
    );
    const reply = await postGraphql(origin, CREATE_TRANSFERS, { transfers }, tokenOf.get(members[payer]));
    return reply.error ? { errors: [reply.error] } : payloadOutcome(reply.data.createTransfers.results);
  };
}

/**
 * A member of the small community pays another, through the replicas in turn; HOLD_SHARE of the
 * payments are holds that expire HOLD_TIMEOUT_SECONDS later, left for the sweepers.
 */
function holdsOperation(servers, label, community, tokenOf) {
  let turn = 0;
  return async () => {
    const [debitAccountId, creditAccountId] = randomPair(community);
    const input = transferInput(label, debitAccountId, creditAccountId);
    if (Math.random() < HOLD_SHARE) Object.assign(input, { pending: true, timeoutSeconds: HOLD_TIMEOUT_SECONDS });
    const { origin } = servers[turn++ % servers.length];
    const reply = await postGraphql(origin, CREATE_TRANSFER, { input }, tokenOf.get(debitAccountId));
    return reply.error ? { errors: [reply.error] } : payloadOutcome([reply.data.createTransfer]);
  };
}

/**
 * How late the holds of a workload were voided: from each timeout to the void's creation, by the
 * database's clocks, in ms (p99, nearest rank). Waits first for the last holds to fall due and go.
 */
async function expiryLagP99Ms(databaseUrl, label) {
  await sleep(HOLD_TIMEOUT_SECONDS * 1000 + 1500);
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'pumasi-bench-lag' });
  await client.connect();
  try {
    const {
      rows: [row],
    } = await client.query(
      `SELECT percentile_disc(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM r.created_at - p.timeout_at) * 1000) AS p99,
              count(*) FILTER (WHERE r.id IS NULL)::int AS unresolved
         FROM transfers p LEFT JOIN transfers r ON r.pending_id = p.id AND r.code = 'expired'
        WHERE p.kind = 'pending' AND p.idempotency_key LIKE $1`,
      [`${RUN_ID}-${label}-%`],
    );
    if (row.unresolved > 0) log(`${label}: ${row.unresolved} holds still unresolved after their timeout`);
    return round(Number(row.p99), 1);
  } finally {
    await client.end();
  }
}

/** Deadlocks PostgreSQL has detected in this database so far (pg_stat_database). */
async function deadlocksSoFar(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'pumasi-bench-deadlocks' });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()');
    return Number(rows[0].deadlocks);
  } finally {
    await client.end();
  }
}

/** The ceiling: the same write path, one round trip per transfer, a prepared statement, no HTTP, no GraphQL. */
function rawSqlOperation(pool, members) {
  const statement = {
    name: 'bench_create_transfer',
    text: 'SELECT * FROM ledger_create_transfer($1, $2, $3, $4, $5, $6, $7, $8)',
  };
  return async () => {
    const input = transferInput('sql', ...randomPair(members));
    try {
      const {
        rows: [row],
      } = await pool.query({
        ...statement,
        values: [
          input.idempotencyKey,
          RAW_REQUEST_HASH,
          input.debitAccountId,
          input.creditAccountId,
          input.amount,
          input.code,
          input.memo,
          '{}',
        ],
      });
      return row.outcome === 'created' ? { ok: 1 } : { refused: [row.outcome.toUpperCase()] };
    } catch (error) {
      return { errors: [error.code ?? 'SQL_ERROR'] };
    }
  };
}

function batchMutationExists() {
  return /\bcreateTransfers\s*\(/.test(readFileSync(join(ROOT, 'schema.gql'), 'utf8'));
}

/**
 * The ceiling is measured first, on the cleanest database, so the app's ratios against it are
 * if anything conservative. Then the workloads --only names (all without it), in this order.
 */
async function runWorkloads(databaseUrl, server, fixture) {
  const { issuanceId, members, coordinatorToken } = fixture;
  const run = (name, clients, operation) => measure(databaseUrl, [server], name, clients, operation);
  // Between workloads: stop on Ctrl-C, and do not go on measuring a server that has died.
  const checkpoint = () => {
    throwIfInterrupted();
    server.assertRunning();
  };
  const results = {};
  await runSqlWorkloads(databaseUrl, run, members, results);
  checkpoint();
  if (runs('minimal')) {
    await runPgbench(databaseUrl, members, results);
    checkpoint();
  }
  const memberPays = memberPaying(fixture);
  if (runs('single')) {
    results.single = await run('single', CLIENTS, singleTransferOperation(server.origin, 'single', memberPays));
    checkpoint();
  }
  if (COMPARE_ENTRY) {
    results.compared = await compareBuilds(databaseUrl, server, memberPays);
    checkpoint();
  }
  if (runs('batch') && batchMutationExists()) {
    results.batch = await run('batch', BATCH_CLIENTS, batchOperation(server.origin, fixture));
    checkpoint();
  } else if (runs('batch')) {
    log('batch: createTransfers is not in schema.gql yet; batchTps is null');
  }
  if (runs('hot')) {
    // Only a manager may debit issuance, and each such transfer commits with its audit row.
    const fromIssuance = () => ({
      debitAccountId: issuanceId,
      creditAccountId: members[randomInt(members.length)],
      token: coordinatorToken,
    });
    results.hot = await run('hot', CLIENTS, singleTransferOperation(server.origin, 'hot', fromIssuance));
    checkpoint();
  }
  if (runs('holds')) {
    Object.assign(results, await runHolds(databaseUrl, server, fixture, 1));
    checkpoint();
  }
  // Last: a thousand sockets must not count in the peak memory of the payments' workloads.
  results.peakRssMbBeforeEvents = memoryMb(server.pid, 'VmHWM');
  if (runs('events')) {
    // Its own baseline, just before: by now the ledger holds every earlier workload's transfers and
    // the database is vacuuming after them, so the run's first single workload would also count
    // what the run has done to the database, not only what the subscribers cost.
    results.singleBeforeSubscribers = await run(
      'single, before subscribers',
      CLIENTS,
      singleTransferOperation(server.origin, 'eventsBaseline', memberPays),
    );
    checkpoint();
    Object.assign(results, await runWithSubscribers(run, server, fixture, memberPays, 'events'));
    checkpoint();
  }
  return results;
}

/** A random member pays another, with their own token. */
function memberPaying({ members, tokenOf }) {
  return () => {
    const [debitAccountId, creditAccountId] = randomPair(members);
    return { debitAccountId, creditAccountId, token: tokenOf.get(debitAccountId) };
  };
}

/** Single payments while SUBSCRIBERS members follow their own account: the payments' figures, and the deliveries'. */
async function runWithSubscribers(run, server, { members, tokenOf }, memberPays, label) {
  const subscribers = await openSubscribers(server.origin, members.slice(0, SUBSCRIBERS), tokenOf, log);
  try {
    const singleWithSubscribers = await run(
      'single+subscribers',
      CLIENTS,
      singleTransferOperation(server.origin, label, memberPays, subscribers.committed),
    );
    await subscribers.settle();
    return { singleWithSubscribers, events: subscribers.summary() };
  } finally {
    await subscribers.close();
  }
}

/** --only events: ROUNDS rounds of single payments without subscribers, then with them (A B A B: the load drifts). */
async function eventsRounds(databaseUrl, server, fixture) {
  const run = (name, clients, operation) => measure(databaseUrl, [server], name, clients, operation);
  const memberPays = memberPaying(fixture);
  const rounds = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const single = await run('single', CLIENTS, singleTransferOperation(server.origin, `single${round}`, memberPays));
    server.assertRunning();
    const withSubscribers = await runWithSubscribers(run, server, fixture, memberPays, `events${round}`);
    rounds.push({ single, ...withSubscribers, load: machineLoad() });
    throwIfInterrupted();
    server.assertRunning();
  }
  return rounds;
}

/** The rawSql baseline, always; the minimal transfer by the load generator when it is to run. */
async function runSqlWorkloads(databaseUrl, run, members, results) {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: CLIENTS,
    query_timeout: REQUEST_TIMEOUT_MS,
    application_name: 'pumasi-bench',
  });
  pool.on('error', () => undefined); // an idle client's error must not crash the run; its query reports it
  try {
    results.rawSql = await run('rawSql', CLIENTS, rawSqlOperation(pool, members));
    if (!runs('minimal')) return;
    await setUpMinimalTransfer(pool, members);
    const newKey = () => `${RUN_ID}-minimal-${keySequence++}`;
    results.minimalSql = await run(
      'minimalSql',
      CLIENTS,
      minimalSqlOperation(pool, () => randomPair(members), newKey),
    );
  } finally {
    await pool.end();
  }
}

async function runPgbench(databaseUrl, members, results) {
  if (!(await pgbenchAvailable())) {
    log('pgbench is not on this machine: the minimal transfer is measured by the load generator only');
    return;
  }
  log('pgbench: ledger_create_transfer, then the minimal transfer');
  results.pgbench = await pgbenchTps(databaseUrl, {
    members: members.length,
    clients: CLIENTS,
    seconds: Math.round(TIMING.measureMs / 1000),
  });
}

/**
 * The single workload on this build's server and on COMPARE_ENTRY's in turn, both running all the
 * while (so that their background jobs load the machine alike), ROUNDS times: rounds of each build
 * in the same run, interleaved, so that the machine's drift falls on both. The idle server's CPU
 * meanwhile is its background's (the sweepers), which comparison() takes off what it used serving.
 */
async function compareBuilds(databaseUrl, server, memberPays) {
  const other = await startServer(databaseUrl, COMPARE_ENTRY);
  const rounds = [];
  try {
    // This build's server has served the single workload (when it ran): B serves it once, unmeasured,
    // or its first round measures its JIT warming up (B's worst round in three of four early runs).
    await runWorkload('single on B, warming it', {
      clients: CLIENTS,
      operation: singleTransferOperation(other.origin, 'compareWarmUp', memberPays),
      serverPids: [other.pid],
    });
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [build, serving] of [
        ['A', server],
        ['B', other],
      ]) {
        const idle = serving === server ? other : server;
        const idleBefore = { cpuMs: cpuMsSoFar(idle.pid), at: performance.now() };
        const result = await runWorkload(`single on ${build}, round ${round}`, {
          clients: CLIENTS,
          operation: singleTransferOperation(serving.origin, `compare${build}`, memberPays),
          serverPids: [serving.pid],
        });
        const idleCpu = (100 * (cpuMsSoFar(idle.pid) - idleBefore.cpuMs)) / (performance.now() - idleBefore.at);
        rounds.push({ build, round, ...result, cpuMsPerTransfer: cpuMsPer(result), idleCpu: Math.round(idleCpu) });
        throwIfInterrupted();
        server.assertRunning();
        other.assertRunning();
      }
    }
  } finally {
    await other.stop();
  }
  return rounds;
}

/** A process's CPU time so far, user and system, in ms (/proc/<pid>/stat: utime and stime, in 10 ms ticks). */
function cpuMsSoFar(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The serving server's CPU time per transfer made, in ms, its background's CPU% (when given) taken off. */
function cpuMsPer({ cpu, ok }, backgroundCpu = 0) {
  return cpu.server === null || ok === 0
    ? null
    : round(((cpu.server - backgroundCpu) * TIMING.measureMs) / 100 / ok, 3);
}

/** One workload through `servers`; with --waits, where the database's sessions waited meanwhile goes to stderr. */
async function measure(databaseUrl, servers, name, clients, operation) {
  const waits = WAITS ? await sampleWaits(databaseUrl) : null;
  const result = await runWorkload(name, { clients, operation, serverPids: servers.map((server) => server.pid) });
  if (waits) {
    const { samples, sessions, commitsPerSecond } = await waits.stop();
    log(
      `${name}: ${commitsPerSecond} commits/s in the database, warm-up included (${result.tps} transfers/s measured)`,
    );
    log(`${name}: active sessions per sample (${samples} samples), by what they run | wait | whom they wait behind:`);
    for (const { key, perSample } of sessions.slice(0, 25)) log(`  ${perSample.toFixed(2).padStart(6)}  ${key}`);
  }
  return result;
}

/**
 * The holds workloads of round `round`: through `server`, then through it and a second server,
 * started for the run and stopped after it, so that its sweeper never runs in a one-server run.
 */
async function runHolds(databaseUrl, server, { members, tokenOf }, round) {
  const community = members.slice(0, COMMUNITY_MEMBERS);
  const run = async (name, servers, label) => {
    const result = await measure(
      databaseUrl,
      servers,
      name,
      CLIENTS,
      holdsOperation(servers, label, community, tokenOf),
    );
    return { ...result, expiryLagP99Ms: await expiryLagP99Ms(databaseUrl, label) };
  };
  const holds = await run('holds', [server], `holds1r${round}`);
  server.assertRunning();
  const second = await startServer(databaseUrl);
  try {
    // A replica in service is long warm, as the first server is by now: the second one gets as
    // much traffic of its own first, unmeasured, or the run would measure its JIT compiling.
    await runWorkload('holds, warming the second server', {
      clients: CLIENTS,
      operation: holdsOperation([second], `holdsWarmUp${round}`, community, tokenOf),
    });
    const holdsTwoReplicas = await run('holds, 2 replicas', [server, second], `holds2r${round}`);
    second.assertRunning();
    return { holds, holdsTwoReplicas };
  } finally {
    await second.stop();
  }
}

/** --only holds: ROUNDS rounds of the holds workloads, one server then two, with the load after each. */
async function holdsRounds(databaseUrl, server, fixture) {
  const rounds = [];
  for (let round = 1; round <= ROUNDS; round++) {
    rounds.push({ ...(await runHolds(databaseUrl, server, fixture, round)), load: machineLoad() });
    throwIfInterrupted();
  }
  return rounds;
}

async function checkInvariants(databaseUrl) {
  const dataSource = createDataSource(databaseUrl, 2);
  await dataSource.initialize();
  try {
    return await checkLedgerInvariants(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Report.

function machineLoad() {
  return loadavg()
    .map((load) => load.toFixed(2))
    .join(' ');
}

/** The machine and the Node.js that ran the run: both the load generator and the servers run on it (process.execPath). */
function machineLine(run) {
  return `machine: ${cpus().length} CPUs, Node.js ${process.version}; load average (1/5/15 min) ${run.loadAtStart} at start, ${machineLoad()} at end; ${run.seconds} s in all`;
}

function maxOrNull(...values) {
  return values.some((value) => value == null) ? null : Math.max(...values);
}

function ratio(numerator, denominator) {
  return numerator == null || !denominator ? null : round(numerator / denominator, 2);
}

function table(rows) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => String(row[column]).length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => String(cell).padEnd(widths[column]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The targets of issue 14 (the hot path): printed against this run's figures, never asserted. */
function goals(summary) {
  // pgbench's ratio where pgbench ran (the issue's own measure), else the load generator's.
  const ledgerVsMinimal = summary.pgbenchMinimalTps
    ? {
        name: 'ledger_create_transfer / minimal (pgbench)',
        value: ratio(summary.pgbenchLedgerTps, summary.pgbenchMinimalTps),
      }
    : { name: 'rawSqlTps / minimalSqlTps', value: ratio(summary.rawSqlTps, summary.minimalSqlTps) };
  return [
    { ...ledgerVsMinimal, atLeast: 0.6 },
    { name: 'singleTps / rawSqlTps', value: ratio(summary.singleTps, summary.rawSqlTps), atLeast: 0.6 },
    { name: 'batchTps / rawSqlTps', value: ratio(summary.batchTps, summary.rawSqlTps), atLeast: 3 },
    { name: 'hotTps / singleTps', value: ratio(summary.hotTps, summary.singleTps), atLeast: 0.5 },
    { name: 'p99Ms (single)', value: summary.p99Ms, atMost: 25 },
    { name: 'peakRssMb (server)', value: summary.peakRssMb, atMost: 250 },
    { name: 'deliveryP99Ms (commit to subscriber)', value: summary.deliveryP99Ms, atMost: 250 },
    {
      name: `single+subscribers / single just before (${SUBSCRIBERS} subscribers)`,
      value: ratio(summary.singleWithSubscribersTps, summary.singleBeforeSubscribersTps),
      atLeast: 0.9,
    },
    { name: 'holds: 2 replicas / 1 replica', value: ratio(summary.holdsTwoReplicasTps, summary.holdsTps), atLeast: 1 },
    { name: 'expiryLagP99Ms (timeout to void)', value: summary.expiryLagP99Ms, atMost: 1000 },
    { name: 'deadlocks (whole run)', value: summary.deadlocks, atMost: 0 },
  ];
}

function pgbenchLine({ pgbench }) {
  if (!runs('minimal')) return null;
  return pgbench
    ? `pgbench (${CLIENTS} clients): ledger_create_transfer ${pgbench.ledger.toFixed(0)}/s, minimal transfer ${pgbench.minimal.toFixed(0)}/s`
    : 'pgbench: not on this machine';
}

function eventsLine(summary, { results: { events }, eventsPeakRssMb }) {
  return (
    events &&
    `events: ${SUBSCRIBERS} members follow their own account (accountActivity over graphql-ws) during "single, ${SUBSCRIBERS} subscribers": ` +
      `${events.delivered} of ${events.expected} deliveries (${events.missed} missed, ${events.errors} errors), ` +
      `commit to subscriber p50 ${summary.deliveryP50Ms} ms, p99 ${summary.deliveryP99Ms} ms; server peak RSS with them ${eventsPeakRssMb} MB`
  );
}

function holdsLine({ results: { holds, holdsTwoReplicas }, deadlocks }) {
  return (
    holds &&
    `holds: expiry lag p99 (timeout to void) ${holds.expiryLagP99Ms} ms with one replica, ${holdsTwoReplicas.expiryLagP99Ms} ms with two; ` +
      `${deadlocks} deadlocks in the whole run (pg_stat_database)`
  );
}

const sum = (values) => values.reduce((total, value) => total + value, 0);
const mean = (values) => sum(values) / values.length;

/**
 * B against A over the rounds of --compare: mean TPS, and the CPU per transfer that serving costs
 * each server beyond its background (its mean CPU% while the other one served), over all its rounds.
 */
function comparison(rounds) {
  const of = (build) => rounds.filter((r) => r.build === build);
  const backgroundCpu = (build) => mean(rounds.filter((r) => r.build !== build).map((r) => r.idleCpu));
  const tps = (build) => mean(of(build).map((r) => r.tps));
  const servingMs = (build) =>
    cpuMsPer({
      cpu: { server: sum(of(build).map((r) => r.cpu.server - backgroundCpu(build))) },
      ok: sum(of(build).map((r) => r.ok)),
    });
  return {
    tpsBOverA: round(tps('B') / tps('A'), 3),
    servingCpuMsPerTransfer: { A: round(servingMs('A'), 3), B: round(servingMs('B'), 3) },
    servingCpuBOverA: round(servingMs('B') / servingMs('A'), 3),
  };
}

function compareLines(rounds) {
  if (!rounds) return [];
  const { tpsBOverA, servingCpuMsPerTransfer, servingCpuBOverA } = comparison(rounds);
  return [
    `single transfers on A (this build) and B (${COMPARE_ENTRY}) in turn, both servers running throughout:`,
    table([
      ['build', 'round', 'TPS', 'p50 ms', 'p99 ms', 'CPU% server', 'CPU% other (idle)', 'CPU ms/transfer', 'machine'],
      ...rounds.map((r) => [
        r.build,
        r.round,
        r.tps,
        r.p50Ms,
        r.p99Ms,
        r.cpu.server,
        r.idleCpu,
        r.cpuMsPerTransfer,
        r.cpu.machine,
      ]),
    ]),
    `CPU ms per transfer beyond the background (the server's CPU% while idle): A ${servingCpuMsPerTransfer.A}, B ${servingCpuMsPerTransfer.B}`,
    `B / A (means over the rounds): TPS ${tpsBOverA}, CPU per transfer beyond the background ${servingCpuBOverA}`,
    '',
  ];
}

function printReport(summary, run) {
  const { results } = run;
  const workloadRows = [
    [
      'workload',
      'clients',
      'requests',
      'ok',
      'refused',
      'errors',
      'TPS',
      'p50 ms',
      'p99 ms',
      'CPU% server',
      'bench',
      'machine',
      'codes',
    ],
  ];
  const labels = {
    rawSql: 'rawSql (pg, baseline)',
    minimalSql: 'minimalSql (pg, bare rules)',
    single: 'single (GraphQL)',
    batch: `batch (${BATCH_SIZE} linked, one payer)`,
    hot: 'hot (issuance debits, audited)',
    singleBeforeSubscribers: 'single, just before subscribers',
    singleWithSubscribers: `single, ${SUBSCRIBERS} subscribers`,
    holds: `holds (${COMMUNITY_MEMBERS} members, ${HOLD_SHARE * 100}% ${HOLD_TIMEOUT_SECONDS} s holds)`,
    holdsTwoReplicas: 'holds, 2 replicas',
  };
  for (const key of [
    'rawSql',
    'minimalSql',
    'single',
    'batch',
    'hot',
    'singleBeforeSubscribers',
    'singleWithSubscribers',
    'holds',
    'holdsTwoReplicas',
  ]) {
    const r = results[key];
    workloadRows.push(
      r
        ? [
            labels[key],
            r.clients,
            r.requests,
            r.ok,
            r.refused,
            r.errors,
            r.tps,
            r.p50Ms,
            r.p99Ms,
            r.cpu.server,
            r.cpu.bench,
            r.cpu.machine,
            r.codes.join(' ') || '-',
          ]
        : [
            labels[key],
            '-',
            '-',
            '-',
            '-',
            '-',
            'null',
            '-',
            '-',
            '-',
            '-',
            '-',
            runs('batch') && key === 'batch' ? 'not run: no createTransfers in schema.gql' : 'not run (--only)',
          ],
    );
  }
  const goalRows = [
    ['goal', 'value', 'target', 'met'],
    ...goals(summary).map(({ name, value, atLeast, atMost }) => [
      name,
      value ?? 'null',
      atLeast !== undefined ? `>= ${atLeast}` : `<= ${atMost}`,
      value === null ? '-' : (atLeast !== undefined ? value >= atLeast : value <= atMost) ? 'yes' : 'NO',
    ]),
  ];
  const timing = `${TIMING.warmupMs / 1000} s warm-up + ${TIMING.measureMs / 1000} s per workload`;
  const lines = [
    '',
    `Pumasi benchmark (${QUICK ? 'quick' : 'full'}: ${timing}; ${MEMBERS} members; database: ${run.database})`,
    '',
    table(workloadRows),
    '',
    ...compareLines(run.results.compared),
    ...[pgbenchLine(run.results), eventsLine(summary, run), holdsLine(run)].flatMap((line) => (line ? [line, ''] : [])),
    table(goalRows),
    '',
    `invariants: ${summary.invariantsOk ? 'ok' : `VIOLATED: ${JSON.stringify(run.violations)}`}`,
    `server log lines at ${SERVER_LOG_LEVEL} or above: ${run.serverLog.lines}${run.serverLog.first ? `; the first: ${run.serverLog.first}` : ''}`,
    'ok and refused count transfers; errors count failed requests (HTTP or GraphQL errors, timeouts).',
    "GraphQL requests carry an access token: the paying member's (single, batch), the coordinator's (hot).",
    'CPU%: server and bench in % of one core, machine in % of all cores busy, during the measured window.',
    machineLine(run),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** --only holds: each round's one-server and two-server runs, and its own ratio (the load drifts between rounds). */
function printHoldsReport(run) {
  const rows = [
    [
      'round',
      'replicas',
      'requests',
      'ok',
      'errors',
      'TPS',
      'p50 ms',
      'p99 ms',
      'expiry lag p99 ms',
      '2/1',
      'CPU% servers',
      'bench',
      'machine',
      'load',
    ],
  ];
  for (const [index, { holds, holdsTwoReplicas, load }] of run.rounds.entries()) {
    for (const [replicas, r] of [
      [1, holds],
      [2, holdsTwoReplicas],
    ]) {
      const twoToOne = replicas === 2 ? ratio(holdsTwoReplicas.tps, holds.tps) : '';
      rows.push([
        index + 1,
        replicas,
        r.requests,
        r.ok,
        r.errors,
        r.tps,
        r.p50Ms,
        r.p99Ms,
        r.expiryLagP99Ms,
        twoToOne,
        r.cpu.server,
        r.cpu.bench,
        r.cpu.machine,
        replicas === 2 ? load : '',
      ]);
    }
  }
  const lines = [
    '',
    `Pumasi benchmark, holds only (${COMMUNITY_MEMBERS} members, ${HOLD_SHARE * 100}% ${HOLD_TIMEOUT_SECONDS} s holds; ` +
      `${TIMING.warmupMs / 1000} s warm-up + ${TIMING.measureMs / 1000} s per run; database: ${run.database})`,
    '',
    table(rows),
    '',
    `deadlocks: ${run.deadlocks}; invariants: ${run.violations.length === 0 ? 'ok' : `VIOLATED: ${JSON.stringify(run.violations)}`}`,
    machineLine(run),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (JSON_OUTPUT) {
    const { rounds } = run;
    const summary = {
      holdsTps: rounds.map((r) => r.holds.tps),
      holdsTwoReplicasTps: rounds.map((r) => r.holdsTwoReplicas.tps),
      expiryLagP99Ms: maxOrNull(...rounds.flatMap((r) => [r.holds.expiryLagP99Ms, r.holdsTwoReplicas.expiryLagP99Ms])),
      deadlocks: run.deadlocks,
      invariantsOk: run.violations.length === 0,
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  }
  if (run.violations.length > 0) process.exitCode = 1;
}

/** --only events: each round's payments without and with subscribers, its ratio, and the server's CPU per payment. */
function printEventsReport(run) {
  const rows = [
    [
      'round',
      'subscribers',
      'requests',
      'ok',
      'errors',
      'TPS',
      'p99 ms',
      'ratio',
      'server CPU ms/payment',
      'delivery p50/p99 ms',
      'missed',
      'load',
    ],
  ];
  for (const [index, { single, singleWithSubscribers, events, load }] of run.rounds.entries()) {
    for (const [subscribers, r] of [
      [0, single],
      [SUBSCRIBERS, singleWithSubscribers],
    ]) {
      const withThem = subscribers > 0;
      rows.push([
        index + 1,
        subscribers,
        r.requests,
        r.ok,
        r.errors,
        r.tps,
        r.p99Ms,
        withThem ? ratio(singleWithSubscribers.tps, single.tps) : '',
        cpuMsPer(r),
        withThem ? `${round(events.deliveryP50Ms, 1)}/${round(events.deliveryP99Ms, 1)}` : '',
        withThem ? events.missed : '',
        withThem ? load : '',
      ]);
    }
  }
  const tps = (key) => mean(run.rounds.map((r) => r[key].tps));
  const lines = [
    '',
    `Pumasi benchmark, events only (${SUBSCRIBERS} subscribers; ${TIMING.warmupMs / 1000} s warm-up + ${TIMING.measureMs / 1000} s per run; database: ${run.database})`,
    '',
    table(rows),
    '',
    `single+subscribers / single, means over the rounds: ${ratio(tps('singleWithSubscribers'), tps('single'))} (goal >= 0.9)`,
    `deadlocks: ${run.deadlocks}; invariants: ${run.violations.length === 0 ? 'ok' : `VIOLATED: ${JSON.stringify(run.violations)}`}`,
    machineLine(run),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (run.violations.length > 0) process.exitCode = 1;
}

// ---------------------------------------------------------------------------------------------

function sleep(ms) {
  return new Promise((done) => setTimeout(done, ms));
}

function throwIfInterrupted() {
  if (interrupted) throw new Error('interrupted');
}

/** A first Ctrl-C or SIGTERM ends the loops and cleans up; a second one exits at once. */
function handleSignals() {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      if (interrupted) process.exit(130);
      interrupted = true;
      log(`${signal}: stopping after cleanup`);
    });
  }
}

async function main() {
  handleSignals();
  const started = Date.now();
  const loadAtStart = machineLoad();
  const run = await withDatabase('bench', log, async (databaseUrl) => {
    const deadlocksAtStart = await deadlocksSoFar(databaseUrl);
    const server = await startServer(databaseUrl);
    let measured;
    try {
      const fixture = await setUpLedger(databaseUrl, { runId: RUN_ID, log });
      await checkCredentials(server.origin, fixture);
      throwIfInterrupted();
      if (HOLDS_ROUNDS) {
        measured = { rounds: await holdsRounds(databaseUrl, server, fixture) };
      } else if (EVENTS_ROUNDS) {
        measured = { rounds: await eventsRounds(databaseUrl, server, fixture) };
      } else {
        const results = await runWorkloads(databaseUrl, server, fixture);
        measured = {
          results,
          peakRssMb: results.peakRssMbBeforeEvents,
          eventsPeakRssMb: runs('events') ? memoryMb(server.pid, 'VmHWM') : null,
        };
      }
    } finally {
      await server.stop();
    }
    // After the server has stopped: nothing writes while the ledger is checked, and its connections,
    // ending, have reported their deadlocks.
    const deadlocks = (await deadlocksSoFar(databaseUrl)) - deadlocksAtStart;
    const violations = await checkInvariants(databaseUrl);
    return { ...measured, deadlocks, violations, serverLog: server.serverLog };
  });
  run.database = process.env.DATABASE_URL
    ? `scratch database on ${new URL(process.env.DATABASE_URL).host}`
    : 'embedded PostgreSQL';
  run.loadAtStart = loadAtStart;
  run.seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (HOLDS_ROUNDS) return printHoldsReport(run);
  if (EVENTS_ROUNDS) return printEventsReport(run);
  const summary = {
    singleTps: run.results.single?.tps ?? null,
    batchTps: run.results.batch?.tps ?? null,
    hotTps: run.results.hot?.tps ?? null,
    rawSqlTps: run.results.rawSql.tps,
    minimalSqlTps: run.results.minimalSql?.tps ?? null,
    pgbenchLedgerTps: round(run.results.pgbench?.ledger, 1),
    pgbenchMinimalTps: round(run.results.pgbench?.minimal, 1),
    p99Ms: run.results.single?.p99Ms ?? null,
    peakRssMb: run.peakRssMb,
    singleBeforeSubscribersTps: run.results.singleBeforeSubscribers?.tps ?? null,
    singleWithSubscribersTps: run.results.singleWithSubscribers?.tps ?? null,
    deliveryP50Ms: round(run.results.events?.deliveryP50Ms, 1),
    deliveryP99Ms: round(run.results.events?.deliveryP99Ms, 1),
    missedDeliveries: run.results.events?.missed ?? null,
    eventsPeakRssMb: run.eventsPeakRssMb,
    holdsTps: run.results.holds?.tps ?? null,
    holdsTwoReplicasTps: run.results.holdsTwoReplicas?.tps ?? null,
    expiryLagP99Ms: maxOrNull(run.results.holds?.expiryLagP99Ms, run.results.holdsTwoReplicas?.expiryLagP99Ms),
    deadlocks: run.deadlocks,
    invariantsOk: run.violations.length === 0,
    nodeVersion: process.version,
    ...(run.results.compared && { compared: comparison(run.results.compared) }),
  };
  printReport(summary, run);
  if (JSON_OUTPUT) process.stdout.write(`${JSON.stringify(summary)}\n`);
  if (!summary.invariantsOk) process.exitCode = 1;
}

main().catch((error) => {
  process.stderr.write(`[bench] failed: ${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
