-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_transfer_requests(p_transfers jsonb)
 RETURNS TABLE(n integer, body jsonb, idempotency_scope text, idempotency_key text, request_hash text, debit_account_id bigint, credit_account_id bigint, amount bigint, code text, memo text, metadata jsonb, pending boolean, timeout_seconds integer)
 LANGUAGE sql
 IMMUTABLE
AS $function$
  -- The requests of a batch, numbered from 1 in order, as ledger_create_transfers reads them.
  SELECT e.n::int, e.body, coalesce(r."idempotencyScope", 'system'), r."idempotencyKey", r."requestHash", r."debitAccountId", r."creditAccountId",
         r.amount, r.code, r.memo, r.metadata, coalesce(r.pending, false), r."timeoutSeconds"
    FROM jsonb_array_elements(p_transfers) WITH ORDINALITY AS e(body, n),
         jsonb_to_record(e.body) AS r("idempotencyScope" text, "idempotencyKey" text, "requestHash" text, "debitAccountId" bigint,
                                      "creditAccountId" bigint, amount bigint, code text, memo text, metadata jsonb, pending boolean, "timeoutSeconds" integer)
$function$;
