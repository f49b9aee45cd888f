-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_expire_pending(p_pending_id bigint)
 RETURNS TABLE(outcome text, id bigint, currency_id bigint, created_at timestamp with time zone, original_outcome text)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
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
END $function$;
