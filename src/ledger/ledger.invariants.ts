import { DataSource } from 'typeorm';

/**
 * The ledger's invariant check (QUALITY.md). Tests run it after every db and e2e scenario; the
 * audit feature will run it on demand and on a schedule. Each check is one SQL query returning
 * the offending rows, so a failure says exactly what is wrong.
 */
export interface InvariantViolation {
  check: string;
  rows: Record<string, unknown>[];
}

const FIRST_OFFENDERS = 10;

export const LEDGER_INVARIANTS: Record<string, string> = {
  'postings of each currency sum to zero': `
    SELECT currency_id, sum(amount) AS total FROM postings GROUP BY currency_id HAVING sum(amount) <> 0`,
  'debits equal credits in each currency, posted and pending': `
    SELECT currency_id, sum(posted_debits) AS posted_debits, sum(posted_credits) AS posted_credits,
           sum(pending_debits) AS pending_debits, sum(pending_credits) AS pending_credits
      FROM accounts GROUP BY currency_id
    HAVING sum(posted_debits) <> sum(posted_credits) OR sum(pending_debits) <> sum(pending_credits)`,
  'each account equals the sum of its postings, with versions 1..n': `
    SELECT a.id, a.posted_debits, a.posted_credits, a.version, p.debits, p.credits, p.postings, p.max_version
      FROM accounts a
      LEFT JOIN (SELECT account_id, -sum(amount) FILTER (WHERE amount < 0) AS debits, sum(amount) FILTER (WHERE amount > 0) AS credits,
                        count(*) AS postings, max(account_version) AS max_version, min(account_version) AS min_version
                   FROM postings GROUP BY account_id) p ON p.account_id = a.id
     WHERE a.posted_debits <> coalesce(p.debits, 0) OR a.posted_credits <> coalesce(p.credits, 0)
        OR a.version <> coalesce(p.postings, 0) OR coalesce(p.max_version, 0) <> coalesce(p.postings, 0)
        OR coalesce(p.min_version, 1) <> 1`,
  'each posting balance follows from the previous one': `
    SELECT id, account_id, account_version, amount, balance_after, previous_balance
      FROM (SELECT p.*, lag(balance_after, 1, 0::bigint) OVER (PARTITION BY account_id ORDER BY account_version) AS previous_balance
              FROM postings p) chained
     WHERE balance_after <> previous_balance + amount`,
  'every account lies within its limits': `
    SELECT id, lower_limit, upper_limit, posted_credits - posted_debits AS balance, pending_debits, pending_credits
      FROM accounts
     WHERE (lower_limit IS NOT NULL AND posted_credits - posted_debits - pending_debits < lower_limit)
        OR (upper_limit IS NOT NULL AND posted_credits + pending_credits - posted_debits > upper_limit)`,
  'each transfer has exactly its debit and its credit posting': `
    SELECT t.id, count(p.id) AS postings, coalesce(sum(p.amount), 0) AS net
      FROM transfers t LEFT JOIN postings p ON p.transfer_id = t.id
     GROUP BY t.id
    HAVING count(p.id) <> 2 OR coalesce(sum(p.amount), 0) <> 0
        OR count(*) FILTER (WHERE p.account_id = t.debit_account_id AND p.amount = -t.amount) <> 1
        OR count(*) FILTER (WHERE p.account_id = t.credit_account_id AND p.amount = t.amount) <> 1`,
  'no idempotency key both succeeded and failed': `
    SELECT f.idempotency_key FROM transfer_failures f JOIN transfers t USING (idempotency_key)`,
};

/**
 * Runs every check inside one REPEATABLE READ snapshot, so that concurrent writers cannot make a
 * sound ledger look unsound.
 */
export async function checkLedgerInvariants(dataSource: DataSource): Promise<InvariantViolation[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const violations: InvariantViolation[] = [];
    for (const [check, sql] of Object.entries(LEDGER_INVARIANTS)) {
      const rows = (await runner.query(`${sql} LIMIT ${FIRST_OFFENDERS}`)) as Record<string, unknown>[];
      if (rows.length > 0) violations.push({ check, rows });
    }
    await runner.query('COMMIT');
    return violations;
  } finally {
    await runner.release();
  }
}
