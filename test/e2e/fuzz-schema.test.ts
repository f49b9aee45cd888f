import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import * as fc from 'fast-check';
import { buildSchema, parse, validate } from 'graphql';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ErrorCode } from '../../libs/graphql/error-code.js';
import { TestApp, useTestApp } from '../support/test-app.js';
import { buildWorld, CallerName, FuzzWorld, worldIsUsable } from './fuzz-world.js';
import { postRaw, RawResponse } from './graphql-client.js';
import { caseArbitrary, documentFor, FuzzCase, preview, requestBody, rootFields } from './schema-fuzz.js';

/**
 * Issue 11, "fuzzing the whole schema": every argument of every query and mutation, read from
 * schema.gql, gets valid, boundary and hostile values, sent as GraphQL variables over the real
 * HTTP server by member A, A's coordinator, an admin or nobody, with ids of A's own objects, of
 * another member's and of another community's. For every case:
 * - no HTTP 5xx and no INTERNAL_SERVER_ERROR; every error carries a documented `extensions.code`;
 * - a refused call (top-level errors, or userErrors) and every query write nothing;
 * - and after each field, the ledger's invariant check passes (useTestApp).
 *
 * CI runs a fixed seed and FUZZ_RUNS cases per field; `npm run fuzz -- --runs 500 --seed N` runs
 * longer. The totals go to FUZZ_REPORT (default .ci/out/fuzz-schema.json) for CI's closing lines.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 30);
const SEED = Number(process.env.FUZZ_SEED ?? 20261204);
/** Only the fields whose coordinate matches, e.g. FUZZ_ONLY=createTransfer (a regular expression). */
const ONLY = process.env.FUZZ_ONLY ? new RegExp(process.env.FUZZ_ONLY) : null;
const REPORT_FILE = process.env.FUZZ_REPORT ?? '.ci/out/fuzz-schema.json';

const schema = buildSchema(readFileSync('schema.gql', 'utf8'));
const FIELDS = rootFields(schema).filter(({ coordinate }) => !ONLY || ONLY.test(coordinate));
const DOCUMENTED_CODES = new Set<string>(
  Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR),
);

/**
 * The tables that hold what users own: a refused call must leave every one as it was. Left out on
 * purpose, because a refusal may write them by design: sessions (last use), login_failures and
 * rate-limit counters (a failed attempt is what they count), transfer_failures (a failed key stays
 * failed), retired_refresh_tokens, and the hash chain the background chainer extends.
 */
const GUARDED_TABLES = [
  'transfers',
  'postings',
  'accounts',
  'audit_log',
  'outbox_events',
  'members',
  'memberships',
  'communities',
  'currencies',
  'invitations',
  'partner_apps',
  'partner_consents',
  'api_keys',
  'listings',
  'exchanges',
  'exchange_groups',
  'reviews',
  'ledger_periods',
  'ledger_period_balances',
  'ledger_checkpoints',
  'verification_runs',
  'report_exports',
];
/** Row count and newest row version (xmin) per table: an insert or delete changes the count, an update the newest xmin. Cheap on a test database. */
const SNAPSHOT_SQL = GUARDED_TABLES.map(
  (table) =>
    `SELECT '${table}' AS "table", count(*)::int AS rows, coalesce(max(xmin::text::bigint), 0)::text AS newest FROM ${table}`,
).join(' UNION ALL ');

