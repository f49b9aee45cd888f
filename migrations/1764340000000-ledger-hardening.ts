import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hardening of the ledger's write path (issue 11):
 * - every account total and balance stays within ±(2^53−1), the range the API promises: a transfer
 *   that would leave it is refused first, with `balance_out_of_range`, and CHECKs are the backstop;
 * - idempotency keys live in the caller's scope (a member, a partner app acting for a member, the
 *   system), so that no client's key collides with, or reveals, another's;
 * - a key refused before answers with the refusal it got (`original_outcome`);
 * - an exchange's hold can only be the system's (clients are refused its code first, in the service);
 * - a hold past its timeout is released at once: every write that checks an account's limits voids
 *   that account's due holds first, under the same locks, so expired means released before the
 *   sweeper runs.
 *
 * The current definitions of these functions are the ones below:
 *   ledger_outcome, ledger_claim_key, ledger_refuse, ledger_totals_in_range, ledger_transfer_refusal,
 *   ledger_lock_accounts_expiring, ledger_expire_pending, ledger_expired_holds, ledger_create_transfer,
 *   ledger_resolve_pending, ledger_reverse_transfer, ledger_create_transfers.
 * Unchanged and still defined earlier: ledger_lock_accounts and ledger_post (TwoPhaseBatchesReversals).
 */
export class LedgerHardening1764340000000 implements MigrationInterface {
  name = 'LedgerHardening1764340000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "accounts" ADD CONSTRAINT "CHK_accounts_within_safe_range" CHECK (${SAFE_RANGE_CHECK})`,
    );
    // Keys written before scoping stay where they were, in a scope of their own that no caller uses;
    // ledger_claim_key still answers a replay of such a request as it was answered.
    // From now on a write that names no scope is the system's, as the ledger functions' default says.
    for (const table of ['transfers', 'transfer_failures']) {
      await queryRunner.query(
        `ALTER TABLE "${table}" ADD "idempotency_scope" character varying(64) NOT NULL DEFAULT 'unscoped'`,
      );
      await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "idempotency_scope" SET DEFAULT 'system'`);
    }
    // Only the exchange workflow resolves an exchange's hold, so only the system may place one (holds from before scoping are let be).
    await queryRunner.query(
      `ALTER TABLE "transfers" ADD CONSTRAINT "CHK_transfers_exchange_holds_are_the_systems" CHECK ("code" <> 'exchange_hold' OR "idempotency_scope" IN ('system', 'unscoped'))`,
    );
    await queryRunner.query(`ALTER TABLE "transfers" DROP CONSTRAINT "UQ_49061dae56a8d231067a8446a49"`);
    await queryRunner.query(
      `ALTER TABLE "transfers" ADD CONSTRAINT "UQ_transfers_scoped_key" UNIQUE ("idempotency_scope", "idempotency_key")`,
    );
    await queryRunner.query(`ALTER TABLE "transfer_failures" DROP CONSTRAINT "PK_455f2b0f91e5ae744a26e038cb3"`);
    await queryRunner.query(
      `ALTER TABLE "transfer_failures" ADD CONSTRAINT "PK_transfer_failures_scoped_key" PRIMARY KEY ("idempotency_scope", "idempotency_key")`,
    );
    // A write finds the due holds of the accounts it touches through these, not by scanning their history.
    await queryRunner.query(
      `CREATE INDEX "IDX_transfers_timed_holds_debit" ON "transfers" ("debit_account_id", "timeout_at") WHERE "timeout_at" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_transfers_timed_holds_credit" ON "transfers" ("credit_account_id", "timeout_at") WHERE "timeout_at" IS NOT NULL`,
    );
    for (const signature of DROPPED_SIGNATURES) await queryRunner.query(`DROP FUNCTION ${signature}`);
    for (const definition of [
      KEYS_AND_OUTCOMES,
      SAFE_RANGE,
      EXPIRY,
      CREATE_TRANSFER,
      RESOLVE_PENDING,
      REVERSE_TRANSFER,
      CREATE_TRANSFERS,
    ]) {
      await queryRunner.query(definition);
    }
  }

  public async down(): Promise<void> {
    throw new Error('LedgerHardening cannot be undone: scoped keys would collide in one namespace again');
  }
}

