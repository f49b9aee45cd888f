import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14, the ledger's write function: the same rules, with fewer index entries, fewer per-row
 * foreign-key checks and fewer statements per transfer.
 * - transfers → currencies: dropped. A transfer's (debit account, currency) and (credit account,
 *   currency) must be an account's (composite foreign keys), and an account's currency is a
 *   currency (its own foreign key), so this one checked nothing more; it cost a lookup per transfer
 *   and a share lock on the currency's row, taken by every transfer of the currency at once.
 * - postings → transfers and postings → accounts: their per-row checks become part of the check that
 *   already runs once per statement over its new postings (ledger_check_new_postings): each posting
 *   names a transfer (it did), is on one of its two accounts (it did) and in its currency (new), and
 *   the transfer's own foreign keys make that account an account of that currency. Transfers are
 *   never deleted (append-only triggers), and an account with postings has transfers, whose foreign
 *   keys still refuse its deletion.
 * - pending_id and reverses_id stay unique, through partial indexes holding only the transfers that
 *   name one (a resolution, a reversal): a direct payment no longer writes two entries of NULL.
 * - The three partial indexes on transfers' timeouts are dropped: due holds are found in
 *   ledger_open_holds (1764440000000-open-holds), and nothing reads transfers by timeout any more.
 * - ledger_post moves both accounts in one UPDATE: the accounts' CHECK constraints are prepared once
 *   per transfer instead of once per side.
 * - accounts are written with free room on each page (fillfactor 80), so that the updates of a
 *   transfer stay on the row's page (HOT) and write no index entry.
 */
export class LeanTransferWrites1764480000000 implements MigrationInterface {
  name = 'LeanTransferWrites1764480000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE transfers DROP CONSTRAINT "${TRANSFERS_CURRENCY_FK}"`);
    await queryRunner.query(`ALTER TABLE postings DROP CONSTRAINT "${POSTINGS_TRANSFER_FK}"`);
    await queryRunner.query(`ALTER TABLE postings DROP CONSTRAINT "${POSTINGS_ACCOUNT_FK}"`);
    for (const [column, constraint, index] of ONE_RESOLUTION) {
      await queryRunner.query(`ALTER TABLE transfers DROP CONSTRAINT "${constraint}"`);
      await queryRunner.query(`CREATE UNIQUE INDEX "${index}" ON transfers (${column}) WHERE ${column} IS NOT NULL`);
    }
    for (const [index] of TIMEOUT_INDEXES) await queryRunner.query(`DROP INDEX "${index}"`);
    await queryRunner.query(CHECK_NEW_POSTINGS);
    await queryRunner.query(POST);
    await queryRunner.query('ALTER TABLE accounts SET (fillfactor = 80)');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE accounts RESET (fillfactor)');
    await queryRunner.query(OLD_POST);
    await queryRunner.query(OLD_CHECK_NEW_POSTINGS);
    for (const [index, definition] of TIMEOUT_INDEXES) await queryRunner.query(`CREATE INDEX "${index}" ${definition}`);
    for (const [column, constraint, index] of ONE_RESOLUTION) {
      await queryRunner.query(`DROP INDEX "${index}"`);
      await queryRunner.query(`ALTER TABLE transfers ADD CONSTRAINT "${constraint}" UNIQUE (${column})`);
    }
    await queryRunner.query(
      `ALTER TABLE postings ADD CONSTRAINT "${POSTINGS_ACCOUNT_FK}" FOREIGN KEY (account_id, currency_id) REFERENCES accounts(id, currency_id) ON DELETE RESTRICT`,
    );
    await queryRunner.query(
      `ALTER TABLE postings ADD CONSTRAINT "${POSTINGS_TRANSFER_FK}" FOREIGN KEY (transfer_id) REFERENCES transfers(id) ON DELETE RESTRICT`,
    );
    await queryRunner.query(
      `ALTER TABLE transfers ADD CONSTRAINT "${TRANSFERS_CURRENCY_FK}" FOREIGN KEY (currency_id) REFERENCES currencies(id) ON DELETE RESTRICT`,
    );
  }
}

const TRANSFERS_CURRENCY_FK = 'FK_d36f622e7a7df58a89a9036b8e3';
const POSTINGS_TRANSFER_FK = 'FK_08ef710a90989383d2a9bed0d11';
const POSTINGS_ACCOUNT_FK = 'FK_bbdbd9d996f2b82266315f29259';

/** Column, the unique constraint it had, the partial unique index that replaces it. */
const ONE_RESOLUTION = [
  ['pending_id', 'UQ_02112bf51d07cd552c793d42abc', 'UQ_transfers_pending_id'],
  ['reverses_id', 'UQ_5ade0b2d33cfc53e13765c561a1', 'UQ_transfers_reverses_id'],
] as const;

const TIMEOUT_INDEXES = [
  ['IDX_transfers_pending_timeout', 'ON transfers (timeout_at) WHERE timeout_at IS NOT NULL'],
  ['IDX_transfers_timed_holds_debit', 'ON transfers (debit_account_id, timeout_at) WHERE timeout_at IS NOT NULL'],
  ['IDX_transfers_timed_holds_credit', 'ON transfers (credit_account_id, timeout_at) WHERE timeout_at IS NOT NULL'],
] as const;

