-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_claim_key(p_idempotency_scope text, p_idempotency_key text, p_request_hash text, OUT outcome text, OUT transfer_id bigint, OUT original_outcome text)
 RETURNS record
 LANGUAGE plpgsql
AS $function$
BEGIN
  -- The key's lock decides between a transfer and a failure, which live in two tables: no unique
  -- index spans both, and a key must never end up in both (the invariant check looks).
  PERFORM pg_advisory_xact_lock(7301, hashtext(p_idempotency_scope || ' ' || p_idempotency_key));
  -- One look at all four places the key may be, in a statement of its own, so that its snapshot
  -- sees what the lock's previous holder committed. A client retrying, after the upgrade to scoped
  -- keys, the very request it sent before finds it recorded unscoped, answered as it was and never
  -- applied twice; only the same request (its hash) matches there, so a key someone else used
  -- before scoping stays free for this caller.
  SELECT found.outcome, found.transfer_id, found.original_outcome INTO outcome, transfer_id, original_outcome
    FROM (SELECT 1 AS rank, CASE WHEN t.request_hash = p_request_hash THEN 'exists' ELSE 'idempotency_key_conflict' END AS outcome,
                 t.id AS transfer_id, NULL::text AS original_outcome
            FROM transfers t WHERE t.idempotency_scope = p_idempotency_scope AND t.idempotency_key = p_idempotency_key
          UNION ALL
          SELECT 2, CASE WHEN f.request_hash = p_request_hash THEN 'idempotency_key_already_failed' ELSE 'idempotency_key_conflict' END,
                 NULL, CASE WHEN f.request_hash = p_request_hash THEN f.code END
            FROM transfer_failures f WHERE f.idempotency_scope = p_idempotency_scope AND f.idempotency_key = p_idempotency_key
          UNION ALL
          SELECT 3, 'exists', t.id, NULL FROM transfers t
           WHERE t.idempotency_scope = 'unscoped' AND t.idempotency_key = p_idempotency_key AND t.request_hash = p_request_hash
          UNION ALL
          SELECT 4, 'idempotency_key_already_failed', NULL, f.code FROM transfer_failures f
           WHERE f.idempotency_scope = 'unscoped' AND f.idempotency_key = p_idempotency_key AND f.request_hash = p_request_hash) AS found
   ORDER BY found.rank
   LIMIT 1;
END $function$;
