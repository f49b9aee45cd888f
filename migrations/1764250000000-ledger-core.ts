import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger's tables, and the rules the database itself enforces on them:
 * - history (transfers, postings, failed keys) is append-only;
 * - every transfer's postings are exactly its debit and its credit, netting to zero;
 * - `ledger_create_transfer` is the one write path: it locks accounts in ascending id order,
 *   checks status and limits, applies atomic increments and writes both postings.
 */
export class LedgerCore1764250000000 implements MigrationInterface {
  name = 'LedgerCore1764250000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "communities" ("id" BIGSERIAL NOT NULL, "slug" character varying(64) NOT NULL, "name" character varying(200) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_42d5225a80ac87aa1254dfe282c" UNIQUE ("slug"), CONSTRAINT "PK_fea1fe83c86ccde9d0a089e7ea2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "currencies" ("id" BIGSERIAL NOT NULL, "community_id" bigint NOT NULL, "code" character varying(16) NOT NULL, "name" character varying(100) NOT NULL, "symbol" character varying(16) NOT NULL, "minor_units_per_unit" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_currencies_community_code" UNIQUE ("community_id", "code"), CONSTRAINT "CHK_currencies_minor_units" CHECK ("minor_units_per_unit" BETWEEN 1 AND 1000000), CONSTRAINT "CHK_currencies_code_format" CHECK ("code" ~ '^[A-Z][A-Z0-9]{1,15}$'), CONSTRAINT "PK_d528c54860c4182db13548e08c4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "accounts" ("id" BIGSERIAL NOT NULL, "currency_id" bigint NOT NULL, "kind" character varying(16) NOT NULL, "name" character varying(200) NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'open', "posted_debits" bigint NOT NULL DEFAULT '0', "posted_credits" bigint NOT NULL DEFAULT '0', "pending_debits" bigint NOT NULL DEFAULT '0', "pending_credits" bigint NOT NULL DEFAULT '0', "lower_limit" bigint, "upper_limit" bigint, "version" bigint NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_accounts_id_currency" UNIQUE ("id", "currency_id"), CONSTRAINT "CHK_accounts_within_upper_limit" CHECK ("upper_limit" IS NULL OR "posted_credits" + "pending_credits" - "posted_debits" <= "upper_limit"), CONSTRAINT "CHK_accounts_within_lower_limit" CHECK ("lower_limit" IS NULL OR "posted_credits" - "posted_debits" - "pending_debits" >= "lower_limit"), CONSTRAINT "CHK_accounts_limits_ordered" CHECK ("lower_limit" IS NULL OR "upper_limit" IS NULL OR "lower_limit" <= "upper_limit"), CONSTRAINT "CHK_accounts_totals_not_negative" CHECK ("posted_debits" >= 0 AND "posted_credits" >= 0 AND "pending_debits" >= 0 AND "pending_credits" >= 0 AND "version" >= 0), CONSTRAINT "CHK_accounts_status" CHECK ("status" IN ('open', 'frozen', 'closed')), CONSTRAINT "CHK_accounts_kind" CHECK ("kind" IN ('member', 'issuance', 'pool')), CONSTRAINT "PK_5a7a02c20412299d198e097a8fe" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_accounts_one_system_account_per_kind" ON "accounts"  ("currency_id", "kind") WHERE "kind" <> 'member'`,
    );
    await queryRunner.query(
      `CREATE TABLE "transfers" ("id" BIGSERIAL NOT NULL, "idempotency_key" character varying(128) NOT NULL, "request_hash" character(64) NOT NULL, "currency_id" bigint NOT NULL, "debit_account_id" bigint NOT NULL, "credit_account_id" bigint NOT NULL, "amount" bigint NOT NULL, "code" character varying(64) NOT NULL, "memo" character varying(500) NOT NULL DEFAULT '', "metadata" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_49061dae56a8d231067a8446a49" UNIQUE ("idempotency_key"), CONSTRAINT "CHK_transfers_distinct_accounts" CHECK ("debit_account_id" <> "credit_account_id"), CONSTRAINT "CHK_transfers_amount_positive" CHECK ("amount" > 0), CONSTRAINT "PK_f712e908b465e0085b4408cabc3" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_transfers_currency" ON "transfers"  ("currency_id", "id") `);
    await queryRunner.query(`CREATE INDEX "IDX_transfers_credit_account" ON "transfers"  ("credit_account_id", "id") `);
    await queryRunner.query(`CREATE INDEX "IDX_transfers_debit_account" ON "transfers"  ("debit_account_id", "id") `);
    await queryRunner.query(
      `CREATE TABLE "postings" ("id" BIGSERIAL NOT NULL, "transfer_id" bigint NOT NULL, "account_id" bigint NOT NULL, "currency_id" bigint NOT NULL, "amount" bigint NOT NULL, "balance_after" bigint NOT NULL, "account_version" bigint NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_postings_account_version" UNIQUE ("account_id", "account_version"), CONSTRAINT "CHK_postings_version_positive" CHECK ("account_version" > 0), CONSTRAINT "CHK_postings_amount_not_zero" CHECK ("amount" <> 0), CONSTRAINT "PK_6bdb1a5dc47d018aa7877aa9ffb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_postings_transfer" ON "postings"  ("transfer_id") `);
    await queryRunner.query(
      `CREATE TABLE "transfer_failures" ("idempotency_key" character varying(128) NOT NULL, "request_hash" character(64) NOT NULL, "code" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_455f2b0f91e5ae744a26e038cb3" PRIMARY KEY ("idempotency_key"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "currencies" ADD CONSTRAINT "FK_6e0bad676379f2d99f7cd8aaa7f" FOREIGN KEY ("community_id") REFERENCES "communities"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "accounts" ADD CONSTRAINT "FK_2b0d7a85ef19e9882a0e6587d8c" FOREIGN KEY ("currency_id") REFERENCES "currencies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "transfers" ADD CONSTRAINT "FK_d36f622e7a7df58a89a9036b8e3" FOREIGN KEY ("currency_id") REFERENCES "currencies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "transfers" ADD CONSTRAINT "FK_3ffb8667bb0f97779229207473f" FOREIGN KEY ("debit_account_id", "currency_id") REFERENCES "accounts"("id","currency_id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "transfers" ADD CONSTRAINT "FK_5199829654fd1d03d499d192950" FOREIGN KEY ("credit_account_id", "currency_id") REFERENCES "accounts"("id","currency_id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "postings" ADD CONSTRAINT "FK_08ef710a90989383d2a9bed0d11" FOREIGN KEY ("transfer_id") REFERENCES "transfers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "postings" ADD CONSTRAINT "FK_bbdbd9d996f2b82266315f29259" FOREIGN KEY ("account_id", "currency_id") REFERENCES "accounts"("id","currency_id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(APPEND_ONLY_GUARD);
    await queryRunner.query(TRANSFER_POSTINGS_GUARD);
    await queryRunner.query(CREATE_TRANSFER_FUNCTION);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION ledger_create_transfer`);
    for (const table of ['transfer_failures', 'postings', 'transfers', 'accounts', 'currencies', 'communities']) {
      await queryRunner.query(`DROP TABLE "${table}"`);
    }
    for (const fn of ['ledger_check_new_posting', 'ledger_check_new_transfer', 'ledger_assert_transfer_balanced']) {
      await queryRunner.query(`DROP FUNCTION ${fn}`);
    }
    await queryRunner.query(`DROP FUNCTION ledger_refuse_history_change`);
  }
}