/** Every signature whose parameters or result change; the functions are created anew below. */
const DROPPED_SIGNATURES = [
  'ledger_create_transfers(jsonb, boolean)',
  'ledger_create_transfer(text, text, bigint, bigint, bigint, text, text, jsonb, boolean, timestamptz)',
  'ledger_resolve_pending(text, text, bigint, text, bigint, text, text, jsonb)',
  'ledger_reverse_transfer(text, text, bigint, text, boolean, text, jsonb)',
  'ledger_refuse(text, text, text)',
  'ledger_claim_key(text, text)',
  'ledger_transfer_refusal(bigint, bigint, bigint, boolean)',
  'ledger_outcome(text, bigint)',
];

/** 2^53−1: the largest integer a JSON number (and so a client) holds exactly. */
const MAX_SAFE = '9007199254740991';

const SAFE_RANGE_CHECK = `"posted_debits" <= ${MAX_SAFE} AND "posted_credits" <= ${MAX_SAFE} AND "pending_debits" <= ${MAX_SAFE} AND "pending_credits" <= ${MAX_SAFE} AND "posted_credits" - "posted_debits" - "pending_debits" >= -${MAX_SAFE} AND "posted_credits" + "pending_credits" - "posted_debits" <= ${MAX_SAFE} AND ("lower_limit" IS NULL OR "lower_limit" >= -${MAX_SAFE}) AND ("upper_limit" IS NULL OR "upper_limit" <= ${MAX_SAFE})`;

const KEYS_AND_OUTCOMES = `
-- The outcome row every write function returns; original_outcome: for a key that already failed, why it did.
CREATE FUNCTION ledger_outcome(p_outcome text, p_transfer_id bigint, p_original_outcome text DEFAULT NULL)
RETURNS TABLE (outcome text, id bigint, currency_id bigint, created_at timestamptz, original_outcome text) LANGUAGE sql STABLE AS $$
  SELECT p_outcome, t.id, t.currency_id, t.created_at, p_original_outcome FROM (SELECT 1) AS one LEFT JOIN transfers t ON t.id = p_transfer_id
$$;

-- Requests sharing a key within a scope queue on an advisory lock, so each sees what its predecessor
-- committed. Returns NULL outcome when the key is free to use. Only a replay of the very request that
-- failed learns why it failed; a different request under the key learns nothing but the conflict.
CREATE FUNCTION ledger_claim_key(p_idempotency_scope text, p_idempotency_key text, p_request_hash text,
                                 OUT outcome text, OUT transfer_id bigint, OUT original_outcome text)
LANGUAGE plpgsql AS $$
DECLARE
  v_hash text;
  v_code text;
BEGIN
  PERFORM pg_advisory_xact_lock(7301, hashtext(p_idempotency_scope || ' ' || p_idempotency_key));
  SELECT t.id, t.request_hash INTO transfer_id, v_hash FROM transfers t
   WHERE t.idempotency_scope = p_idempotency_scope AND t.idempotency_key = p_idempotency_key;
  IF FOUND THEN
    outcome := CASE WHEN v_hash = p_request_hash THEN 'exists' ELSE 'idempotency_key_conflict' END;
    RETURN;
  END IF;
  SELECT f.request_hash, f.code INTO v_hash, v_code FROM transfer_failures f
   WHERE f.idempotency_scope = p_idempotency_scope AND f.idempotency_key = p_idempotency_key;
  IF FOUND THEN
    outcome := CASE WHEN v_hash = p_request_hash THEN 'idempotency_key_already_failed' ELSE 'idempotency_key_conflict' END;
    original_outcome := CASE WHEN v_hash = p_request_hash THEN v_code END;
    RETURN;
  END IF;
  -- A client retrying, after the upgrade to scoped keys, the very request it sent before: it was
  -- recorded unscoped, and must still be answered as it was, never applied twice. Only the same
  -- request (its hash) matches, so a key someone else used before scoping stays free for this caller.
  SELECT CASE WHEN legacy.transfer_id IS NULL THEN 'idempotency_key_already_failed' ELSE 'exists' END, legacy.transfer_id, legacy.code
    INTO outcome, transfer_id, original_outcome
    FROM (SELECT t.id AS transfer_id, NULL::text AS code FROM transfers t
           WHERE t.idempotency_scope = 'unscoped' AND t.idempotency_key = p_idempotency_key AND t.request_hash = p_request_hash
          UNION ALL
          SELECT NULL, f.code FROM transfer_failures f
           WHERE f.idempotency_scope = 'unscoped' AND f.idempotency_key = p_idempotency_key AND f.request_hash = p_request_hash) AS legacy
   LIMIT 1;
END $$;

-- Refusals caused by the ledger's state are remembered, so the key stays failed (TigerBeetle's id_already_failed).
CREATE FUNCTION ledger_refuse(p_idempotency_scope text, p_idempotency_key text, p_request_hash text, p_refusal text)
RETURNS TABLE (outcome text, id bigint, currency_id bigint, created_at timestamptz, original_outcome text) LANGUAGE plpgsql AS $$
BEGIN
  IF p_refusal IN ('debit_account_closed', 'credit_account_closed', 'debit_account_frozen', 'credit_account_frozen',
                   'exceeds_lower_limit', 'exceeds_upper_limit', 'balance_out_of_range', 'pending_transfer_already_posted',
                   'pending_transfer_already_voided', 'pending_transfer_expired', 'exceeds_pending_amount',
                   'transfer_already_reversed') THEN
    INSERT INTO transfer_failures (idempotency_scope, idempotency_key, request_hash, code)
      VALUES (p_idempotency_scope, p_idempotency_key, p_request_hash, p_refusal);
  END IF;
  RETURN QUERY SELECT * FROM ledger_outcome(p_refusal, NULL);
END $$;
`;