/** Traces of internals a client must never see in a message. */
const INTERNALS = [
  /\bat (async )?[\w$.<>]+ \(/,
  /node_modules/,
  /QueryFailedError|duplicate key|violates|out of range for type|invalid byte sequence|invalid input syntax/,
];

interface Violation {
  coordinate: string;
  problem: string;
  caller: string;
  spoilt: string;
  variables: string;
  detail: string;
}

interface Totals {
  cases: number;
  internalErrors: number;
  violations: number;
  /** Per field, how its cases ended: OK, a top-level code, or userErrors:<code>; prefixed valid: when nothing was spoilt. */
  outcomes: Record<string, Record<string, number>>;
  distinct: string[];
  /** How often a field's cases left A unable to act as a plain member, so the world was made anew. */
  worldRebuilds: number;
}

const totals: Totals = { cases: 0, internalErrors: 0, violations: 0, outcomes: {}, distinct: [], worldRebuilds: 0 };

/** The server log of internal errors during one case, so that a failure shows its cause. */
const serverErrors: string[] = [];

/** SQLSTATE 53200: a PostgreSQL server shared with other test runs can run out of lock-table memory for a moment. */
const OUT_OF_SHARED_MEMORY = '53200';
const pause = (ms: number): Promise<void> => new Promise((resume) => setTimeout(resume, ms));

async function snapshot(t: TestApp): Promise<Map<string, string>> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const rows: { table: string; rows: number; newest: string }[] = await t.dataSource.query(SNAPSHOT_SQL);
      return new Map(rows.map((row) => [row.table, `${row.rows} rows, newest xmin ${row.newest}`]));
    } catch (error) {
      // The snapshot is the harness, not the code under test: a passing shortage on the server is retried, anything else fails the test.
      if ((error as { driverError?: { code?: string } }).driverError?.code !== OUT_OF_SHARED_MEMORY || attempt === 5)
        throw error;
      await pause(200 * attempt);
    }
  }
}

function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...before]
    .filter(([table, state]) => after.get(table) !== state)
    .map(([table, state]) => `${table} (${state} → ${after.get(table)})`);
}

/** Each case's caller has a fresh session: a fuzzed logout or session revocation must not silence the cases after it. */
async function headersFor(t: TestApp, world: FuzzWorld, caller: CallerName): Promise<Record<string, string>> {
  const memberId = world.callers[caller];
  if (!memberId) return {};
  return { authorization: `Bearer ${(await t.identity.startSession(memberId)).accessToken}` };
}

/** The userErrors codes of a payload, and of the payloads inside it (a batch's results). */
function userErrorCodes(payload: any): { codes: string[]; allRefused: boolean } {
  if (!payload || typeof payload !== 'object') return { codes: [], allRefused: false };
  const own: string[] = (payload.userErrors ?? []).map((error: { code: string }) => error.code);
  const inner = Object.values(payload)
    .filter(Array.isArray)
    .flat()
    .filter((item: any) => Array.isArray(item?.userErrors));
  const innerCodes = inner.flatMap((item: any) => item.userErrors.map((error: { code: string }) => error.code));
  const allInnerRefused = inner.length > 0 && inner.every((item: any) => item.userErrors.length > 0);
  return { codes: [...own, ...innerCodes], allRefused: own.length > 0 || allInnerRefused };
}

/** How a case ended, for the outcome counts: OK, the first top-level code, or the first userError. */
function outcomeOf(answer: RawResponse, fieldName: string): string {
  const code = answer.body?.errors?.[0]?.extensions?.code;
  if (code) return code;
  const { codes } = userErrorCodes(answer.body?.data?.[fieldName]);
  return codes.length ? `userErrors:${codes[0]}` : answer.body ? 'OK' : `HTTP ${answer.status}`;
}

/** What is wrong with an answer, whatever was asked: a 5xx, no JSON, internal or undocumented codes, leaked internals. */
function answerProblems(answer: RawResponse): { problem: string; detail: string }[] {
  const problems: { problem: string; detail: string }[] = [];
  if (answer.status >= 500) problems.push({ problem: `HTTP ${answer.status}`, detail: answer.text.slice(0, 200) });
  if (answer.body === undefined) return [...problems, { problem: 'not JSON', detail: answer.text.slice(0, 200) }];
  for (const error of answer.body.errors ?? []) {
    const code = error?.extensions?.code;
    if (code === ErrorCode.INTERNAL_SERVER_ERROR)
      problems.push({
        problem: 'INTERNAL_SERVER_ERROR',
        detail: serverErrors[0]?.split('\n').slice(0, 2).join(' | ') ?? error.message,
      });
    else if (!DOCUMENTED_CODES.has(code))
      problems.push({ problem: `undocumented code ${String(code)}`, detail: String(error?.message).slice(0, 200) });
  }
  const leaked = INTERNALS.find((pattern) => pattern.test(answer.text));
  if (leaked) problems.push({ problem: 'internals in the response', detail: answer.text.match(leaked)![0] });
  return problems;
}