const APPEND_ONLY_GUARD = `
CREATE FUNCTION ledger_refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger history is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'PL001', HINT = 'Correct a transfer with a reversing transfer.';
END $$;
CREATE TRIGGER transfers_append_only BEFORE UPDATE OR DELETE ON transfers
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_history_change();
CREATE TRIGGER transfers_no_truncate BEFORE TRUNCATE ON transfers
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_history_change();
CREATE TRIGGER postings_append_only BEFORE UPDATE OR DELETE ON postings
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_history_change();
CREATE TRIGGER postings_no_truncate BEFORE TRUNCATE ON postings
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_history_change();
CREATE TRIGGER transfer_failures_append_only BEFORE UPDATE OR DELETE ON transfer_failures
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_history_change();
CREATE TRIGGER transfer_failures_no_truncate BEFORE TRUNCATE ON transfer_failures
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_history_change();
`;

/*
 * Checked at commit (deferred), so a transfer and its postings may be written by separate
 * statements of one transaction, but never committed apart or unbalanced.
 */
const TRANSFER_POSTINGS_GUARD = `
CREATE FUNCTION ledger_assert_transfer_balanced(p_transfer_id bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_transfer transfers%ROWTYPE;
  v_matching int;
  v_total int;
BEGIN
  SELECT * INTO v_transfer FROM transfers WHERE id = p_transfer_id;
  SELECT count(*) FILTER (WHERE (p.account_id = v_transfer.debit_account_id AND p.amount = -v_transfer.amount)
                             OR (p.account_id = v_transfer.credit_account_id AND p.amount = v_transfer.amount)),
         count(*)
    INTO v_matching, v_total
    FROM postings p WHERE p.transfer_id = p_transfer_id;
  IF v_total <> 2 OR v_matching <> 2 THEN
    RAISE EXCEPTION 'transfer % must have exactly one debit and one credit posting of its amount, netting to zero', p_transfer_id
      USING ERRCODE = 'PL002';
  END IF;
END $$;
CREATE FUNCTION ledger_check_new_transfer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ledger_assert_transfer_balanced(NEW.id);
  RETURN NULL;
END $$;
CREATE FUNCTION ledger_check_new_posting() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ledger_assert_transfer_balanced(NEW.transfer_id);
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER transfers_postings_balanced AFTER INSERT ON transfers
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_new_transfer();
CREATE CONSTRAINT TRIGGER postings_belong_to_balanced_transfer AFTER INSERT ON postings
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_new_posting();
`;