const SAFE_RANGE = `
-- Whether an account with these totals stays within what clients can hold exactly: the same rule as
-- CHK_accounts_within_safe_range. Asked of stored totals (within range) moved by one amount (within
-- range), its sums stay far inside bigint.
CREATE FUNCTION ledger_totals_in_range(p_posted_debits bigint, p_posted_credits bigint, p_pending_debits bigint, p_pending_credits bigint)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT greatest(p_posted_debits, p_posted_credits, p_pending_debits, p_pending_credits) <= ${MAX_SAFE}
     AND p_posted_credits - p_posted_debits - p_pending_debits >= -${MAX_SAFE}
     AND p_posted_credits + p_pending_credits - p_posted_debits <= ${MAX_SAFE}
$$;

-- Why moving p_amount from debit to credit is refused, or NULL. Call with both accounts locked.
-- p_pending: the amount is reserved, not posted. p_released: what a post of a hold releases first.
-- The range is checked before the limits, whose arithmetic it keeps from overflowing, and even when
-- the limits are not (a post, a forced reversal). An amount beyond the range is refused before any sum.
CREATE FUNCTION ledger_transfer_refusal(p_debit_account_id bigint, p_credit_account_id bigint, p_amount bigint, p_check_limits boolean,
                                        p_pending boolean DEFAULT false, p_released bigint DEFAULT 0)
RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_debit accounts%ROWTYPE;
  v_credit accounts%ROWTYPE;
  v_posted bigint := CASE WHEN p_pending THEN 0 ELSE p_amount END;
  v_reserved bigint := CASE WHEN p_pending THEN p_amount ELSE -p_released END;
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
    -- Its own WHEN, evaluated first: the sums below assume an amount within range.
    WHEN p_amount > ${MAX_SAFE} THEN 'balance_out_of_range'
    WHEN NOT ledger_totals_in_range(v_debit.posted_debits + v_posted, v_debit.posted_credits, v_debit.pending_debits + v_reserved, v_debit.pending_credits)
      OR NOT ledger_totals_in_range(v_credit.posted_debits, v_credit.posted_credits + v_posted, v_credit.pending_debits, v_credit.pending_credits + v_reserved)
      THEN 'balance_out_of_range'
    WHEN p_check_limits AND v_debit.lower_limit IS NOT NULL
         AND v_debit.posted_credits - v_debit.posted_debits - v_debit.pending_debits - p_amount < v_debit.lower_limit
      THEN 'exceeds_lower_limit'
    WHEN p_check_limits AND v_credit.upper_limit IS NOT NULL
         AND v_credit.posted_credits + v_credit.pending_credits - v_credit.posted_debits + p_amount > v_credit.upper_limit
      THEN 'exceeds_upper_limit'
  END;
END $$;
`;

