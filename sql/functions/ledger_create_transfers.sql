-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_create_transfers(p_transfers jsonb, p_linked boolean)
 RETURNS TABLE(item integer, outcome text, id bigint, currency_id bigint, created_at timestamp with time zone, original_outcome text)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  v_request record;
  v_result record;
  v_accounts bigint[] := ARRAY(SELECT r.debit_account_id FROM ledger_transfer_requests(p_transfers) r
                               UNION SELECT r.credit_account_id FROM ledger_transfer_requests(p_transfers) r);
  v_at timestamptz;
BEGIN
  PERFORM ledger_lock_accounts_expiring(v_accounts);
  -- The usual batch, every request new and accepted, is written set-based, whether linked or not:
  -- all are created either way. Anything else (a replay, a refusal) goes one request at a time, as
  -- does a batch of one: for one request, the set-based statements cost more to start than they save.
  IF jsonb_array_length(p_transfers) > 1 AND ledger_batch_is_plain(p_transfers, v_accounts) THEN
    v_at := clock_timestamp();
    RETURN QUERY SELECT w.n, 'created'::text, w.id, w.currency_id, v_at, NULL::text FROM ledger_write_batch(p_transfers, v_accounts, v_at) AS w;
    RETURN;
  END IF;
  FOR v_request IN SELECT * FROM ledger_transfer_requests(p_transfers) LOOP
    IF ledger_payer_refused(v_request.body) THEN
      RETURN QUERY SELECT v_request.n, 'not_holder'::text, NULL::bigint, NULL::bigint, NULL::timestamptz, NULL::text;
      EXIT WHEN p_linked;
      CONTINUE;
    END IF;
    SELECT * INTO v_result FROM ledger_create_transfer(
      v_request.idempotency_key, v_request.request_hash, v_request.debit_account_id, v_request.credit_account_id, v_request.amount,
      v_request.code, v_request.memo, v_request.metadata, v_request.pending,
      clock_timestamp() + make_interval(secs => v_request.timeout_seconds), v_request.idempotency_scope, true);
    RETURN QUERY SELECT v_request.n, v_result.outcome, v_result.id, v_result.currency_id, v_result.created_at, v_result.original_outcome;
    EXIT WHEN p_linked AND v_result.outcome NOT IN ('created', 'exists');
  END LOOP;
END $function$;