/*
 * Returns one row: the outcome code, and the transfer for 'created' and 'exists'.
 * Refusals caused by the accounts' state are recorded in transfer_failures, so the key stays failed.
 */
const CREATE_TRANSFER_FUNCTION = `
CREATE FUNCTION ledger_create_transfer(
  p_idempotency_key text, p_request_hash text, p_debit_account_id bigint, p_credit_account_id bigint,
  p_amount bigint, p_code text, p_memo text, p_metadata jsonb)
RETURNS TABLE (outcome text, id bigint, currency_id bigint, created_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
  v_found_id bigint;
  v_found_hash text;
  v_failed_hash text;
  v_debit accounts%ROWTYPE;
  v_credit accounts%ROWTYPE;
  v_refusal text;
  v_transfer_id bigint;
  v_created_at timestamptz;
  v_debit_balance bigint;
  v_debit_version bigint;
  v_credit_balance bigint;
  v_credit_version bigint;
BEGIN
  -- Requests sharing a key queue here, so each sees the outcome its predecessor committed.
  PERFORM pg_advisory_xact_lock(7301, hashtext(p_idempotency_key));

  SELECT t.id, t.request_hash INTO v_found_id, v_found_hash FROM transfers t WHERE t.idempotency_key = p_idempotency_key;
  IF FOUND THEN
    RETURN QUERY SELECT CASE WHEN v_found_hash = p_request_hash THEN 'exists' ELSE 'idempotency_key_conflict' END,
                        t.id, t.currency_id, t.created_at FROM transfers t WHERE t.id = v_found_id;
    RETURN;
  END IF;
  SELECT f.request_hash INTO v_failed_hash FROM transfer_failures f WHERE f.idempotency_key = p_idempotency_key;
  IF FOUND THEN
    RETURN QUERY SELECT CASE WHEN v_failed_hash = p_request_hash THEN 'idempotency_key_already_failed' ELSE 'idempotency_key_conflict' END,
                        NULL::bigint, NULL::bigint, NULL::timestamptz;
    RETURN;
  END IF;

  -- Ascending id order: two transfers between the same accounts can never wait on each other in a cycle.
  PERFORM 1 FROM accounts a WHERE a.id IN (p_debit_account_id, p_credit_account_id) ORDER BY a.id FOR UPDATE;
  SELECT * INTO v_debit FROM accounts a WHERE a.id = p_debit_account_id;
  SELECT * INTO v_credit FROM accounts a WHERE a.id = p_credit_account_id;

  v_refusal := CASE
    WHEN p_amount <= 0 THEN 'amount_must_be_positive'
    WHEN p_debit_account_id = p_credit_account_id THEN 'same_account'
    WHEN v_debit.id IS NULL THEN 'debit_account_not_found'
    WHEN v_credit.id IS NULL THEN 'credit_account_not_found'
    WHEN v_debit.currency_id <> v_credit.currency_id THEN 'currency_mismatch'
    WHEN v_debit.status = 'closed' THEN 'debit_account_closed'
    WHEN v_credit.status = 'closed' THEN 'credit_account_closed'
    WHEN v_debit.status = 'frozen' THEN 'debit_account_frozen'
    WHEN v_credit.status = 'frozen' THEN 'credit_account_frozen'
    WHEN v_debit.lower_limit IS NOT NULL
         AND v_debit.posted_credits - v_debit.posted_debits - v_debit.pending_debits - p_amount < v_debit.lower_limit
      THEN 'exceeds_lower_limit'
    WHEN v_credit.upper_limit IS NOT NULL
         AND v_credit.posted_credits + v_credit.pending_credits - v_credit.posted_debits + p_amount > v_credit.upper_limit
      THEN 'exceeds_upper_limit'
  END;
  IF v_refusal IS NOT NULL THEN
    IF v_refusal IN ('debit_account_closed', 'credit_account_closed', 'debit_account_frozen', 'credit_account_frozen',
                     'exceeds_lower_limit', 'exceeds_upper_limit') THEN
      INSERT INTO transfer_failures (idempotency_key, request_hash, code) VALUES (p_idempotency_key, p_request_hash, v_refusal);
    END IF;
    RETURN QUERY SELECT v_refusal, NULL::bigint, NULL::bigint, NULL::timestamptz;
    RETURN;
  END IF;

  UPDATE accounts a SET posted_debits = a.posted_debits + p_amount, version = a.version + 1 WHERE a.id = p_debit_account_id
    RETURNING a.posted_credits - a.posted_debits, a.version INTO v_debit_balance, v_debit_version;
  UPDATE accounts a SET posted_credits = a.posted_credits + p_amount, version = a.version + 1 WHERE a.id = p_credit_account_id
    RETURNING a.posted_credits - a.posted_debits, a.version INTO v_credit_balance, v_credit_version;

  INSERT INTO transfers (idempotency_key, request_hash, currency_id, debit_account_id, credit_account_id, amount, code, memo, metadata)
    VALUES (p_idempotency_key, p_request_hash, v_debit.currency_id, p_debit_account_id, p_credit_account_id, p_amount, p_code, p_memo, p_metadata)
    RETURNING transfers.id, transfers.created_at INTO v_transfer_id, v_created_at;
  INSERT INTO postings (transfer_id, account_id, currency_id, amount, balance_after, account_version) VALUES
    (v_transfer_id, p_debit_account_id, v_debit.currency_id, -p_amount, v_debit_balance, v_debit_version),
    (v_transfer_id, p_credit_account_id, v_debit.currency_id, p_amount, v_credit_balance, v_credit_version);

  RETURN QUERY SELECT 'created'::text, v_transfer_id, v_debit.currency_id, v_created_at;
END $$;
`;