const EXPIRY = `
-- The system's expiry of one hold past its timeout, by the sweeper or by a write that meets it. Its
-- key is the system's; a hold resolves once (unique pending_id), under its accounts' locks, so no
-- key lock is taken: a writer holding account locks never waits on a key a sweeper holds.
-- Returns 'created', or why not: already resolved, not yet due, or no such hold. Records no failure.
CREATE FUNCTION ledger_expire_pending(p_pending_id bigint)
RETURNS TABLE (outcome text, id bigint, currency_id bigint, created_at timestamptz, original_outcome text) LANGUAGE plpgsql AS $$
DECLARE
  v_pending transfers%ROWTYPE;
  v_transfer_id bigint;
  v_at timestamptz;
BEGIN
  SELECT * INTO v_pending FROM transfers t WHERE t.id = p_pending_id AND t.kind = 'pending';
  IF NOT FOUND THEN
    RETURN QUERY SELECT * FROM ledger_outcome('pending_transfer_not_found', NULL);
    RETURN;
  END IF;
  PERFORM ledger_lock_accounts(v_pending.debit_account_id, v_pending.credit_account_id);
  v_at := clock_timestamp();
  IF EXISTS (SELECT 1 FROM transfers r WHERE r.pending_id = p_pending_id) THEN
    RETURN QUERY SELECT * FROM ledger_outcome('pending_transfer_already_resolved', NULL);
    RETURN;
  END IF;
  IF v_pending.timeout_at IS NULL OR v_pending.timeout_at > v_at THEN
    RETURN QUERY SELECT * FROM ledger_outcome('pending_transfer_not_expired', NULL);
    RETURN;
  END IF;
  UPDATE accounts a SET pending_debits = a.pending_debits - v_pending.amount WHERE a.id = v_pending.debit_account_id;
  UPDATE accounts a SET pending_credits = a.pending_credits - v_pending.amount WHERE a.id = v_pending.credit_account_id;
  INSERT INTO transfers (idempotency_scope, idempotency_key, request_hash, currency_id, debit_account_id, credit_account_id, amount, code,
                         kind, pending_id, created_at)
    VALUES ('system', 'system expire ' || p_pending_id, encode(sha256(convert_to('expire ' || p_pending_id, 'UTF8')), 'hex'),
            v_pending.currency_id, v_pending.debit_account_id, v_pending.credit_account_id, v_pending.amount, 'expired',
            'void_pending', p_pending_id, v_at)
    RETURNING transfers.id INTO v_transfer_id;
  RETURN QUERY SELECT * FROM ledger_outcome('created', v_transfer_id);
END $$;

-- Open holds on an account past their timeout: reserved in its totals until voided, but already
-- released for its holder. Reads subtract them; an account with nothing pending costs no search.
CREATE FUNCTION ledger_expired_holds(p_account_id bigint, p_pending_debits bigint, p_pending_credits bigint,
                                     OUT debits bigint, OUT credits bigint)
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN p_pending_debits = 0 THEN 0 ELSE
           (SELECT coalesce(sum(t.amount), 0) FROM transfers t
             WHERE t.debit_account_id = p_account_id AND t.timeout_at <= clock_timestamp() AND t.kind = 'pending'
               AND NOT EXISTS (SELECT 1 FROM transfers r WHERE r.pending_id = t.id)) END::bigint,
         CASE WHEN p_pending_credits = 0 THEN 0 ELSE
           (SELECT coalesce(sum(t.amount), 0) FROM transfers t
             WHERE t.credit_account_id = p_account_id AND t.timeout_at <= clock_timestamp() AND t.kind = 'pending'
               AND NOT EXISTS (SELECT 1 FROM transfers r WHERE r.pending_id = t.id)) END::bigint
$$;

-- Locks the accounts in ascending id order, with the other side of each of their holds already past
-- its timeout, then voids those holds: expired means released in the checks that follow. The due
-- holds are found before locking, so that every lock is taken in order; only accounts with something
-- pending are searched, so the common path costs one index lookup more than locking alone.
CREATE FUNCTION ledger_lock_accounts_expiring(p_account_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_due transfers[];
BEGIN
  IF NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = ANY(p_account_ids) AND (a.pending_debits > 0 OR a.pending_credits > 0)) THEN
    PERFORM 1 FROM accounts a WHERE a.id = ANY(p_account_ids) ORDER BY a.id FOR UPDATE;
    RETURN;
  END IF;
  v_due := ARRAY(
    SELECT t FROM transfers t
     WHERE (t.debit_account_id = ANY(p_account_ids) OR t.credit_account_id = ANY(p_account_ids))
       AND t.timeout_at <= clock_timestamp() AND t.kind = 'pending'
       AND NOT EXISTS (SELECT 1 FROM transfers r WHERE r.pending_id = t.id));
  PERFORM 1 FROM accounts a
   WHERE a.id = ANY(p_account_ids || ARRAY(SELECT d.debit_account_id FROM unnest(v_due) d) || ARRAY(SELECT d.credit_account_id FROM unnest(v_due) d))
   ORDER BY a.id FOR UPDATE;
  PERFORM ledger_expire_pending(d.id) FROM unnest(v_due) d;
END $$;
`;

