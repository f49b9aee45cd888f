import { DataSource, QueryRunner } from 'typeorm';
import { localStatementTimeout } from '../../libs/database/transactional-connection.js';

/**
 * The ledger's invariant check (docs/testing.md). Tests run it after every db and e2e scenario; the
 * audit feature runs it on demand and on a schedule. Each check is one SQL query returning the
 * offending rows, so a failure says exactly what is wrong; every row names its currency, so that a
 * check can be scoped to one community's.
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
    SELECT a.id, a.currency_id, a.posted_debits, a.posted_credits, a.version, p.debits, p.credits, p.postings, p.max_version
      FROM accounts a
      LEFT JOIN (SELECT account_id, -sum(amount) FILTER (WHERE amount < 0) AS debits, sum(amount) FILTER (WHERE amount > 0) AS credits,
                        count(*) AS postings, max(account_version) AS max_version, min(account_version) AS min_version
                   FROM postings GROUP BY account_id) p ON p.account_id = a.id
     WHERE a.posted_debits <> coalesce(p.debits, 0) OR a.posted_credits <> coalesce(p.credits, 0)
        OR a.version <> coalesce(p.postings, 0) OR coalesce(p.max_version, 0) <> coalesce(p.postings, 0)
        OR coalesce(p.min_version, 1) <> 1`,
  'each posting balance follows from the previous one': `
    SELECT id, account_id, currency_id, account_version, amount, balance_after, previous_balance
      FROM (SELECT p.*, lag(balance_after, 1, 0::bigint) OVER (PARTITION BY account_id ORDER BY account_version) AS previous_balance
              FROM postings p) chained
     WHERE balance_after <> previous_balance + amount`,
  'every account lies within its limits': `
    SELECT id, currency_id, lower_limit, upper_limit, posted_credits - posted_debits AS balance, pending_debits, pending_credits
      FROM accounts
     WHERE (lower_limit IS NOT NULL AND posted_credits - posted_debits - pending_debits < lower_limit)
        OR (upper_limit IS NOT NULL AND posted_credits + pending_credits - posted_debits > upper_limit)`,
  'each transfer has exactly its postings: a debit and a credit, or none while pending or voided': `
    SELECT t.id, t.currency_id, t.kind, count(p.id) AS postings, coalesce(sum(p.amount), 0) AS net
      FROM transfers t LEFT JOIN postings p ON p.transfer_id = t.id
     GROUP BY t.id
    HAVING count(p.id) <> CASE WHEN t.kind IN ('pending', 'void_pending') THEN 0 ELSE 2 END
        OR coalesce(sum(p.amount), 0) <> 0
        OR count(p.id) <> count(*) FILTER (WHERE (p.account_id = t.debit_account_id AND p.amount = -t.amount)
                                              OR (p.account_id = t.credit_account_id AND p.amount = t.amount))`,
  'pending debits and credits equal the open pending transfers': `
    SELECT a.id, a.currency_id, a.pending_debits, a.pending_credits, coalesce(o.debits, 0) AS open_debits, coalesce(o.credits, 0) AS open_credits
      FROM accounts a
      LEFT JOIN (SELECT account_id, sum(debit) AS debits, sum(credit) AS credits
                   FROM (SELECT t.debit_account_id AS account_id, t.amount AS debit, 0 AS credit FROM transfers t
                          WHERE t.kind = 'pending' AND NOT EXISTS (SELECT 1 FROM transfers r WHERE r.pending_id = t.id)
                         UNION ALL
                         SELECT t.credit_account_id, 0, t.amount FROM transfers t
                          WHERE t.kind = 'pending' AND NOT EXISTS (SELECT 1 FROM transfers r WHERE r.pending_id = t.id)) open_sides
                  GROUP BY account_id) o ON o.account_id = a.id
     WHERE a.pending_debits <> coalesce(o.debits, 0) OR a.pending_credits <> coalesce(o.credits, 0)`,
  'each resolution settles one pending transfer, within its amount': `
    SELECT r.id, r.currency_id, r.kind, r.amount, r.pending_id, p.kind AS pending_kind, p.amount AS pending_amount
      FROM transfers r LEFT JOIN transfers p ON p.id = r.pending_id
     WHERE r.pending_id IS NOT NULL
       AND (p.kind IS DISTINCT FROM 'pending' OR r.debit_account_id <> p.debit_account_id OR r.credit_account_id <> p.credit_account_id
            OR (r.kind = 'post_pending' AND r.amount > p.amount) OR (r.kind = 'void_pending' AND r.amount <> p.amount)
            OR EXISTS (SELECT 1 FROM transfers other WHERE other.pending_id = r.pending_id AND other.id <> r.id))`,
  'each reversal mirrors the posted transfer it reverses': `
    SELECT r.id, r.currency_id, r.reverses_id
      FROM transfers r LEFT JOIN transfers o ON o.id = r.reverses_id
     WHERE r.reverses_id IS NOT NULL
       AND (o.id IS NULL OR o.kind NOT IN ('direct', 'post_pending') OR r.amount <> o.amount
            OR r.debit_account_id <> o.credit_account_id OR r.credit_account_id <> o.debit_account_id
            OR EXISTS (SELECT 1 FROM transfers other WHERE other.reverses_id = r.reverses_id AND other.id <> r.id))`,
  // The joins above start from transfers; a posting whose transfer is gone would escape them all.
  'every posting belongs to a transfer': `
    SELECT p.id, p.currency_id, p.transfer_id, p.account_id, p.amount FROM postings p
     WHERE NOT EXISTS (SELECT 1 FROM transfers t WHERE t.id = p.transfer_id)`,
  'each transfer moves money between two accounts of its currency': `
    SELECT t.id, t.currency_id, d.currency_id AS debit_currency_id, c.currency_id AS credit_currency_id
      FROM transfers t LEFT JOIN accounts d ON d.id = t.debit_account_id LEFT JOIN accounts c ON c.id = t.credit_account_id
     WHERE d.currency_id IS DISTINCT FROM t.currency_id OR c.currency_id IS DISTINCT FROM t.currency_id`,
  'no idempotency key both succeeded and failed': `
    SELECT f.idempotency_scope, f.idempotency_key, t.currency_id FROM transfer_failures f JOIN transfers t USING (idempotency_scope, idempotency_key)`,
  'each membership holds a member account, and a closed one left it closed and settled': `
    SELECT m.id, m.currency_id, m.status, a.id AS account_id, a.kind, a.status AS account_status,
           a.posted_credits - a.posted_debits AS balance, a.pending_debits, a.pending_credits
      FROM memberships m JOIN accounts a ON a.id = m.account_id
     WHERE a.kind <> 'member'
        OR (m.status = 'closed' AND (a.status <> 'closed' OR a.posted_credits <> a.posted_debits OR a.pending_debits <> 0 OR a.pending_credits <> 0))`,
  "each exchange's hold agrees with its state: open while under way, settled once it ends": `
    SELECT e.id, ra.currency_id, e.status, h.kind AS hold_kind, h.amount AS hold_amount, r.kind AS resolution_kind
      FROM exchanges e
      JOIN accounts ra ON ra.id = e.receiver_account_id
      LEFT JOIN transfers h ON h.id = e.hold_transfer_id
      LEFT JOIN transfers r ON r.pending_id = e.hold_transfer_id
     WHERE (e.hold_transfer_id IS NOT NULL AND (h.id IS NULL OR h.kind <> 'pending' OR h.amount <> e.estimated_amount
                                               OR h.debit_account_id <> e.receiver_account_id OR h.credit_account_id <> e.provider_account_id))
        OR (e.status IN ('accepted', 'delivered', 'disputed') AND r.id IS NOT NULL)
        OR (e.status IN ('confirmed', 'resolved') AND r.id IS NULL)
        OR (e.status IN ('expired', 'cancelled') AND e.hold_transfer_id IS NOT NULL AND r.kind IS DISTINCT FROM 'void_pending')`,
  // Nobody but the exchange's own steps may resolve an exchange's hold: one with no exchange would stay open for ever.
  'every exchange hold belongs to its exchange': `
    SELECT t.id, t.currency_id, t.debit_account_id, t.credit_account_id, t.amount FROM transfers t
     WHERE t.code = 'exchange_hold' AND NOT EXISTS (SELECT 1 FROM exchanges e WHERE e.hold_transfer_id = t.id)`,
  // Tamper evidence (src/integrity): the chain must still match the ledger, link by link.
  'every chained transfer is still there': `
    SELECT c.currency_id, c.position, c.transfer_id FROM ledger_chain c
     WHERE NOT EXISTS (SELECT 1 FROM transfers t WHERE t.id = c.transfer_id)`,
  'each chained entry still hashes to its transfer and postings': `
    SELECT c.currency_id, c.position, c.transfer_id, encode(c.entry_hash, 'hex') AS chained_hash,
           encode(sha256(convert_to(ledger_entry_text(t, c.salts, d, cr), 'UTF8')), 'hex') AS ledger_hash
      FROM ledger_chain c JOIN transfers t ON t.id = c.transfer_id
      LEFT JOIN postings d ON d.transfer_id = t.id AND d.amount < 0
      LEFT JOIN postings cr ON cr.transfer_id = t.id AND cr.amount > 0
     WHERE c.entry_hash <> sha256(convert_to(ledger_entry_text(t, c.salts, d, cr), 'UTF8'))`,
  'each link of the hash chain follows from the one before': `
    SELECT currency_id, position, transfer_id, previous_position
      FROM (SELECT c.*, lag(c.chain_hash) OVER links AS previous_hash, lag(c.position) OVER links AS previous_position
              FROM ledger_chain c WINDOW links AS (PARTITION BY c.currency_id ORDER BY c.position)) c
     WHERE c.position <> coalesce(c.previous_position, 0) + 1
        OR c.chain_hash <> sha256(coalesce(c.previous_hash, decode(repeat('00', 32), 'hex')) || c.entry_hash)`,
  'each chain head is the last link of its chain': `
    SELECT h.currency_id, h.position, last.position AS last_position
      FROM ledger_chain_heads h
      LEFT JOIN LATERAL (SELECT c.position, c.chain_hash FROM ledger_chain c WHERE c.currency_id = h.currency_id
                          ORDER BY c.position DESC LIMIT 1) last ON true
     WHERE last.position IS DISTINCT FROM h.position OR last.chain_hash IS DISTINCT FROM h.chain_hash`,
  'every transfer the chainer has passed is chained': `
    SELECT t.id, t.currency_id FROM transfers t JOIN ledger_chain_horizon h ON t.id <= h.chained_through
     WHERE NOT EXISTS (SELECT 1 FROM ledger_chain c WHERE c.transfer_id = t.id)`,
  'each checkpoint commits to its chain and to the checkpoint before': `
    SELECT k.currency_id, k.id, k.sequence, k.position
      FROM (SELECT k.*, lag(k.checkpoint_hash) OVER w AS prior_hash, lag(k.position) OVER w AS prior_position,
                   lag(k.sequence) OVER w AS prior_sequence
              FROM ledger_checkpoints k WINDOW w AS (PARTITION BY k.currency_id ORDER BY k.sequence)) k
      LEFT JOIN ledger_chain c ON c.currency_id = k.currency_id AND c.position = k.position
     WHERE k.sequence <> coalesce(k.prior_sequence, 0) + 1 OR k.from_position <> coalesce(k.prior_position, 0)
        OR k.previous_hash <> coalesce(k.prior_hash, decode(repeat('00', 32), 'hex'))
        OR c.chain_hash IS DISTINCT FROM k.chain_hash
        OR k.checkpoint_hash <> sha256(convert_to(concat_ws('|', 'pumasi-checkpoint-v1', k.currency_id, k.sequence, k.from_position, k.position,
                                                            encode(k.chain_hash, 'hex'), encode(k.merkle_root, 'hex'), encode(k.previous_hash, 'hex')), 'UTF8'))`,
  'each closed period still holds the balances it closed on': `
    SELECT period.currency_id, closed.period_id, closed.account_id, closed.balance, coalesce(sum(p.amount), 0) AS ledger_balance
      FROM ledger_period_balances closed JOIN ledger_periods period ON period.id = closed.period_id
      LEFT JOIN postings p ON p.account_id = closed.account_id AND p.created_at < period.closed_through + interval '1 millisecond'
     GROUP BY period.currency_id, closed.period_id, closed.account_id, closed.balance
    HAVING closed.balance <> coalesce(sum(p.amount), 0)`,
};

/** Runs every check in one REPEATABLE READ snapshot, so that concurrent writers cannot make a sound ledger look unsound. */
async function inOneSnapshot(
  dataSource: DataSource,
  offenders: (runner: QueryRunner, sql: string) => Promise<Record<string, unknown>[]>,
  statementTimeoutMs?: number,
): Promise<InvariantViolation[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    if (statementTimeoutMs !== undefined) await runner.query(localStatementTimeout(statementTimeoutMs));
    const violations: InvariantViolation[] = [];
    for (const [check, sql] of Object.entries(LEDGER_INVARIANTS)) {
      const rows = await offenders(runner, sql);
      if (rows.length > 0) violations.push({ check, rows });
    }
    await runner.query('COMMIT');
    return violations;
  } finally {
    await runner.release();
  }
}

