-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_claim_key(p_idempotency_scope text, p_idempotency_key text, p_request_hash text, OUT outcome text, OUT transfer_id bigint, OUT original_outcome text)
 RETURNS record
 LANGUAGE plpgsql
AS $function$
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
END $function$;