/*
 * A direct transfer posts at once; a pending one only reserves (pending debits and credits).
 * Timestamps are taken under the account locks, so an account's postings are in time order.
 * p_accounts_locked: the caller (a batch) has locked the accounts and released their due holds.
 */
const CREATE_TRANSFER = `
CREATE FUNCTION ledger_create_transfer(
  p_idempotency_key text, p_request_hash text, p_debit_account_id bigint, p_credit_account_id bigint,
  p_amount bigint, p_code text, p_memo text, p_metadata jsonb, p_pending boolean DEFAULT false, p_timeout_at timestamptz DEFAULT NULL,
  p_idempotency_scope text DEFAULT 'system', p_accounts_locked boolean DEFAULT false)
RETURNS TABLE (outcome text, id bigint, currency_id bigint, created_at timestamptz, original_outcome text)
LANGUAGE plpgsql AS $$
DECLARE
  v_claim record;
  v_refusal text;
  v_transfer_id bigint;
  v_at timestamptz;
BEGIN
  SELECT * INTO v_claim FROM ledger_claim_key(p_idempotency_scope, p_idempotency_key, p_request_hash);
  IF v_claim.outcome IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_outcome(v_claim.outcome, v_claim.transfer_id, v_claim.original_outcome);
    RETURN;
  END IF;
  -- The hot path's one statement, as before expiry existed: lock both accounts in ascending id order
  -- and learn whether either has anything pending. Only then are due holds looked for and released
  -- (their other accounts locked after these two: a rare deadlock there is retried by the service).
  IF NOT p_accounts_locked AND (SELECT coalesce(bool_or(a.pending_debits > 0 OR a.pending_credits > 0), false)
                                  FROM (SELECT a.pending_debits, a.pending_credits FROM accounts a
                                         WHERE a.id IN (p_debit_account_id, p_credit_account_id) ORDER BY a.id FOR UPDATE) a) THEN
    PERFORM ledger_lock_accounts_expiring(ARRAY[p_debit_account_id, p_credit_account_id]);
  END IF;
  v_refusal := ledger_transfer_refusal(p_debit_account_id, p_credit_account_id, p_amount, true, p_pending);
  IF v_refusal IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_refuse(p_idempotency_scope, p_idempotency_key, p_request_hash, v_refusal);
    RETURN;
  END IF;

  v_at := clock_timestamp();
  INSERT INTO transfers (idempotency_scope, idempotency_key, request_hash, currency_id, debit_account_id, credit_account_id, amount, code, memo, metadata,
                         kind, timeout_at, created_at)
    SELECT p_idempotency_scope, p_idempotency_key, p_request_hash, a.currency_id, p_debit_account_id, p_credit_account_id, p_amount, p_code, p_memo, p_metadata,
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
 * p_action: 'post' (p_amount NULL means in full; less posts part and releases the rest) or 'void'.
 * Expiry is the system's own write (ledger_expire_pending).
 */
const RESOLVE_PENDING = `
CREATE FUNCTION ledger_resolve_pending(
  p_idempotency_key text, p_request_hash text, p_pending_id bigint, p_action text, p_amount bigint,
  p_code text, p_memo text, p_metadata jsonb, p_idempotency_scope text DEFAULT 'system')