/** The whole ledger, or one community's currencies: the first offenders of each failed check. */
export async function checkLedgerInvariants(
  dataSource: DataSource,
  scope: { communityId?: string; statementTimeoutMs?: number } = {},
): Promise<InvariantViolation[]> {
  return inOneSnapshot(
    dataSource,
    async (runner, sql) => {
      const scoped = scope.communityId
        ? `SELECT * FROM (${sql}) offending WHERE currency_id IN (SELECT id FROM currencies WHERE community_id = $1) LIMIT ${FIRST_OFFENDERS}`
        : `${sql} LIMIT ${FIRST_OFFENDERS}`;
      return (await runner.query(scoped, scope.communityId ? [scope.communityId] : [])) as Record<string, unknown>[];
    },
    scope.statementTimeoutMs,
  );
}

/**
 * One pass over the whole ledger, its findings split by currency (the first offenders of each),
 * so that a schedule checking many communities reads the ledger once, not once per community.
 */
export async function checkLedgerInvariantsByCurrency(
  dataSource: DataSource,
  statementTimeoutMs?: number,
): Promise<Map<string, InvariantViolation[]>> {
  const violations = await inOneSnapshot(
    dataSource,
    async (runner, sql) =>
      (await runner.query(`SELECT * FROM (SELECT offending.*, row_number() OVER (PARTITION BY offending.currency_id) AS offender_rank FROM (${sql}) offending) ranked
                          WHERE offender_rank <= ${FIRST_OFFENDERS}`)) as Record<string, unknown>[],
    statementTimeoutMs,
  );
  const byCurrency = new Map<string, InvariantViolation[]>();
  for (const { check, rows } of violations) {
    for (const { offender_rank: _rank, ...row } of rows) {
      const currencyId = String(row.currency_id);
      const found = byCurrency.get(currencyId) ?? [];
      const violation =
        found.find((candidate) => candidate.check === check) ?? found[found.push({ check, rows: [] }) - 1];
      violation.rows.push(row);
      byCurrency.set(currencyId, found);
    }
  }
  return byCurrency;
}
