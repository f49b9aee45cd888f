// The yardstick of issue 14: what a transfer costs in PostgreSQL with nothing but its bare rules,
// measured in the same run as Pumasi's ledger_create_transfer, so that their ratio says how much the
// ledger pays for more than that. It lives in the run's scratch database only, in tables of its own,
// so the ledger (and its invariant check) never sees it.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One round trip: both accounts locked in id order, the transfer under a unique key, two balance
 * updates with versions, two postings carrying the balance after and the version.
 */
const MINIMAL_TRANSFER = `
  CREATE TABLE bench_minimal_accounts (id bigint PRIMARY KEY, balance bigint NOT NULL DEFAULT 0, version bigint NOT NULL DEFAULT 0);
  CREATE TABLE bench_minimal_transfers (id bigserial PRIMARY KEY, key text NOT NULL UNIQUE,
    debit bigint NOT NULL, credit bigint NOT NULL, amount bigint NOT NULL);
  CREATE TABLE bench_minimal_postings (transfer_id bigint NOT NULL, account_id bigint NOT NULL,
    amount bigint NOT NULL, balance_after bigint NOT NULL, version bigint NOT NULL);
  CREATE FUNCTION bench_minimal_transfer(p_key text, p_debit bigint, p_credit bigint, p_amount bigint)
    RETURNS bigint LANGUAGE plpgsql AS $$
  DECLARE v_id bigint; v_debit record; v_credit record;
  BEGIN
    PERFORM 1 FROM bench_minimal_accounts WHERE id IN (p_debit, p_credit) ORDER BY id FOR UPDATE;
    INSERT INTO bench_minimal_transfers (key, debit, credit, amount) VALUES (p_key, p_debit, p_credit, p_amount)
      RETURNING id INTO v_id;
    UPDATE bench_minimal_accounts SET balance = balance - p_amount, version = version + 1 WHERE id = p_debit
      RETURNING balance, version INTO v_debit;
    UPDATE bench_minimal_accounts SET balance = balance + p_amount, version = version + 1 WHERE id = p_credit
      RETURNING balance, version INTO v_credit;
    INSERT INTO bench_minimal_postings VALUES (v_id, p_debit, -p_amount, v_debit.balance, v_debit.version),
                                              (v_id, p_credit, p_amount, v_credit.balance, v_credit.version);
    RETURN v_id;
  END $$;
  -- pgbench picks accounts by number: both of its scripts look them up here alike.
  CREATE TABLE bench_member_accounts (n int PRIMARY KEY, account_id bigint NOT NULL);`;

/** Creates the yardstick beside the ledger, with an account of its own for each member's (same ids). */
export async function setUpMinimalTransfer(pool, memberAccountIds) {
  await pool.query(MINIMAL_TRANSFER);
  await pool.query('INSERT INTO bench_minimal_accounts (id) SELECT unnest($1::bigint[])', [memberAccountIds]);
  await pool.query(
    'INSERT INTO bench_member_accounts (n, account_id) SELECT n, id FROM unnest($1::bigint[]) WITH ORDINALITY AS a(id, n)',
    [memberAccountIds],
  );
}

/** The yardstick through the benchmark's own load generator, as rawSql drives ledger_create_transfer. */
export function minimalSqlOperation(pool, pickPair, newKey) {
  const statement = { name: 'bench_minimal_transfer', text: 'SELECT bench_minimal_transfer($1, $2, $3, 1) AS id' };
  return async () => {
    const [debit, credit] = pickPair();
    try {
      await pool.query({ ...statement, values: [newKey(), debit, credit] });
      return { ok: 1 };
    } catch (error) {
      return { errors: [error.code ?? 'SQL_ERROR'] };
    }
  };
}

/** Two different members, by number, then the transfer: the same for both pgbench scripts. */
const pgbenchScript = (members, call) => `\\set d random(1, ${members})
\\set c random(1, ${members - 1})
\\set c case when :c >= :d then :c + 1 else :c end
${call.replace(/:debit/g, '(SELECT account_id FROM bench_member_accounts WHERE n = :d)').replace(/:credit/g, '(SELECT account_id FROM bench_member_accounts WHERE n = :c)')};
`;

export const PGBENCH_CALLS = {
  ledger: `SELECT outcome FROM ledger_create_transfer(gen_random_uuid()::text, repeat('0', 64), :debit, :credit, 1, 'payment', '', '{}'::jsonb)`,
  minimal: 'SELECT bench_minimal_transfer(gen_random_uuid()::text, :debit, :credit, 1)',
};

/** Whether pgbench is on this machine (the figures came from it). */
export function pgbenchAvailable() {
  return new Promise((done) => execFile('pgbench', ['--version'], (error) => done(!error)));
}

/**
 * Transactions per second of each call (by default `ledger_create_transfer` and the yardstick), each
 * by pgbench for `seconds` with `clients` connections, one after the other on the same database.
 * In a call, `:debit` and `:credit` are two different members' accounts, `:d` the debit member's number.
 */
export async function pgbenchTps(databaseUrl, { members, clients, seconds, calls = PGBENCH_CALLS }) {
  const dir = mkdtempSync(join(tmpdir(), 'pumasi-pgbench-'));
  try {
    const tps = {};
    for (const [name, call] of Object.entries(calls)) {
      const script = join(dir, `${name}.sql`);
      writeFileSync(script, pgbenchScript(members, call));
      const args = ['-n', '-c', String(clients), '-j', '2', '-T', String(seconds), '-f', script, databaseUrl];
      const output = await new Promise((done, fail) =>
        execFile('pgbench', args, { maxBuffer: 1 << 20 }, (error, stdout, stderr) =>
          error ? fail(new Error(`pgbench ${name}: ${stderr || error.message}`)) : done(stdout),
        ),
      );
      const match = /tps = ([\d.]+) \(without initial connection time\)/.exec(output);
      if (!match) throw new Error(`pgbench ${name}: no tps in its output:\n${output}`);
      tps[name] = Number(match[1]);
    }
    return tps;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