RETURNS TABLE (outcome text, id bigint, currency_id bigint, created_at timestamptz, original_outcome text)
LANGUAGE plpgsql AS $$
DECLARE
  v_claim record;
  v_pending transfers%ROWTYPE;
  v_resolution transfers%ROWTYPE;
  v_amount bigint;
  v_refusal text;
  v_transfer_id bigint;
  v_at timestamptz;
BEGIN
  SELECT * INTO v_claim FROM ledger_claim_key(p_idempotency_scope, p_idempotency_key, p_request_hash);
  IF v_claim.outcome IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_outcome(v_claim.outcome, v_claim.transfer_id, v_claim.original_outcome);
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
  v_refusal := CASE
    WHEN v_resolution.kind = 'post_pending' THEN 'pending_transfer_already_posted'
    WHEN v_resolution.kind = 'void_pending' AND v_resolution.code = 'expired' THEN 'pending_transfer_expired'
    WHEN v_resolution.kind = 'void_pending' THEN 'pending_transfer_already_voided'
    WHEN v_pending.timeout_at IS NOT NULL AND v_pending.timeout_at <= v_at THEN 'pending_transfer_expired'
    WHEN v_amount <= 0 THEN 'amount_must_be_positive'
    WHEN v_amount > v_pending.amount THEN 'exceeds_pending_amount'
    -- Frozen or closed accounts cannot send or receive: a hold on them can still be voided, not posted.
    WHEN p_action = 'post' THEN ledger_transfer_refusal(v_pending.debit_account_id, v_pending.credit_account_id, v_amount, false, false, v_pending.amount)
  END;
  IF v_refusal IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_refuse(p_idempotency_scope, p_idempotency_key, p_request_hash, v_refusal);
    RETURN;
  END IF;

  UPDATE accounts a SET pending_debits = a.pending_debits - v_pending.amount WHERE a.id = v_pending.debit_account_id;
  UPDATE accounts a SET pending_credits = a.pending_credits - v_pending.amount WHERE a.id = v_pending.credit_account_id;
  INSERT INTO transfers (idempotency_scope, idempotency_key, request_hash, currency_id, debit_account_id, credit_account_id, amount, code, memo, metadata,
                         kind, pending_id, created_at)
    VALUES (p_idempotency_scope, p_idempotency_key, p_request_hash, v_pending.currency_id, v_pending.debit_account_id, v_pending.credit_account_id, v_amount,
            p_code, p_memo, p_metadata, CASE WHEN p_action = 'post' THEN 'post_pending' ELSE 'void_pending' END, p_pending_id, v_at)
    RETURNING transfers.id INTO v_transfer_id;
  IF p_action = 'post' THEN
    PERFORM ledger_post(v_transfer_id, v_pending.debit_account_id, v_pending.credit_account_id, v_amount, v_at);
  END IF;
  RETURN QUERY SELECT * FROM ledger_outcome('created', v_transfer_id);
END $$;
`;

/*
 * Moves the original amount back, from the original credit account to the original debit account.
 * Forced, it may go past the accounts' limits (never past the safe range): rather than leave an
 * account outside its limits (which the database forbids), the limit is widened just enough, and
 * the old limits are kept in the reversal's metadata beside the mandatory reason.
 */
const REVERSE_TRANSFER = `
CREATE FUNCTION ledger_reverse_transfer(
  p_idempotency_key text, p_request_hash text, p_transfer_id bigint, p_reason text, p_force boolean, p_memo text, p_metadata jsonb,
  p_idempotency_scope text DEFAULT 'system')