/** Runs one case and returns what is wrong with it. */
async function runCase(
  t: TestApp,
  world: FuzzWorld,
  target: (typeof FIELDS)[number],
  document: string,
  fuzzCase: FuzzCase,
): Promise<Violation[]> {
  const headers = await headersFor(t, world, fuzzCase.caller as CallerName);
  const before = await snapshot(t);
  serverErrors.length = 0;
  let answer: RawResponse;
  try {
    answer = await postRaw(t.as(null, headers), requestBody(document, fuzzCase.variables));
  } catch (error) {
    answer = { status: 599, contentType: null, body: undefined, text: `request failed: ${String(error)}` };
  }
  const outcomes = (totals.outcomes[target.coordinate] ??= {});
  // Cases with nothing spoilt are counted apart: they show whether valid requests reach the code behind the checks.
  const outcome = `${fuzzCase.spoil ? '' : 'valid:'}${outcomeOf(answer, target.field.name)}`;
  if (process.env.FUZZ_DEBUG && !fuzzCase.spoil && answer.body?.errors)
    console.log(
      target.coordinate,
      fuzzCase.caller,
      preview(fuzzCase.variables),
      JSON.stringify(answer.body.errors).slice(0, 300),
    );
  outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;

  const problems = answerProblems(answer);
  const refused =
    Boolean(answer.body?.errors?.length) ||
    userErrorCodes(answer.body?.data?.[target.field.name]).allRefused ||
    answer.status >= 400;
  if (refused || target.operation === 'query') {
    const changed = changedTables(before, await snapshot(t));
    if (changed.length)
      problems.push({
        problem: refused ? `wrote while refused (${outcomeOf(answer, target.field.name)})` : 'a query wrote',
        detail: changed.join('; '),
      });
  }
  return problems.map(({ problem, detail }) => ({
    coordinate: target.coordinate,
    problem,
    detail,
    caller: fuzzCase.caller,
    spoilt: fuzzCase.spoil ? `${fuzzCase.spoil.path} = ${fuzzCase.spoil.label}` : 'nothing (all valid)',
    variables: preview(fuzzCase.variables),
  }));
}

/** One line per distinct failure: the field, what was spoilt with what, the problem and its cause. */
const describeViolation = (violation: Violation): string =>
  `${violation.coordinate} | ${violation.spoilt} | ${violation.problem} | as ${violation.caller} | ${violation.detail} | variables ${violation.variables}`;
const distinctKey = (violation: Violation): string =>
  `${violation.coordinate} | ${violation.spoilt} | ${violation.problem.replace(/ \(.*\)$/, '')}`;

/** A seed per field from the run's seed and the field's name, so that adding a field does not change the others' cases. */
function seedFor(coordinate: string): number {
  let hash = SEED | 0;
  for (const character of coordinate) hash = (Math.imul(hash, 31) + character.charCodeAt(0)) | 0;
  return hash;
}

/** Most requests come from member A, who owns the world's favoured ids; the others reach what only managers may do, or show what no login changes. */
const CALLERS = fc.oneof(
  { weight: 4, arbitrary: fc.constant<CallerName>('memberA') },
  { weight: 3, arbitrary: fc.constant<CallerName>('coordinator') },
  { weight: 2, arbitrary: fc.constant<CallerName>('admin') },
  { weight: 1, arbitrary: fc.constant<CallerName>('anonymous') },
);

