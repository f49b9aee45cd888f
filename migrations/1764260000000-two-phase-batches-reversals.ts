import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * TigerBeetle's semantics on PostgreSQL:
 * - pending transfers reserve funds (pending debits and credits) and resolve at most once, by a
 *   post (in full or in part), a void, or expiry; the unique `pending_id` makes "at most once" a
 *   fact of the database, whatever races;
 * - linked and independent batches, applied by one call;
 * - reversals, at most once per original (unique `reverses_id`), forced past limits only with a reason.
 * Every write path shares the same helpers: key claim, refusal rules, postings.
 */
export class TwoPhaseBatchesReversals1764260000000 implements MigrationInterface {
  name = 'TwoPhaseBatchesReversals1764260000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "transfers" ADD "kind" character varying(16) NOT NULL DEFAULT 'direct'`);
    await queryRunner.query(`ALTER TABLE "transfers" ADD "pending_id" bigint`);
    await queryRunner.query(
      `ALTER TABLE "transfers" ADD CONSTRAINT "UQ_02112bf51d07cd552c793d42abc" UNIQUE ("pending_id")`,
    );
    await queryRunner.query(`ALTER TABLE "transfers" ADD "timeout_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "transfers" ADD "reverses_id" bigint`);
    await queryRunner.query(
      `ALTER TABLE "transfers" ADD CONSTRAINT "UQ_5ade0b2d33cfc53e13765c561a1" UNIQUE ("reverses_id")`,
    );
    await queryRunner.query(`ALTER TABLE "transfers" ADD "reason" character varying(500)`);
    await queryRunner.query(`ALTER TABLE "transfers" ADD "forced" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(
      `CREATE INDEX "IDX_transfers_pending_timeout" ON "transfers"  ("timeout_at") WHERE "timeout_at" IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_postings_account_time" ON "postings"  ("account_id", "created_at") `);
    await queryRunner.query(
      `ALTER TABLE "transfers" ADD CONSTRAINT "CHK_transfers_reversal_is_direct" CHECK ("reverses_id" IS NULL OR "kind" = 'direct')`,
    );
    await queryRunner.query(
      `ALTER TABLE "transfers" ADD CONSTRAINT "CHK_transfers_forced_reversal_has_reason" CHECK (NOT "forced" OR ("reverses_id" IS NOT NULL AND length(trim("reason")) > 0))`,
    );
    await queryRunner.query(
      `ALTER TABLE "transfers" ADD CONSTRAINT "CHK_transfers_timeout_only_on_pending" CHECK ("timeout_at" IS NULL OR "kind" = 'pending')`,
    );
    await queryRunner.query(
      `ALTER TABLE "transfers" ADD CONSTRAINT "CHK_transfers_resolution_names_pending" CHECK (("pending_id" IS NOT NULL) = ("kind" IN ('post_pending', 'void_pending')))`,
    );
    await queryRunner.query(
      `ALTER TABLE "transfers" ADD CONSTRAINT "CHK_transfers_kind" CHECK ("kind" IN ('direct', 'pending', 'post_pending', 'void_pending'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "transfers" ADD CONSTRAINT "FK_02112bf51d07cd552c793d42abc" FOREIGN KEY ("pending_id") REFERENCES "transfers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "transfers" ADD CONSTRAINT "FK_5ade0b2d33cfc53e13765c561a1" FOREIGN KEY ("reverses_id") REFERENCES "transfers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(BALANCED_BY_KIND);
    await queryRunner.query(
      `DROP FUNCTION ledger_create_transfer(text, text, bigint, bigint, bigint, text, text, jsonb)`,
    );
    await queryRunner.query(SHARED_HELPERS);
    await queryRunner.query(CREATE_TRANSFER);
    await queryRunner.query(RESOLVE_PENDING);
    await queryRunner.query(REVERSE_TRANSFER);
    await queryRunner.query(CREATE_TRANSFERS);
  }

  public async down(): Promise<void> {
    throw new Error(
      'TwoPhaseBatchesReversals cannot be undone: pending transfers and reversals would lose their meaning',
    );
  }
}

/* Pending and void transfers move no posted money, so they have no postings; the others have exactly two. */
const BALANCED_BY_KIND = `
CREATE OR REPLACE FUNCTION ledger_assert_transfer_balanced(p_transfer_id bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_transfer transfers%ROWTYPE;
  v_matching int;
  v_total int;
  v_expected int;
BEGIN
  SELECT * INTO v_transfer FROM transfers WHERE id = p_transfer_id;
  v_expected := CASE WHEN v_transfer.kind IN ('pending', 'void_pending') THEN 0 ELSE 2 END;
  SELECT count(*) FILTER (WHERE (p.account_id = v_transfer.debit_account_id AND p.amount = -v_transfer.amount)
                             OR (p.account_id = v_transfer.credit_account_id AND p.amount = v_transfer.amount)),
         count(*)
    INTO v_matching, v_total
    FROM postings p WHERE p.transfer_id = p_transfer_id;
  IF v_total <> v_expected OR v_matching <> v_expected THEN
    RAISE EXCEPTION 'transfer % (%) must have % postings of its amount, netting to zero', p_transfer_id, v_transfer.kind, v_expected
      USING ERRCODE = 'PL002';
  END IF;
END $$;
`;

const SHARED_HELPERS = `
-- The outcome row every write function returns.
CREATE FUNCTION ledger_outcome(p_outcome text, p_transfer_id bigint)
RETURNS TABLE (outcome text, id bigint, currency_id bigint, created_at timestamptz) LANGUAGE sql STABLE AS $$
  SELECT p_outcome, t.id, t.currency_id, t.created_at FROM (SELECT 1) AS one LEFT JOIN transfers t ON t.id = p_transfer_id
$$;

-- Requests sharing a key queue on an advisory lock, so each sees what its predecessor committed.
-- Returns NULL outcome when the key is free to use.
CREATE FUNCTION ledger_claim_key(p_idempotency_key text, p_request_hash text, OUT outcome text, OUT transfer_id bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v_hash text;
BEGIN
  PERFORM pg_advisory_xact_lock(7301, hashtext(p_idempotency_key));
  SELECT t.id, t.request_hash INTO transfer_id, v_hash FROM transfers t WHERE t.idempotency_key = p_idempotency_key;
  IF FOUND THEN
    outcome := CASE WHEN v_hash = p_request_hash THEN 'exists' ELSE 'idempotency_key_conflict' END;
    RETURN;
  END IF;
  SELECT f.request_hash INTO v_hash FROM transfer_failures f WHERE f.idempotency_key = p_idempotency_key;
  IF FOUND THEN
    outcome := CASE WHEN v_hash = p_request_hash THEN 'idempotency_key_already_failed' ELSE 'idempotency_key_conflict' END;
  END IF;
END $$;

-- Refusals caused by the ledger's state are remembered, so the key stays failed (TigerBeetle's id_already_failed).
CREATE FUNCTION ledger_refuse(p_idempotency_key text, p_request_hash text, p_refusal text)
RETURNS TABLE (outcome text, id bigint, currency_id bigint, created_at timestamptz) LANGUAGE plpgsql AS $$
BEGIN
  IF p_refusal IN ('debit_account_closed', 'credit_account_closed', 'debit_account_frozen', 'credit_account_frozen',
                   'exceeds_lower_limit', 'exceeds_upper_limit', 'pending_transfer_already_posted',
                   'pending_transfer_already_voided', 'pending_transfer_expired', 'exceeds_pending_amount',
                   'transfer_already_reversed') THEN
    INSERT INTO transfer_failures (idempotency_key, request_hash, code) VALUES (p_idempotency_key, p_request_hash, p_refusal);
  END IF;
  RETURN QUERY SELECT * FROM ledger_outcome(p_refusal, NULL);
END $$;

-- Locks both accounts in ascending id order: two transfers can never wait on each other in a cycle.
CREATE FUNCTION ledger_lock_accounts(p_first bigint, p_second bigint) RETURNS void LANGUAGE sql AS $$
  SELECT 1 FROM accounts a WHERE a.id IN (p_first, p_second) ORDER BY a.id FOR UPDATE
$$;

-- Why moving p_amount from debit to credit is refused, or NULL. Call with both accounts locked.
CREATE FUNCTION ledger_transfer_refusal(p_debit_account_id bigint, p_credit_account_id bigint, p_amount bigint, p_check_limits boolean)
RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_debit accounts%ROWTYPE;
  v_credit accounts%ROWTYPE;
BEGIN
  SELECT * INTO v_debit FROM accounts a WHERE a.id = p_debit_account_id;
  SELECT * INTO v_credit FROM accounts a WHERE a.id = p_credit_account_id;
  RETURN CASE
    WHEN p_amount <= 0 THEN 'amount_must_be_positive'
    WHEN p_debit_account_id = p_credit_account_id THEN 'same_account'
    WHEN v_debit.id IS NULL THEN 'debit_account_not_found'
    WHEN v_credit.id IS NULL THEN 'credit_account_not_found'
    WHEN v_debit.currency_id <> v_credit.currency_id THEN 'currency_mismatch'
    WHEN v_debit.status = 'closed' THEN 'debit_account_closed'
    WHEN v_credit.status = 'closed' THEN 'credit_account_closed'
    WHEN v_debit.status = 'frozen' THEN 'debit_account_frozen'
    WHEN v_credit.status = 'frozen' THEN 'credit_account_frozen'
    WHEN p_check_limits AND v_debit.lower_limit IS NOT NULL
         AND v_debit.posted_credits - v_debit.posted_debits - v_debit.pending_debits - p_amount < v_debit.lower_limit
      THEN 'exceeds_lower_limit'
    WHEN p_check_limits AND v_credit.upper_limit IS NOT NULL
         AND v_credit.posted_credits + v_credit.pending_credits - v_credit.posted_debits + p_amount > v_credit.upper_limit
      THEN 'exceeds_upper_limit'
  END;
END $$;

-- Posts money: atomic increments and one posting per side with the balance and version it produced.
CREATE FUNCTION ledger_post(p_transfer_id bigint, p_debit_account_id bigint, p_credit_account_id bigint, p_amount bigint, p_at timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_currency_id bigint;
  v_debit_balance bigint;
  v_debit_version bigint;
  v_credit_balance bigint;
  v_credit_version bigint;
BEGIN
  UPDATE accounts a SET posted_debits = a.posted_debits + p_amount, version = a.version + 1 WHERE a.id = p_debit_account_id
    RETURNING a.posted_credits - a.posted_debits, a.version, a.currency_id INTO v_debit_balance, v_debit_version, v_currency_id;
  UPDATE accounts a SET posted_credits = a.posted_credits + p_amount, version = a.version + 1 WHERE a.id = p_credit_account_id
    RETURNING a.posted_credits - a.posted_debits, a.version INTO v_credit_balance, v_credit_version;
  INSERT INTO postings (transfer_id, account_id, currency_id, amount, balance_after, account_version, created_at) VALUES
    (p_transfer_id, p_debit_account_id, v_currency_id, -p_amount, v_debit_balance, v_debit_version, p_at),
    (p_transfer_id, p_credit_account_id, v_currency_id, p_amount, v_credit_balance, v_credit_version, p_at);
END $$;
`;

/*
 * A direct transfer posts at once; a pending one only reserves (pending debits and credits).
 * Timestamps are taken under the account locks, so an account's postings are in time order.
 */
const CREATE_TRANSFER = `
CREATE FUNCTION ledger_create_transfer(
  p_idempotency_key text, p_request_hash text, p_debit_account_id bigint, p_credit_account_id bigint,
  p_amount bigint, p_code text, p_memo text, p_metadata jsonb, p_pending boolean DEFAULT false, p_timeout_at timestamptz DEFAULT NULL)
RETURNS TABLE (outcome text, id bigint, currency_id bigint, created_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
  v_claim record;
  v_refusal text;
  v_transfer_id bigint;
  v_at timestamptz;
BEGIN
  SELECT * INTO v_claim FROM ledger_claim_key(p_idempotency_key, p_request_hash);
  IF v_claim.outcome IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_outcome(v_claim.outcome, v_claim.transfer_id);
    RETURN;
  END IF;
  PERFORM ledger_lock_accounts(p_debit_account_id, p_credit_account_id);
  v_refusal := ledger_transfer_refusal(p_debit_account_id, p_credit_account_id, p_amount, true);
  IF v_refusal IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_refuse(p_idempotency_key, p_request_hash, v_refusal);
    RETURN;
  END IF;

  v_at := clock_timestamp();
  INSERT INTO transfers (idempotency_key, request_hash, currency_id, debit_account_id, credit_account_id, amount, code, memo, metadata,
                         kind, timeout_at, created_at)
    SELECT p_idempotency_key, p_request_hash, a.currency_id, p_debit_account_id, p_credit_account_id, p_amount, p_code, p_memo, p_metadata,
           CASE WHEN p_pending THEN 'pending' ELSE 'direct' END, p_timeout_at, v_at
      FROM accounts a WHERE a.id = p_debit_account_id
    RETURNING transfers.id INTO v_transfer_id;
  IF p_pending THEN
    UPDATE accounts a SET pending_debits = a.pending_debits + p_amount WHERE a.id = p_debit_account_id;
    UPDATE accounts a SET pending_credits = a.pending_credits + p_amount WHERE a.id = p_credit_account_id;
  ELSE
    PERFORM ledger_post(v_transfer_id, p_debit_account_id, p_credit_account_id, p_amount, v_at);
  END IF;
  RETURN QUERY SELECT * FROM ledger_outcome('created', v_transfer_id);
END $$;
`;

/*
 * p_action: 'post' (p_amount NULL means in full; less posts part and releases the rest), 'void',
 * or 'expire' (the sweeper's void of a transfer past its timeout).
 */
const RESOLVE_PENDING = `
CREATE FUNCTION ledger_resolve_pending(
  p_idempotency_key text, p_request_hash text, p_pending_id bigint, p_action text, p_amount bigint,
  p_code text, p_memo text, p_metadata jsonb)
RETURNS TABLE (outcome text, id bigint, currency_id bigint, created_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
  v_claim record;
  v_pending transfers%ROWTYPE;
  v_resolution transfers%ROWTYPE;
  v_amount bigint;
  v_expired boolean;
  v_refusal text;
  v_transfer_id bigint;
  v_at timestamptz;
BEGIN
  SELECT * INTO v_claim FROM ledger_claim_key(p_idempotency_key, p_request_hash);
  IF v_claim.outcome IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_outcome(v_claim.outcome, v_claim.transfer_id);
    RETURN;
  END IF;
  SELECT * INTO v_pending FROM transfers t WHERE t.id = p_pending_id AND t.kind = 'pending';
  IF NOT FOUND THEN
    RETURN QUERY SELECT * FROM ledger_outcome('pending_transfer_not_found', NULL);
    RETURN;
  END IF;
  -- Every resolver of this pending transfer queues here; the first to commit wins.
  PERFORM ledger_lock_accounts(v_pending.debit_account_id, v_pending.credit_account_id);
  SELECT * INTO v_resolution FROM transfers t WHERE t.pending_id = p_pending_id;
  v_amount := CASE WHEN p_action = 'post' THEN coalesce(p_amount, v_pending.amount) ELSE v_pending.amount END;
  v_at := clock_timestamp();
  v_expired := v_pending.timeout_at IS NOT NULL AND v_pending.timeout_at <= v_at;
  v_refusal := CASE
    WHEN v_resolution.kind = 'post_pending' THEN 'pending_transfer_already_posted'
    WHEN v_resolution.kind = 'void_pending' AND v_resolution.code = 'expired' THEN 'pending_transfer_expired'
    WHEN v_resolution.kind = 'void_pending' THEN 'pending_transfer_already_voided'
    WHEN p_action <> 'expire' AND v_expired THEN 'pending_transfer_expired'
    WHEN p_action = 'expire' AND NOT v_expired THEN 'pending_transfer_not_expired'
    WHEN v_amount <= 0 THEN 'amount_must_be_positive'
    WHEN v_amount > v_pending.amount THEN 'exceeds_pending_amount'
    -- Frozen or closed accounts cannot send or receive: a hold on them can still be voided, not posted.
    WHEN p_action = 'post' THEN ledger_transfer_refusal(v_pending.debit_account_id, v_pending.credit_account_id, v_amount, false)
  END;
  IF v_refusal IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_refuse(p_idempotency_key, p_request_hash, v_refusal);
    RETURN;
  END IF;

  UPDATE accounts a SET pending_debits = a.pending_debits - v_pending.amount WHERE a.id = v_pending.debit_account_id;
  UPDATE accounts a SET pending_credits = a.pending_credits - v_pending.amount WHERE a.id = v_pending.credit_account_id;
  INSERT INTO transfers (idempotency_key, request_hash, currency_id, debit_account_id, credit_account_id, amount, code, memo, metadata,
                         kind, pending_id, created_at)
    VALUES (p_idempotency_key, p_request_hash, v_pending.currency_id, v_pending.debit_account_id, v_pending.credit_account_id, v_amount,
            CASE WHEN p_action = 'expire' THEN 'expired' ELSE p_code END, p_memo, p_metadata,
            CASE WHEN p_action = 'post' THEN 'post_pending' ELSE 'void_pending' END, p_pending_id, v_at)
    RETURNING transfers.id INTO v_transfer_id;
  IF p_action = 'post' THEN
    PERFORM ledger_post(v_transfer_id, v_pending.debit_account_id, v_pending.credit_account_id, v_amount, v_at);
  END IF;
  RETURN QUERY SELECT * FROM ledger_outcome('created', v_transfer_id);
END $$;
`;

/*
 * Moves the original amount back, from the original credit account to the original debit account.
 * Forced, it may go past the accounts' limits: rather than leave an account outside its limits
 * (which the database forbids), the limit is widened just enough, and the old limits are kept in
 * the reversal's metadata beside the mandatory reason.
 */
const REVERSE_TRANSFER = `
CREATE FUNCTION ledger_reverse_transfer(
  p_idempotency_key text, p_request_hash text, p_transfer_id bigint, p_reason text, p_force boolean, p_memo text, p_metadata jsonb)
RETURNS TABLE (outcome text, id bigint, currency_id bigint, created_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
  v_claim record;
  v_original transfers%ROWTYPE;
  v_refusal text;
  v_metadata jsonb := p_metadata;
  v_widened jsonb;
  v_transfer_id bigint;
  v_at timestamptz;
BEGIN
  SELECT * INTO v_claim FROM ledger_claim_key(p_idempotency_key, p_request_hash);
  IF v_claim.outcome IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_outcome(v_claim.outcome, v_claim.transfer_id);
    RETURN;
  END IF;
  SELECT * INTO v_original FROM transfers t WHERE t.id = p_transfer_id;
  IF NOT FOUND OR v_original.kind NOT IN ('direct', 'post_pending') THEN
    RETURN QUERY SELECT * FROM ledger_outcome(CASE WHEN FOUND THEN 'transfer_not_reversible' ELSE 'transfer_not_found' END, NULL);
    RETURN;
  END IF;
  PERFORM ledger_lock_accounts(v_original.debit_account_id, v_original.credit_account_id);
  v_refusal := CASE WHEN EXISTS (SELECT 1 FROM transfers t WHERE t.reverses_id = p_transfer_id) THEN 'transfer_already_reversed'
                    ELSE ledger_transfer_refusal(v_original.credit_account_id, v_original.debit_account_id, v_original.amount, NOT p_force) END;
  IF v_refusal IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_refuse(p_idempotency_key, p_request_hash, v_refusal);
    RETURN;
  END IF;

  IF p_force THEN
    SELECT jsonb_agg(jsonb_build_object('accountId', a.id::text, 'lowerLimitWas', a.lower_limit::text, 'upperLimitWas', a.upper_limit::text))
      INTO v_widened FROM accounts a
     WHERE (a.id = v_original.credit_account_id AND a.lower_limit IS NOT NULL
            AND a.posted_credits - a.posted_debits - a.pending_debits - v_original.amount < a.lower_limit)
        OR (a.id = v_original.debit_account_id AND a.upper_limit IS NOT NULL
            AND a.posted_credits + a.pending_credits - a.posted_debits + v_original.amount > a.upper_limit);
    UPDATE accounts a SET lower_limit = least(a.lower_limit, a.posted_credits - a.posted_debits - a.pending_debits - v_original.amount)
     WHERE a.id = v_original.credit_account_id AND a.lower_limit IS NOT NULL;
    UPDATE accounts a SET upper_limit = greatest(a.upper_limit, a.posted_credits + a.pending_credits - a.posted_debits + v_original.amount)
     WHERE a.id = v_original.debit_account_id AND a.upper_limit IS NOT NULL;
    IF v_widened IS NOT NULL THEN
      v_metadata := v_metadata || jsonb_build_object('limitsWidened', v_widened);
    END IF;
  END IF;

  v_at := clock_timestamp();
  INSERT INTO transfers (idempotency_key, request_hash, currency_id, debit_account_id, credit_account_id, amount, code, memo, metadata,
                         reverses_id, reason, forced, created_at)
    VALUES (p_idempotency_key, p_request_hash, v_original.currency_id, v_original.credit_account_id, v_original.debit_account_id,
            v_original.amount, 'reversal', p_memo, v_metadata, p_transfer_id, nullif(trim(p_reason), ''), p_force, v_at)
    RETURNING transfers.id INTO v_transfer_id;
  PERFORM ledger_post(v_transfer_id, v_original.credit_account_id, v_original.debit_account_id, v_original.amount, v_at);
  RETURN QUERY SELECT * FROM ledger_outcome('created', v_transfer_id);
END $$;
`;

/*
 * One call for up to 1000 transfers (p_transfers: a JSON array of requests). Every account of the
 * batch is locked first, in ascending id order, so concurrent batches cannot deadlock.
 * Linked: stops at the first refusal; the caller rolls the whole batch back.
 */
export const CREATE_TRANSFERS = `
CREATE FUNCTION ledger_create_transfers(p_transfers jsonb, p_linked boolean)
RETURNS TABLE (item int, outcome text, id bigint, currency_id bigint, created_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
  v_request record;
  v_result record;
  v_account_ids bigint[];
BEGIN
  -- An array, not a subquery, so that the locks are taken through the primary key index.
  v_account_ids := ARRAY(SELECT (r->>'debitAccountId')::bigint FROM jsonb_array_elements(p_transfers) r
                         UNION SELECT (r->>'creditAccountId')::bigint FROM jsonb_array_elements(p_transfers) r);
  PERFORM 1 FROM accounts a WHERE a.id = ANY(v_account_ids) ORDER BY a.id FOR UPDATE;
  FOR v_request IN SELECT r.value AS body, r.ordinality::int AS n FROM jsonb_array_elements(p_transfers) WITH ORDINALITY r LOOP
    SELECT * INTO v_result FROM ledger_create_transfer(
      v_request.body->>'idempotencyKey', v_request.body->>'requestHash',
      (v_request.body->>'debitAccountId')::bigint, (v_request.body->>'creditAccountId')::bigint, (v_request.body->>'amount')::bigint,
      v_request.body->>'code', v_request.body->>'memo', v_request.body->'metadata',
      coalesce((v_request.body->>'pending')::boolean, false),
      clock_timestamp() + make_interval(secs => (v_request.body->>'timeoutSeconds')::int));
    RETURN QUERY SELECT v_request.n, v_result.outcome, v_result.id, v_result.currency_id, v_result.created_at;
    EXIT WHEN p_linked AND v_result.outcome NOT IN ('created', 'exists');
  END LOOP;
END $$;
`;
