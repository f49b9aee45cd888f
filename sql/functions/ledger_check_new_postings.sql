-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_check_new_postings()
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
END $function$;