function writeReport(startedAt: number): void {
  const report = {
    seed: SEED,
    runsPerField: RUNS,
    fields: FIELDS.length,
    cases: totals.cases,
    internalErrors: totals.internalErrors,
    violations: totals.violations,
    worldRebuilds: totals.worldRebuilds,
    distinctFailures: totals.distinct,
    seconds: Math.round((Date.now() - startedAt) / 1000),
    outcomes: totals.outcomes,
  };
  mkdirSync(dirname(REPORT_FILE), { recursive: true });
  writeFileSync(REPORT_FILE, `${JSON.stringify(report, null, 2)}\n`);
  // The line CI and a reader look for.
  console.log(
    `fuzz: ${totals.cases} cases over ${FIELDS.length} fields (seed ${SEED}, ${RUNS} per field), ${totals.internalErrors} internal errors, ${totals.distinct.length} distinct failures`,
  );
}

describe('fuzzing every argument of the schema', () => {
  const t = useTestApp(4);
  let world: FuzzWorld;
  const startedAt = Date.now();

  beforeAll(async () => {
    // No background job runs in a test app: between a case's two snapshots, only the request writes.
    jest.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => {
      serverErrors.push(String(message));
    });
    world = await buildWorld(t);
    if (world.gaps.length) console.warn(`fuzz world: some objects could not be made:\n  ${world.gaps.join('\n  ')}`);
  });

  beforeEach(async () => {
    if (await worldIsUsable(t, world)) return;
    totals.worldRebuilds += 1;
    world = await buildWorld(t);
  });

  afterAll(() => writeReport(startedAt));

  it('reads every query and mutation from schema.gql, the same the server serves', () => {
    expect(FIELDS.length).toBeGreaterThan(ONLY ? 0 : 50);
    const served = rootFields(t.app.get(GraphQLSchemaHost).schema)
      .map(({ coordinate }) => coordinate)
      .sort();
    expect(
      rootFields(schema)
        .map(({ coordinate }) => coordinate)
        .sort(),
    ).toEqual(served);
  });

  it('sees a write to a guarded table, so that "nothing written" can fail', async () => {
    const before = await snapshot(t);
    await t.dataSource.query('UPDATE communities SET name = name WHERE id = $1', [world.home.community.id]);
    expect(changedTables(before, await snapshot(t))).toEqual([expect.stringMatching(/^communities /)]);
  });

  it.each(FIELDS.map((target) => [target.coordinate, target] as const))(
    '%s: no internal error, a documented code, nothing written when refused',
    async (_coordinate, target) => {
      const document = documentFor(target.operation, target.field);
      // A document the schema refuses would make every case a validation error, and the field untested.
      expect(validate(schema, parse(document)).map((error) => error.message)).toEqual([]);
      const found = new Map<string, { violation: Violation; count: number }>();
      await fc.assert(
        fc.asyncProperty(caseArbitrary(target.field, world.pools, CALLERS), async (fuzzCase) => {
          totals.cases += 1;
          for (const violation of await runCase(t, world, target, document, fuzzCase)) {
            totals.violations += 1;
            if (violation.problem === 'INTERNAL_SERVER_ERROR') totals.internalErrors += 1;
            const key = distinctKey(violation);
            const seen = found.get(key);
            if (seen) seen.count += 1;
            else found.set(key, { violation, count: 1 });
          }
        }),
        // Failures are collected rather than thrown, so that one field's run lists every distinct failure, not the first.
        { seed: seedFor(target.coordinate), numRuns: RUNS },
      );
      const lines = [...found.values()].map(
        ({ violation, count }) => `${describeViolation(violation)}${count > 1 ? ` (×${count})` : ''}`,
      );
      totals.distinct.push(...lines);
      if (lines.length)
        lines.push(`reproduce: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} FUZZ_ONLY='^${target.coordinate}$' npm run fuzz`);
      expect(lines).toEqual([]);
    },
  );
});
