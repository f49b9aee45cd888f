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
END $function$;