const CHECK_NEW_POSTINGS = `CREATE OR REPLACE FUNCTION public.ledger_check_new_postings()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
DECLARE
  v_transfer_id bigint;
BEGIN
  -- Each posting the statement wrote is one side of a transfer that moves money: the debit
  -- account's with the amount negative, or the credit account's with it positive, in the
  -- transfer's currency (so, with the transfer's own foreign keys, on an account of that currency:
  -- postings need no foreign keys of their own). With at most one posting per transfer and account
  -- (a unique constraint), a transfer never has more than its two; the deferred check on transfers
  -- makes sure it has both by commit.
  SELECT p.transfer_id INTO v_transfer_id FROM new_postings p LEFT JOIN transfers t ON t.id = p.transfer_id
   WHERE t.id IS NULL OR t.kind NOT IN ('direct', 'post_pending') OR p.currency_id <> t.currency_id
      OR NOT ((p.account_id = t.debit_account_id AND p.amount = -t.amount) OR (p.account_id = t.credit_account_id AND p.amount = t.amount))
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'a posting of transfer % is not one side of it: a transfer that moves money has a posting of its amount on each account, in its currency',
      v_transfer_id USING ERRCODE = 'PL002';
  END IF;
  RETURN NULL;
END $function$`;

const OLD_CHECK_NEW_POSTINGS = `CREATE OR REPLACE FUNCTION public.ledger_check_new_postings()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
DECLARE
  v_transfer_id bigint;
BEGIN
  -- Each posting the statement wrote is one side of a transfer that moves money: the debit
  -- account's with the amount negative, or the credit account's with it positive. With at most one
  -- posting per transfer and account (a unique constraint), a transfer never has more than its two;
  -- the deferred check on transfers makes sure it has both by commit.
  SELECT p.transfer_id INTO v_transfer_id FROM new_postings p LEFT JOIN transfers t ON t.id = p.transfer_id
   WHERE t.id IS NULL OR t.kind NOT IN ('direct', 'post_pending')
      OR NOT ((p.account_id = t.debit_account_id AND p.amount = -t.amount) OR (p.account_id = t.credit_account_id AND p.amount = t.amount))
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'a posting of transfer % is not one side of it: a transfer that moves money has a posting of its amount on each account',
      v_transfer_id USING ERRCODE = 'PL002';
  END IF;
  RETURN NULL;
END $function$`;

const POST = `CREATE OR REPLACE FUNCTION public.ledger_post(p_transfer_id bigint, p_debit_account_id bigint, p_credit_account_id bigint, p_amount bigint, p_at timestamp with time zone)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
BEGIN
  -- One statement, one UPDATE: each account's totals and version move, and its posting records what
  -- they became (the debit's first). One UPDATE, not one per side, so that the accounts' CHECK
  -- constraints are prepared once.
  WITH moved AS (
    UPDATE accounts a SET posted_debits = a.posted_debits + CASE WHEN a.id = p_debit_account_id THEN p_amount ELSE 0 END,
                          posted_credits = a.posted_credits + CASE WHEN a.id = p_credit_account_id THEN p_amount ELSE 0 END,
                          version = a.version + 1
     WHERE a.id IN (p_debit_account_id, p_credit_account_id)
    RETURNING a.id, a.currency_id, a.posted_credits - a.posted_debits AS balance, a.version)
  INSERT INTO postings (transfer_id, account_id, currency_id, amount, balance_after, account_version, created_at)
    SELECT p_transfer_id, m.id, m.currency_id, CASE WHEN m.id = p_debit_account_id THEN -p_amount ELSE p_amount END, m.balance, m.version, p_at
      FROM moved m
     ORDER BY m.id = p_credit_account_id;
END $function$`;

const OLD_POST = `CREATE OR REPLACE FUNCTION public.ledger_post(p_transfer_id bigint, p_debit_account_id bigint, p_credit_account_id bigint, p_amount bigint, p_at timestamp with time zone)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
BEGIN
  -- One statement: each account's totals and version move, and its posting records what they became.
  WITH debit AS (
    UPDATE accounts a SET posted_debits = a.posted_debits + p_amount, version = a.version + 1 WHERE a.id = p_debit_account_id
    RETURNING a.currency_id, a.posted_credits - a.posted_debits AS balance, a.version),
  credit AS (
    UPDATE accounts a SET posted_credits = a.posted_credits + p_amount, version = a.version + 1 WHERE a.id = p_credit_account_id
    RETURNING a.posted_credits - a.posted_debits AS balance, a.version)
  INSERT INTO postings (transfer_id, account_id, currency_id, amount, balance_after, account_version, created_at)
    SELECT p_transfer_id, p_debit_account_id, debit.currency_id, -p_amount, debit.balance, debit.version, p_at FROM debit
    UNION ALL
    SELECT p_transfer_id, p_credit_account_id, debit.currency_id, p_amount, credit.balance, credit.version, p_at FROM debit, credit;
END $function$`;
