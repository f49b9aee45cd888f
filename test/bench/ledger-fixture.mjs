// The benchmark's ledger, set up by plain SQL: it is not what is measured, and the API has no bulk
// admission of members (nor should it log in 10,000 people one by one: each login is a deliberately
// slow password hash). Shared by the benchmark and its SQL-only comparison (ledger-sql.mjs).
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';

export const MEMBERS = 10_000;
// The server only uses the hash to tell a replay from a conflict; every key here is new, so any 64 hex digits do.
export const RAW_REQUEST_HASH = '0'.repeat(64);
// Longer than the app's 15 minutes, so that no token expires during a run: the server checks only
// that a session is live, not how long it was issued for.
const ACCESS_TOKEN_LIFETIME = '2 hours';
const REFRESH_TOKEN_LIFETIME = '30 days';
const MEMBER_LOWER_LIMIT = -1_000_000; // a deep credit line, so that uniform random transfers rarely fail
const STARTING_GRANT = 6_000; // 100 hours in minutes
const FUNDING_CHUNK = 1_000; // transfers per funding statement; one statement holds an advisory lock per key

/**
 * One community with an HOUR currency and its system accounts; MEMBERS members, each with an active
 * membership, a funded account and a live session; and a coordinator with an account of their own.
 */
export async function setUpLedger(databaseUrl, { runId, log }) {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'pumasi-bench-setup' });
  await client.connect();
  try {
    const started = Date.now();
    const [{ id: communityId }] = (
      await client.query('INSERT INTO communities (slug, name) VALUES ($1, $2) RETURNING id', [
        runId,
        'Benchmark Time Bank',
      ])
    ).rows;
    const [{ id: currencyId }] = (
      await client.query(
        `INSERT INTO currencies (community_id, code, name, symbol, minor_units_per_unit)
       VALUES ($1, 'HOUR', 'Hour', 'h', 60) RETURNING id`,
        [communityId],
      )
    ).rows;
    const [{ id: issuanceId }] = (
      await client.query(
        `INSERT INTO accounts (currency_id, kind, name, lower_limit) VALUES
       ($1, 'issuance', 'HOUR issuance', NULL), ($1, 'pool', 'HOUR community pool', 0) RETURNING id, kind`,
        [currencyId],
      )
    ).rows.filter((row) => row.kind === 'issuance');
    const holders = await admitMembers(client, runId, communityId, currencyId);
    const tokens = await startSessions(
      client,
      holders.map((holder) => holder.memberId),
    );
    const tokenOf = new Map(holders.map((holder, index) => [holder.accountId, tokens[index]]));
    const members = holders.filter((holder) => holder.role === 'member').map((holder) => holder.accountId);
    const coordinator = holders.find((holder) => holder.role === 'coordinator');
    for (let from = 0; from < members.length; from += FUNDING_CHUNK) {
      await fundMembers(client, runId, issuanceId, members.slice(from, from + FUNDING_CHUNK));
    }
    // Fresh statistics, so the first workload does not run on plans made for empty tables.
    await client.query('ANALYZE');
    log(
      `set up ${members.length} members with funded accounts, active memberships and sessions, and a coordinator, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return {
      issuanceId,
      members,
      tokenOf,
      coordinatorAccountId: coordinator.accountId,
      coordinatorToken: tokenOf.get(coordinator.accountId),
    };
  } finally {
    await client.end();
  }
}

/**
 * In one statement: a coordinator (number 0) and MEMBERS members, each with an account of the
 * currency and an active membership holding it. Accounts and members are paired by their label.
 */
async function admitMembers(client, runId, communityId, currencyId) {
  const { rows } = await client.query(
    `WITH people AS (
       SELECT n, CASE WHEN n = 0 THEN 'coordinator' ELSE 'member' END AS role,
              CASE WHEN n = 0 THEN 'Coordinator' ELSE 'Member ' || n END AS label
         FROM generate_series(0, $3::int) AS n),
     new_members AS (
       INSERT INTO members (email, display_name) SELECT $4 || '-' || n || '@bench.example', label FROM people RETURNING id, display_name),
     new_accounts AS (
       INSERT INTO accounts (currency_id, kind, name, lower_limit) SELECT $2, 'member', label, $5 FROM people RETURNING id, name)
     INSERT INTO memberships (member_id, community_id, currency_id, account_id, role, status, approved_at)
     SELECT m.id, $1, $2, a.id, p.role, 'active', now()
       FROM people p JOIN new_members m ON m.display_name = p.label JOIN new_accounts a ON a.name = p.label
     RETURNING member_id, account_id, role`,
    [communityId, currencyId, MEMBERS, runId, MEMBER_LOWER_LIMIT],
  );
  if (rows.length !== MEMBERS + 1)
    throw new Error(`admitting members made ${rows.length} memberships, not ${MEMBERS + 1}`);
  return rows.map((row) => ({ memberId: row.member_id, accountId: row.account_id, role: row.role }));
}

/** A live session per member, stored as the server stores one (SHA-256 of each token); the access tokens, in order. */
async function startSessions(client, memberIds) {
  const newToken = (prefix) => prefix + randomBytes(32).toString('base64url');
  const sha256 = (token) => createHash('sha256').update(token).digest('hex');
  const accessTokens = memberIds.map(() => newToken('pa_'));
  const refreshTokens = memberIds.map(() => newToken('pr_'));
  await client.query(
    `INSERT INTO sessions (member_id, access_token_hash, access_expires_at, refresh_token_hash, refresh_expires_at)
     SELECT s.member_id, s.access_hash, now() + $4::interval, s.refresh_hash, now() + $5::interval
       FROM unnest($1::bigint[], $2::text[], $3::text[]) AS s(member_id, access_hash, refresh_hash)`,
    [memberIds, accessTokens.map(sha256), refreshTokens.map(sha256), ACCESS_TOKEN_LIFETIME, REFRESH_TOKEN_LIFETIME],
  );
  return accessTokens;
}

/**
 * One statement per chunk, through the ledger's own write path. Not one statement for all: each
 * call takes a transaction-scoped advisory lock, and 10,000 of them would overflow the lock table.
 */
async function fundMembers(client, runId, issuanceId, memberIds) {
  const { rows } = await client.query(
    `SELECT r.outcome, count(*)::int AS n
       FROM unnest($1::bigint[]) AS m(id),
            LATERAL ledger_create_transfer($2 || m.id, $3, $4, m.id, $5, 'starter_grant', '', '{}'::jsonb) AS r
      GROUP BY r.outcome`,
    [memberIds, `${runId}-grant-`, RAW_REQUEST_HASH, issuanceId, STARTING_GRANT],
  );
  const created = rows.find((row) => row.outcome === 'created')?.n ?? 0;
  if (created !== memberIds.length) throw new Error(`funding members failed: ${JSON.stringify(rows)}`);
}