RETURNS TABLE (outcome text, id bigint, currency_id bigint, created_at timestamptz, original_outcome text)
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
  SELECT * INTO v_claim FROM ledger_claim_key(p_idempotency_scope, p_idempotency_key, p_request_hash);
  IF v_claim.outcome IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_outcome(v_claim.outcome, v_claim.transfer_id, v_claim.original_outcome);
    RETURN;
  END IF;
  SELECT * INTO v_original FROM transfers t WHERE t.id = p_transfer_id;
  IF NOT FOUND OR v_original.kind NOT IN ('direct', 'post_pending') THEN
    RETURN QUERY SELECT * FROM ledger_outcome(CASE WHEN FOUND THEN 'transfer_not_reversible' ELSE 'transfer_not_found' END, NULL);
    RETURN;
  END IF;
  PERFORM ledger_lock_accounts_expiring(ARRAY[v_original.debit_account_id, v_original.credit_account_id]);
  v_refusal := CASE WHEN EXISTS (SELECT 1 FROM transfers t WHERE t.reverses_id = p_transfer_id) THEN 'transfer_already_reversed'
                    ELSE ledger_transfer_refusal(v_original.credit_account_id, v_original.debit_account_id, v_original.amount, NOT p_force) END;
  IF v_refusal IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_refuse(p_idempotency_scope, p_idempotency_key, p_request_hash, v_refusal);
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
  INSERT INTO transfers (idempotency_scope, idempotency_key, request_hash, currency_id, debit_account_id, credit_account_id, amount, code, memo, metadata,
                         reverses_id, reason, forced, created_at)
    VALUES (p_idempotency_scope, p_idempotency_key, p_request_hash, v_original.currency_id, v_original.credit_account_id, v_original.debit_account_id,
            v_original.amount, 'reversal', p_memo, v_metadata, p_transfer_id, nullif(trim(p_reason), ''), p_force, v_at)
    RETURNING transfers.id INTO v_transfer_id;
  PERFORM ledger_post(v_transfer_id, v_original.credit_account_id, v_original.debit_account_id, v_original.amount, v_at);
  RETURN QUERY SELECT * FROM ledger_outcome('created', v_transfer_id);
END $$;
`;

/*
 * One call for up to 1000 transfers (p_transfers: a JSON array of requests, each with its
 * idempotencyScope). Every account of the batch is locked first, in ascending id order (with the
 * accounts of their due holds, which are released), so concurrent batches cannot deadlock. A
 * member's payment names its payer, and is refused (`not_holder`, nothing recorded) unless they
 * hold the debit account through an active membership, within one community for a partner app.
 * Linked: stops at the first refusal; the caller rolls the whole batch back.
 */
const CREATE_TRANSFERS = `
CREATE FUNCTION ledger_create_transfers(p_transfers jsonb, p_linked boolean)
RETURNS TABLE (item int, outcome text, id bigint, currency_id bigint, created_at timestamptz, original_outcome text)
LANGUAGE plpgsql AS $$
DECLARE
  v_request record;
  v_result record;
BEGIN
  PERFORM ledger_lock_accounts_expiring(ARRAY(SELECT (r->>'debitAccountId')::bigint FROM jsonb_array_elements(p_transfers) r
                                              UNION SELECT (r->>'creditAccountId')::bigint FROM jsonb_array_elements(p_transfers) r));
  FOR v_request IN SELECT r.value AS body, r.ordinality::int AS n FROM jsonb_array_elements(p_transfers) WITH ORDINALITY r LOOP
    IF v_request.body ? 'payerMemberId' AND NOT EXISTS (
         SELECT 1 FROM memberships m
          WHERE m.account_id = (v_request.body->>'debitAccountId')::bigint
            AND m.member_id = (v_request.body->>'payerMemberId')::bigint
            AND m.status = 'active'
            AND (v_request.body->>'withinCommunityId' IS NULL OR m.community_id = (v_request.body->>'withinCommunityId')::bigint)) THEN
      RETURN QUERY SELECT v_request.n, 'not_holder'::text, NULL::bigint, NULL::bigint, NULL::timestamptz, NULL::text;
      EXIT WHEN p_linked;
      CONTINUE;
    END IF;
    SELECT * INTO v_result FROM ledger_create_transfer(
      v_request.body->>'idempotencyKey', v_request.body->>'requestHash',
      (v_request.body->>'debitAccountId')::bigint, (v_request.body->>'creditAccountId')::bigint, (v_request.body->>'amount')::bigint,
      v_request.body->>'code', v_request.body->>'memo', v_request.body->'metadata',
      coalesce((v_request.body->>'pending')::boolean, false),
      clock_timestamp() + make_interval(secs => (v_request.body->>'timeoutSeconds')::int),
      coalesce(v_request.body->>'idempotencyScope', 'system'), true);
    RETURN QUERY SELECT v_request.n, v_result.outcome, v_result.id, v_result.currency_id, v_result.created_at, v_result.original_outcome;
    EXIT WHEN p_linked AND v_result.outcome NOT IN ('created', 'exists');
  END LOOP;
END $$;
`;
